-- order_totals (temp table ot): one pass over the order facts, per group: every
-- indicator's num, den and population, the order counts, data quality and durations.
CREATE OR REPLACE TEMP TABLE ot AS
SELECT k,
    any_value(dept_kind) AS dept_kind,
    count(*) FILTER (WHERE eff) AS eff,
    count(*) FILTER (WHERE sign_num) AS sign_num, count(*) FILTER (WHERE sign_den) AS sign_den,
    count(*) FILTER (WHERE arr_pop) AS arr_pop, count(*) FILTER (WHERE arr_num) AS arr_num, count(*) FILTER (WHERE arr_den) AS arr_den,
    count(*) FILTER (WHERE close_num) AS close_num, count(*) FILTER (WHERE close_den) AS close_den,
    sum(res_num) AS res_num, count(*) FILTER (WHERE res_den) AS res_den,
    count(*) FILTER (WHERE sat_num) AS sat_num, count(*) FILTER (WHERE sat_den) AS sat_den,
    count(*) FILTER (WHERE ret_num) AS ret_num, count(*) FILTER (WHERE ret_den) AS ret_den,
    count(*) AS orders, count(*) FILTER (WHERE status = '已退回') AS returned,
    count(*) FILTER (WHERE overdue) AS overdue, count(*) FILTER (WHERE out_of_order) AS out_of_order,
    count(*) FILTER (WHERE done_no_outcome) AS done_no_outcome, count(*) FILTER (WHERE unknown_dept) AS unknown_dept,
    quantile_cont(sign_min, [0.5, 0.9]) AS sign_q,      -- one sort per column for both quantiles
    quantile_cont(arr_min, [0.5, 0.9]) AS arrive_q,
    quantile_cont(done_days, [0.5, 0.9]) AS done_q
FROM of WHERE k IS NOT NULL GROUP BY k;
