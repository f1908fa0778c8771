-- Test helper: the rejects ledger in load and line order.
SELECT file, line, field, coalesce(value, '') AS value, reason, field_zh, reason_zh FROM rejects ORDER BY file_id, line;
