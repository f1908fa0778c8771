-- overdue_open: effective orders overdue at $asof (due, not done), whenever
-- dispatched: the backlog the meeting follows up. carried is true when the order
-- was already overdue at $prev (the previous briefing's as-of time, a week
-- earlier), so the previous briefing listed it and it is still open; false when it
-- became overdue since. Oldest due first.
SELECT o.order_id, coalesce(o.call_id, '') AS call_id, coalesce(d.name, o.department) AS department,
       coalesce(o.town, '未知') AS town, o.dispatched_at, o.due_at, o.status,
       round(epoch($asof::TIMESTAMP - o.due_at) / 86400.0, 1) AS days_over,
       o.due_at <= $prev AS carried
FROM order_derived o
LEFT JOIN (SELECT alias, min(name) AS name FROM dict_departments GROUP BY alias) d ON d.alias = o.department
WHERE o.eff AND o.dispatched_at <= $asof AND o.due_at <= $asof
  AND (o.done_at IS NULL OR o.done_at > $asof)
ORDER BY o.due_at, o.order_id;
