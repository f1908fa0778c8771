-- explain_calls: the members of explain/call_members.sql ($1 the group key or ''
-- for all, $2 every call, $3 … $5 the indicators against) by key and id, each
-- standing for itself (n = 1).
SELECT *, 1 AS n
FROM call_members($1, $2, $3, $4, $5)
ORDER BY k, call_id;
