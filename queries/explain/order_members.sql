-- order_members (temp table macro): every order of the period in the order facts
-- (temp view of, indicators/order_facts.sql) with its group key (slot 1's), the memberships
-- that the totals count (the same columns: one definition) and the times they were
-- decided on. want_key: the group key, or '' for every group. every: every order;
-- else only those that may stand against their unit (not in the numerator; in it,
-- for the lower-is-better return_rate) in one of the indicators want_sign …
-- want_ret: a unit's detail needs no others, and most orders are in every numerator.
-- A macro, not a view, so that its arguments stay constants the planner folds.
-- Read by explain/orders.sql (explain: every member) and explain/orders_alike.sql
-- (a scorecard's detail: the first few of each set of orders that stand alike).
CREATE OR REPLACE TEMP MACRO order_members(want_key, every, want_sign, want_arr, want_close, want_res, want_sat, want_ret) AS TABLE
SELECT order_id, k1 AS k, eff, sign_den, sign_num, arr_pop, arr_den, arr_num, close_den, close_num,
       res_den, res_num, sat_den, sat_num, ret_den, ret_num,
       dispatched_at, earliest, signed_t, sign_end, arrived_t, arrival_end, done_t, due_at,
       revisited_at, outcome_code, sat_known, sat_ok, cancelled, onsite_required,
       sign_ex, arr_ex, close_ex, res_ex, sat_ex, ret_ex
FROM of
WHERE k1 IS NOT NULL AND (want_key = '' OR k1 = want_key)
  AND (every
    OR (want_sign AND eff AND NOT coalesce(sign_num, false))
    OR (want_arr AND coalesce(arr_pop, false) AND NOT coalesce(arr_num, false))
    OR (want_close AND eff AND NOT coalesce(close_num, false))
    OR (want_res AND eff AND coalesce(res_num, 0) < 1)
    OR (want_sat AND eff AND NOT coalesce(sat_num, false))
    OR (want_ret AND (coalesce(ret_num, false) OR coalesce(ret_ex, false))));
