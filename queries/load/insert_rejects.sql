-- insert_rejects: append a file's rejected rows to the ledger.
-- $1 path of the rejects Parquet file (line, field, value, reason, field_zh,
-- reason_zh), $2 file_id, $3 file name.
INSERT INTO rejects (file_id, file, line, field, value, reason, field_zh, reason_zh)
SELECT $2::INTEGER, $3, line, field, value, reason, field_zh, reason_zh FROM read_parquet($1);
