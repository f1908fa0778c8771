-- explain_calls: every call of the period in the call facts (temp view cf,
-- indicators/call_facts.sql) with its group key, the memberships that the totals
-- count and the times they were decided on. $1 the group key, or '' for every group.
SELECT call_id, k, valid, nature_r = '非警务' AS nonpolice, diverted, rep_pop, rep_den, rep_num,
       received_at, first_dispatch_at, next_repeat_at, window_end, rep_ex, x_div, x_npdiv
FROM cf
WHERE k IS NOT NULL AND ($1 = '' OR k = $1)
ORDER BY k, call_id;
