-- call_members (temp table macro): every call of the period in the call facts
-- (temp view cf, indicators/call_facts.sql) with its group key, the memberships
-- that the totals count and the times they were decided on. want_key: the group
-- key, or '' for every group. every: every call; else only those that may stand
-- against their unit in one of want_div, want_np, want_rep (diversion, non-police
-- diversion, repeat: for repeat_rate, lower is better, all but the not-repeated).
-- Read by explain/calls.sql (explain: every member) and explain/calls_alike.sql (a
-- scorecard's detail: the first few of each set of calls that stand alike).
CREATE OR REPLACE TEMP MACRO call_members(want_key, every, want_div, want_np, want_rep) AS TABLE
SELECT call_id, k1 AS k, valid, nature_r = '非警务' AS nonpolice, diverted, rep_pop, rep_den, rep_num,
       received_at, first_dispatch_at, next_repeat_at, window_end, rep_ex, x_div, x_npdiv
FROM cf
WHERE k1 IS NOT NULL AND (want_key = '' OR k1 = want_key)
  AND (every
    OR (want_div AND valid AND (NOT diverted OR x_div))
    OR (want_np AND valid AND nature_r = '非警务' AND (NOT diverted OR x_npdiv))
    OR (want_rep AND rep_pop AND NOT coalesce(rep_den AND NOT rep_num, false)));
