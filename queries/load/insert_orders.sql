-- insert_orders: write the new and replacing rows of this load, read again from the
-- Parquet file: the row of each id that classify_orders chose (by seq).
-- $1 path of the Parquet file, $2 file_id of this load.
INSERT INTO orders BY NAME
SELECT p.* EXCLUDE (seq), $2::INTEGER AS file_id
FROM read_parquet($1) p
JOIN inc i ON i.order_id = p.order_id AND i.seq = p.seq
WHERE i.action IN ('inserted', 'updated');
