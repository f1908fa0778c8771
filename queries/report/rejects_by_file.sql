-- rejects_by_file: per loaded file, its rejected rows and the most common reason
-- ("字段：原因", the reason without its detail), in Chinese where the ledger has it.
SELECT f.name, f.read, f.rejected, coalesce((
    SELECT head FROM (
        SELECT coalesce(r.field_zh, r.field) || '：' ||
               coalesce(split_part(r.reason_zh, '：', 1), split_part(r.reason, ':', 1)) AS head
        FROM rejects r WHERE r.file_id = f.file_id)
    GROUP BY head ORDER BY count(*) DESC, head LIMIT 1), '')
FROM files f ORDER BY f.file_id;
