-- rejects_list: the rejects ledger, optionally for one file name ($1 = '' for all):
-- file, line, field id, its Chinese header, value, reason in Chinese. Rows
-- rejected before schema 0007 have no Chinese words and show the English ones.
SELECT file, line, field, coalesce(field_zh, field), coalesce(value, ''), coalesce(reason_zh, reason)
FROM rejects
WHERE $1 = '' OR file = $1
ORDER BY file_id, line;
