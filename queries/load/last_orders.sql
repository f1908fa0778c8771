-- last_orders: the last accepted row of each order_id in the file (SPEC §8:
-- positional), on (id, seq) alone, for load/classify_orders.sql. $1 path of the
-- Parquet file of accepted rows. A statement and a table of its own, as
-- load/last_calls.sql.
CREATE OR REPLACE TEMP TABLE inc_last AS
SELECT order_id, max(seq) AS seq FROM read_parquet($1) GROUP BY order_id;
