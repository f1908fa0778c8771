-- insert_all_calls: insert_calls.sql when every accepted row of the file is new
-- (inserted: no stored id, no id twice in the file): the Parquet file as it is,
-- without the join that picks the chosen rows. $1 path, $2 file_id.
INSERT INTO calls BY NAME
SELECT p.* EXCLUDE (seq), $2::INTEGER AS file_id
FROM read_parquet($1) p;
