-- explain_orders: every order of the period in the order facts (temp view of,
-- indicators/order_facts.sql) with its group key, the memberships that the
-- totals count (the same columns: one definition) and the times they were decided
-- on. $1 the group key, or '' for every group. $2: every order; else only those
-- that may stand against their unit (not in the numerator; in it, for the
-- lower-is-better return_rate) in one of the indicators $3 … $8 (sign, arrival,
-- closure, resolution, satisfaction, return): a unit's detail needs no others, and
-- most orders are in every numerator.
-- $9: 0, every order that passes; else at most $9 of each set of orders that stand
-- alike on every indicator (the same group key and the same columns the states are
-- decided on: metrics.orderMember), the first by id — enough for a detail list of
-- $9 members per state, whatever the states' rule. n is the set's size and
-- first_of marks its first order, so that the states are still counted in full.
SELECT order_id, k, eff, sign_den, sign_num, arr_pop, arr_den, arr_num, close_den, close_num,
       res_den, res_num, sat_den, sat_num, ret_den, ret_num,
       dispatched_at, earliest, signed_t, sign_end, arrived_t, arrival_end, done_t, due_at,
       revisited_at, outcome_code, sat_known, sat_ok, cancelled, onsite_required,
       sign_ex, arr_ex, close_ex, res_ex, sat_ex, ret_ex,
       CASE WHEN $9 = 0 THEN 1 ELSE count(*) OVER alike END AS n,
       $9 = 0 OR row_number() OVER (alike ORDER BY order_id) = 1 AS first_of
FROM of
WHERE k IS NOT NULL AND ($1 = '' OR k = $1)
  AND ($2
    OR ($3 AND eff AND NOT coalesce(sign_num, false))
    OR ($4 AND coalesce(arr_pop, false) AND NOT coalesce(arr_num, false))
    OR ($5 AND eff AND NOT coalesce(close_num, false))
    OR ($6 AND eff AND coalesce(res_num, 0) < 1)
    OR ($7 AND eff AND NOT coalesce(sat_num, false))
    OR ($8 AND (coalesce(ret_num, false) OR coalesce(ret_ex, false))))
WINDOW alike AS (PARTITION BY k, eff, sign_den, sign_num, arr_pop, arr_den, arr_num, close_den, close_num,
                 res_den, res_num, sat_den, sat_num, ret_den, ret_num, outcome_code, done_t >= earliest,
                 sign_ex, arr_ex, close_ex, res_ex, sat_ex, ret_ex)
QUALIFY $9 = 0 OR row_number() OVER (alike ORDER BY order_id) <= $9
ORDER BY k, order_id;
