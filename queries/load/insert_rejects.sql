-- insert_rejects: append a file's rejected rows to the ledger.
-- $1 path of the rejects Parquet file (line, field, value, reason), $2 file_id, $3 file name.
INSERT INTO rejects (file_id, file, line, field, value, reason)
SELECT $2::INTEGER, $3, line, field, value, reason FROM read_parquet($1);
