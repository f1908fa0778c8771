-- repeat_rate (重复报警率, lower is better): over valid diverted calls of P:
-- num = repeated by T; den = repeated by T or the repeat window ended by T. For an
-- order-only grouping the calls are counted per group of their orders (rg).
SELECT k, count(*) FILTER (WHERE rep_num) AS num, count(*) FILTER (WHERE rep_den) AS den,
       count(*) FILTER (WHERE NOT rep_den) AS pending
FROM (
    SELECT k, rep_num, rep_den FROM cf WHERE k IS NOT NULL AND rep_pop
    UNION ALL
    SELECT k, rep_num, rep_den FROM rg WHERE k IS NOT NULL
) GROUP BY k;
