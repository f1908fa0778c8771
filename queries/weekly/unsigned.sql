-- unsigned: effective orders dispatched in [$start, $end) by $asof whose
-- sign deadline has passed at $asof without a signature, and not done. Oldest first.
SELECT o.order_id, coalesce(o.call_id, '') AS call_id, coalesce(d.name, o.department) AS department,
       coalesce(o.town, '未知') AS town, o.dispatched_at, o.sign_end AS sign_by, o.status,
       round(epoch($asof::TIMESTAMP - o.sign_end) / 3600.0, 1) AS hours_over
FROM order_derived o
LEFT JOIN (SELECT alias, min(name) AS name FROM dict_departments GROUP BY alias) d ON d.alias = o.department
WHERE o.eff AND o.dispatched_at >= $start AND o.dispatched_at < $end AND o.dispatched_at <= $asof
  AND o.sign_end <= $asof AND (o.signed_at IS NULL OR o.signed_at > $asof)
  AND (o.done_at IS NULL OR o.done_at > $asof)
ORDER BY o.dispatched_at, o.order_id;
