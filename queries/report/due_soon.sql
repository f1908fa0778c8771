-- due_soon: effective orders dispatched by $asof and not done at $asof whose
-- closure is due after $asof and by $until (the warnings' 催办 list), soonest
-- first. days_over is negative: the days left.
SELECT o.order_id, coalesce(o.call_id, ''), coalesce(d.name, o.department) AS department,
       coalesce(o.town, ''), o.dispatched_at, o.due_at, o.status,
       round(epoch($asof::TIMESTAMP - o.due_at) / 86400.0, 1) AS days_over
FROM order_derived o
LEFT JOIN (SELECT alias, min(name) AS name FROM dict_departments GROUP BY alias) d ON d.alias = o.department
WHERE o.dispatched_at <= $asof AND o.eff AND o.due_at > $asof AND o.due_at <= $until
  AND (o.done_at IS NULL OR o.done_at > $asof)
ORDER BY o.due_at, o.order_id;
