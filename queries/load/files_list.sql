-- files_list: every recorded load, oldest first.
SELECT file_id, name, kind, profile, encoding, status, read, inserted, updated, unchanged,
       superseded, rejected, loaded_at
FROM files ORDER BY file_id;
