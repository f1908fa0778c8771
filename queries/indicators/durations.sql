-- durations: per group, median and 90th percentile of minutes to sign and to arrive
-- and of days to done (effective orders of P, events by T and not out of order;
-- continuous quantiles; NULL when there is none).
SELECT k,
    quantile_cont(sign_min, 0.5) AS sign_median, quantile_cont(sign_min, 0.9) AS sign_p90,
    quantile_cont(arr_min, 0.5) AS arrive_median, quantile_cont(arr_min, 0.9) AS arrive_p90,
    quantile_cont(done_days, 0.5) AS done_median, quantile_cont(done_days, 0.9) AS done_p90
FROM of WHERE k IS NOT NULL GROUP BY k;
