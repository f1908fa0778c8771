-- exemptions: the exemptions in force at $asof (approved_at <= T, not revoked at T)
-- whose record falls in the period [$start, $end): an order by its dispatch, a
-- call by its receipt; with the record's unit (an order's department through the
-- dictionary, a call's town) — the scorecard's 核减明细 (SPEC §10).
SELECT e.exemption_id, e.record_kind, e.record_id,
       coalesce(d.name, o.department, c.town, '未知') AS unit,
       array_to_string(e.indicators, ','), e.reason, e.approved_by, e.approved_at
FROM exemptions e
LEFT JOIN orders o ON e.record_kind = 'order' AND o.order_id = e.record_id
LEFT JOIN calls c ON e.record_kind = 'call' AND c.call_id = e.record_id
LEFT JOIN (SELECT alias, min(name) AS name FROM dict_departments GROUP BY alias) d ON d.alias = o.department
WHERE e.approved_at <= $asof AND (e.revoked_at IS NULL OR e.revoked_at > $asof)
  AND coalesce(o.dispatched_at, c.received_at) >= $start
  AND coalesce(o.dispatched_at, c.received_at) < $end
ORDER BY e.exemption_id;
