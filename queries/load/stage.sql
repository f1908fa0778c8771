-- stage: the accepted rows of one file, as the loader wrote them to Parquet
-- (seq = position among accepted rows, line = physical line, then the table's columns).
-- $1 path of the Parquet file.
CREATE OR REPLACE TEMP TABLE stage AS SELECT * FROM read_parquet($1);
