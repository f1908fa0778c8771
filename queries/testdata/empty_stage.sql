-- Test helper: an empty staging file of each kind, from the tables' own columns.
COPY (SELECT 0::BIGINT AS seq, * EXCLUDE (file_id) FROM calls LIMIT 0) TO '__DIR__/calls.parquet' (FORMAT parquet);
COPY (SELECT 0::BIGINT AS seq, * EXCLUDE (file_id) FROM orders LIMIT 0) TO '__DIR__/orders.parquet' (FORMAT parquet);
