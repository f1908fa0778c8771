-- explain_orders_alike: the members of explain/order_members.sql ($1 … $8 as in
-- explain/orders.sql), at most $9 of each set of orders that stand alike on every
-- indicator (the same group key and the same columns the states are decided on:
-- metrics.orderState), the first by id — enough for a detail list of $9 members
-- per state, whatever the states' rule. n is the set's size on its first order
-- and 0 on the others, so that the states are still counted in full. A statement of its
-- own: DuckDB computes the windows even when they are not needed, and explain
-- itself (every member) must not pay for them.
SELECT *, CASE WHEN row_number() OVER (alike ORDER BY order_id) = 1 THEN count(*) OVER alike ELSE 0 END AS n
FROM order_members($1, $2, $3, $4, $5, $6, $7, $8)
WINDOW alike AS (PARTITION BY k, eff, sign_den, sign_num, arr_pop, arr_den, arr_num, close_den, close_num,
                 res_den, res_num, sat_den, sat_num, ret_den, ret_num, outcome_code, done_t >= earliest,
                 sign_ex, arr_ex, close_ex, res_ex, sat_ex, ret_ex)
QUALIFY row_number() OVER (alike ORDER BY order_id) <= $9
ORDER BY k, order_id;
