-- coverage: the files behind a report (every load recorded), oldest first.
SELECT name, kind, profile, read, inserted, updated, unchanged, superseded, rejected,
       strftime(loaded_at, '%Y-%m-%d %H:%M:%S')
FROM files ORDER BY file_id;
