-- resolution_rate (事项化解率): den = effective orders of P done by T; num = 已化解
-- (1) + 部分化解 (partial_credit); a done order without outcome, or with done_at out
-- of order, counts 0.
SELECT k, sum(res_num) AS num, count(*) FILTER (WHERE res_den) AS den,
       count(*) FILTER (WHERE eff AND NOT res_den) AS pending
FROM of WHERE k IS NOT NULL GROUP BY k;
