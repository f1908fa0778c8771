-- rejects_of_file: one load's rejected rows, in line order (check prints them
-- before it rolls back). $1 file_id.
SELECT line, field, coalesce(value, ''), reason, coalesce(field_zh, field), coalesce(reason_zh, reason)
FROM rejects WHERE file_id = $1 ORDER BY line;
