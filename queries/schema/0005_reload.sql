-- 0005_reload: how many rows of a load took values from merged cells of an XLSX
-- sheet (data quality), and which later load replaced a file (ingest --reload:
-- the earlier load is kept, marked 'reloaded', its rejects replaced).
ALTER TABLE files ADD COLUMN merged BIGINT DEFAULT 0;
ALTER TABLE files ADD COLUMN replaced_by INTEGER;
