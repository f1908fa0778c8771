-- forget: drop the record of the warnings in force (the run records those it found).
DELETE FROM alerts_sent;
