-- last_calls: the last accepted row of each call_id in the file (SPEC §8:
-- positional), on (id, seq) alone, for load/classify_calls.sql. $1 path of the
-- Parquet file of accepted rows. A statement of its own, and a table: the
-- classification's joins, written as one statement over this as a CTE, ran out
-- of memory loading a year of 10 M calls into a store of 40 M (DuckDB could not
-- spill it), and only a statement's last part takes parameters.
CREATE OR REPLACE TEMP TABLE inc_last AS
SELECT call_id, max(seq) AS seq FROM read_parquet($1) GROUP BY call_id;
