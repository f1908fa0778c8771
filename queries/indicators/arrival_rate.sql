-- arrival_rate (按时到点率): over effective orders of P with onsite_required:
-- num = arrived by T with arrived_at - dispatched_at in [-skew,
-- arrival_sla[priority][area_type]]; den = arrived by T or the window ended by T.
SELECT k, count(*) FILTER (WHERE arr_num) AS num, count(*) FILTER (WHERE arr_den) AS den,
       count(*) FILTER (WHERE arr_pop AND NOT arr_den) AS pending
FROM of WHERE k IS NOT NULL GROUP BY k;
