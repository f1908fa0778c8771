-- find_file: an earlier load of the same bytes as the same kind (SPEC §2.5: the
-- same file twice is a no-op). $1 sha256, $2 kind.
SELECT file_id, name FROM files WHERE sha256 = $1 AND kind = $2 AND status = 'loaded' ORDER BY file_id LIMIT 1;
