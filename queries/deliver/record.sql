-- record: one delivery as it went. $1 report, $2 manifest, $3 recipient,
-- $4 channel, $5 status, $6 attempts, $7 message, $8 at.
INSERT INTO deliveries VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
