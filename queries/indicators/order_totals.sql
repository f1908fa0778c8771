-- order_totals (temp table ot): one pass over the order facts, per group of every
-- slot (GROUPING SETS, written for the slots in use by queries.WithSlots; k is
-- the key of the slot a group is of): every indicator's num, den and
-- population, the order counts, data quality and durations. The records outside
-- a slot's period make a group of NULL key, which every reader skips: filtering
-- it here would be pushed into the facts as a nested-loop join of every record
-- with params (1.7 s of 2.2 s for one slot over 9 M calls).
CREATE OR REPLACE TEMP TABLE ot AS
SELECT /*key*/ AS k,
    any_value(dept_kind) AS dept_kind,
    count_if(eff) AS eff,
    count_if(sign_num) AS sign_num, count_if(sign_den) AS sign_den,
    count_if(arr_pop) AS arr_pop, count_if(arr_num) AS arr_num, count_if(arr_den) AS arr_den,
    count_if(close_num) AS close_num, count_if(close_den) AS close_den,
    sum(res_num) AS res_num, count_if(res_den) AS res_den,
    count_if(sat_num) AS sat_num, count_if(sat_den) AS sat_den,
    count_if(ret_num) AS ret_num, count_if(ret_den) AS ret_den,
    count_if(sign_ex) AS sign_ex, count_if(arr_ex) AS arr_ex, count_if(close_ex) AS close_ex,
    count_if(res_ex) AS res_ex, count_if(sat_ex) AS sat_ex, count_if(ret_ex) AS ret_ex,
    count(*) AS orders, count_if(returned) AS returned,
    count_if(overdue) AS overdue, count_if(out_of_order) AS out_of_order,
    count_if(done_no_outcome) AS done_no_outcome, count_if(unknown_dept) AS unknown_dept,
    quantile_cont(sign_min, [0.5, 0.9]) AS sign_q,      -- one sort per column for both quantiles
    quantile_cont(arr_min, [0.5, 0.9]) AS arrive_q,
    quantile_cont(done_days, [0.5, 0.9]) AS done_q
FROM of GROUP BY /*sets*/;
