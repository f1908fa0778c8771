-- Test helper: the rejects ledger in load and line order.
SELECT file, line, field, coalesce(value, '') AS value, reason FROM rejects ORDER BY file_id, line;
