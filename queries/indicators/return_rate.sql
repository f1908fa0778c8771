-- return_rate (退单率): den = orders of P not 已撤销; num = status 已退回. No pending.
SELECT k, count(*) FILTER (WHERE ret_num) AS num, count(*) FILTER (WHERE ret_den) AS den, 0 AS pending
FROM of WHERE k IS NOT NULL GROUP BY k;
