-- counts: per group, calls (all of P, invalid too), valid_calls, nonpolice_calls
-- (valid 非警务), diverted_calls (valid, diverted by T), orders (all of P),
-- effective_orders, returned_orders (已退回), overdue_orders (effective, not done at
-- T, due_at <= T), and the data-quality counts: out_of_order, done_no_outcome,
-- unknown_department, unknown_category.
SELECT coalesce(c.k, o.k) AS k,
    coalesce(c.calls, 0), coalesce(c.valid, 0), coalesce(c.nonpolice, 0), coalesce(c.diverted, 0),
    coalesce(o.orders, 0), coalesce(o.eff, 0), coalesce(o.returned, 0), coalesce(o.overdue, 0),
    coalesce(o.out_of_order, 0), coalesce(o.done_no_outcome, 0), coalesce(o.unknown_dept, 0),
    coalesce(c.unknown_category, 0)
FROM (SELECT * FROM ct WHERE k IS NOT NULL) c
FULL OUTER JOIN (SELECT * FROM ot WHERE k IS NOT NULL) o ON o.k = c.k;
