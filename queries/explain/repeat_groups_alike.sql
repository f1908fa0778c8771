-- explain_repeat_groups_alike: the members of explain/repeat_group_members.sql
-- ($1, $2 as in explain/repeat_groups.sql), at most $3 of each set that stands
-- alike (the same group and state), the first by id, with the set's size n on
-- its first call (0 on the others), as explain/orders_alike.sql does for the orders.
SELECT *, CASE WHEN row_number() OVER (alike ORDER BY call_id) = 1 THEN count(*) OVER alike ELSE 0 END AS n
FROM repeat_group_members($1, $2)
WINDOW alike AS (PARTITION BY k, den, num, rep_ex)
QUALIFY row_number() OVER (alike ORDER BY call_id) <= $3
ORDER BY k, call_id;
