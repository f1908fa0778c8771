-- sent: the warnings in force as last sent: key and state.
SELECT key, state FROM alerts_sent;
