-- coverage: the files behind a report (every load recorded), oldest first.
SELECT name, kind, profile, read, inserted, updated, unchanged, superseded, rejected,
       loaded_at
FROM files ORDER BY file_id;
