-- nonpolice_diversion_ratio (非警务分流率): den = valid 非警务 calls of P (nature as
-- exported, else from the category dictionary, else 非警务); num = diverted by T.
SELECT k, count(*) FILTER (WHERE valid AND nature_r = '非警务' AND diverted) AS num,
       count(*) FILTER (WHERE valid AND nature_r = '非警务') AS den, 0 AS pending
FROM cf WHERE k IS NOT NULL GROUP BY k;
