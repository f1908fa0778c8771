-- explain_calls_alike: the members of explain/call_members.sql ($1 … $5 as in
-- explain/calls.sql), at most $6 of each set of calls that stand alike on every
-- indicator (the same group key and the same columns the states are decided on:
-- metrics.explainCalls), the first by id, as explain/orders_alike.sql does for the
-- orders: n is the set's size on its first call and 0 on the others, so that
-- the states are still counted in full. An annual's repeat detail by town read 190 000
-- calls into Go to list a few thousand.
SELECT *, CASE WHEN row_number() OVER (alike ORDER BY call_id) = 1 THEN count(*) OVER alike ELSE 0 END AS n
FROM call_members($1, $2, $3, $4, $5)
WINDOW alike AS (PARTITION BY k, valid, nonpolice, diverted, rep_pop, rep_den, rep_num, rep_ex, x_div, x_npdiv)
QUALIFY row_number() OVER (alike ORDER BY call_id) <= $6
ORDER BY k, call_id;
