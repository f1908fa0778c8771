-- sign_rate (签收率): num = effective orders of P signed by T with signed_at -
-- dispatched_at in [-skew, sign_sla[priority]]; den = effective orders of P signed by
-- T or whose sign window has ended by T; pending = effective orders - den.
SELECT k, count(*) FILTER (WHERE sign_num) AS num, count(*) FILTER (WHERE sign_den) AS den,
       count(*) FILTER (WHERE eff AND NOT sign_den) AS pending
FROM of WHERE k IS NOT NULL GROUP BY k;
