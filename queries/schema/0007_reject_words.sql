-- 0007_reject_words: the rejects ledger keeps each row's field and reason in
-- Chinese as well, for the staff who fix the export (the rejects list, the
-- reports' data-quality sheet); field keeps the English id and reason the English
-- text for logs and JSON. Rows rejected before this version have NULL here and
-- are shown in English until their file is loaded again (ingest --reload).
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS field_zh VARCHAR;
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS reason_zh VARCHAR;
