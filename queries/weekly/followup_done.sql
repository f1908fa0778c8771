-- followup_done: how many orders the previous briefing listed as overdue
-- (overdue and open at $prev) were done between $prev and $asof.
SELECT count(*)
FROM order_derived
WHERE eff AND dispatched_at <= $prev AND due_at <= $prev
  AND done_at > $prev AND done_at <= $asof;
