-- explain_orders: every order of the period in the order facts (temp view of,
-- indicators/order_facts.sql) with its group key, the memberships that the
-- totals count (the same columns: one definition) and the times they were decided
-- on. $1 the group key, or '' for every group. $2: every order; else only those
-- that may stand against their unit (not in the numerator; in it, for the
-- lower-is-better return_rate) in one of the indicators $3 … $8 (sign, arrival,
-- closure, resolution, satisfaction, return): a unit's detail needs no others, and
-- most orders are in every numerator.
SELECT order_id, k, eff, sign_den, sign_num, arr_pop, arr_den, arr_num, close_den, close_num,
       res_den, res_num, sat_den, sat_num, ret_den, ret_num,
       dispatched_at, earliest, signed_t, sign_end, arrived_t, arrival_end, done_t, due_at,
       revisited_at, outcome_code, sat_known, sat_ok, cancelled, onsite_required,
       sign_ex, arr_ex, close_ex, res_ex, sat_ex, ret_ex
FROM of
WHERE k IS NOT NULL AND ($1 = '' OR k = $1)
  AND ($2
    OR ($3 AND eff AND NOT coalesce(sign_num, false))
    OR ($4 AND coalesce(arr_pop, false) AND NOT coalesce(arr_num, false))
    OR ($5 AND eff AND NOT coalesce(close_num, false))
    OR ($6 AND eff AND coalesce(res_num, 0) < 1)
    OR ($7 AND eff AND NOT coalesce(sat_num, false))
    OR ($8 AND (coalesce(ret_num, false) OR coalesce(ret_ex, false))))
ORDER BY k, order_id;
