-- rejects_by_file: per loaded file, its rejected rows and the most common reason.
SELECT f.name, f.read, f.rejected, coalesce((
    SELECT r.field || '：' || split_part(r.reason, ':', 1) FROM rejects r WHERE r.file_id = f.file_id
    GROUP BY r.field, split_part(r.reason, ':', 1) ORDER BY count(*) DESC, 1 LIMIT 1), '')
FROM files f ORDER BY f.file_id;
