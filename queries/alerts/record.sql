-- record: a warning in force, as sent. $1 key, $2 state, $3 T.
INSERT INTO alerts_sent VALUES ($1, $2, $3);
