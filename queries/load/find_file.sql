-- find_file: an earlier load of the same bytes (SPEC §2.5: same file twice is a no-op).
-- $1 sha256.
SELECT file_id, name, kind FROM files WHERE sha256 = $1 AND status = 'loaded' ORDER BY file_id LIMIT 1;
