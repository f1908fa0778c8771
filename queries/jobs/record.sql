-- record: one finished run of a job. $1 job, $2 started, $3 ended, $4 status,
-- $5 message, $6 files, $7 rows, $8 rows rejected.
INSERT INTO jobs (job, started_at, ended_at, status, message, files, rows, rejected) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
