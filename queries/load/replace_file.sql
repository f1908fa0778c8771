-- replace_file: ingest --reload of a file loaded before. The earlier load stays in
-- the registry, marked 'reloaded' with the load that replaced it.
-- $1 the earlier file_id, $2 the new file_id.
UPDATE files SET status = 'reloaded', replaced_by = $2 WHERE file_id = $1;
