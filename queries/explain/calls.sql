-- explain_calls: every call of the period in the call facts (temp view cf,
-- indicators/call_facts.sql) with its group key, the memberships that the totals
-- count and the times they were decided on. $1 the group key, or '' for every group.
-- $2: every call; else only those that may stand against their unit in one of
-- $3 … $5 (diversion, non-police diversion, repeat: for repeat_rate, lower is
-- better, all but the not-repeated).
SELECT call_id, k1 AS k, valid, nature_r = '非警务' AS nonpolice, diverted, rep_pop, rep_den, rep_num,
       received_at, first_dispatch_at, next_repeat_at, window_end, rep_ex, x_div, x_npdiv
FROM cf
WHERE k1 IS NOT NULL AND ($1 = '' OR k1 = $1)
  AND ($2
    OR ($3 AND valid AND (NOT diverted OR x_div))
    OR ($4 AND valid AND nature_r = '非警务' AND (NOT diverted OR x_npdiv))
    OR ($5 AND rep_pop AND NOT coalesce(rep_den AND NOT rep_num, false)))
ORDER BY k, call_id;
