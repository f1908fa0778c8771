-- diversion_ratio (分流率): den = valid calls of P; num = those diverted by T.
SELECT k, count(*) FILTER (WHERE valid AND diverted) AS num, count(*) FILTER (WHERE valid) AS den, 0 AS pending
FROM cf WHERE k IS NOT NULL GROUP BY k;
