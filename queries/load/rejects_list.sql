-- rejects_list: the rejects ledger, optionally for one file name ($1 = '' for all).
SELECT file, line, field, coalesce(value, ''), reason
FROM rejects
WHERE $1 = '' OR file = $1
ORDER BY file_id, line;
