-- explain_repeat_groups: the members of explain/repeat_group_members.sql ($1 the
-- group key or '' for all, $2 every call) by key and id, each standing for itself
-- (n = 1).
SELECT *, 1 AS n
FROM repeat_group_members($1, $2)
ORDER BY k, call_id;
