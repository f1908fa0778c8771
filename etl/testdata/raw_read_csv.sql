-- Benchmark reference: DuckDB's own reader loading a CSV as text, no checks. $1 path.
CREATE TABLE raw AS SELECT * FROM read_csv($1, all_varchar = true, header = true);
