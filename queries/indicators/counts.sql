-- counts: per group, calls (all of P, invalid too), valid_calls, nonpolice_calls
-- (valid 非警务), diverted_calls (valid, diverted by T), orders (all of P),
-- effective_orders, returned_orders (已退回), overdue_orders (effective, not done at
-- T, due_at <= T), and the data-quality counts: out_of_order, done_no_outcome,
-- unknown_department, unknown_category.
SELECT k,
    sum(calls) AS calls, sum(valid_calls) AS valid_calls, sum(nonpolice_calls) AS nonpolice_calls,
    sum(diverted_calls) AS diverted_calls, sum(orders) AS orders, sum(effective_orders) AS effective_orders,
    sum(returned_orders) AS returned_orders, sum(overdue_orders) AS overdue_orders,
    sum(out_of_order) AS out_of_order, sum(done_no_outcome) AS done_no_outcome,
    sum(unknown_department) AS unknown_department, sum(unknown_category) AS unknown_category
FROM (
    SELECT k, count(*) AS calls, count(*) FILTER (WHERE valid) AS valid_calls,
        count(*) FILTER (WHERE valid AND nature_r = '非警务') AS nonpolice_calls,
        count(*) FILTER (WHERE valid AND diverted) AS diverted_calls,
        0 AS orders, 0 AS effective_orders, 0 AS returned_orders, 0 AS overdue_orders,
        0 AS out_of_order, 0 AS done_no_outcome, 0 AS unknown_department,
        count(*) FILTER (WHERE unknown_category) AS unknown_category
    FROM cf WHERE k IS NOT NULL GROUP BY k
    UNION ALL
    SELECT k, 0, 0, 0, 0, count(*), count(*) FILTER (WHERE eff), count(*) FILTER (WHERE status = '已退回'),
        count(*) FILTER (WHERE overdue), count(*) FILTER (WHERE out_of_order),
        count(*) FILTER (WHERE done_no_outcome), count(*) FILTER (WHERE unknown_dept), 0
    FROM of WHERE k IS NOT NULL GROUP BY k
) GROUP BY k;
