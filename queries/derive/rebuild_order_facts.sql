-- rebuild_order_facts: order_derived from orders and calls (see
-- schema/0002_derived.sql), with the settings of params (a one-row temp table made
-- by indicators/params.sql on the same connection) and the rules of derive/rules.sql
-- (statuses, windows, closure days).
CREATE OR REPLACE TABLE order_derived AS
WITH p AS (SELECT * FROM params)
SELECT o.order_id, o.call_id, o.dispatched_at, o.department, o.link_category, o.source,
    coalesce(o.town, c.town) AS town, coalesce(o.county, c.county) AS county,
    o.status, coalesce(rs.eff, false) AS eff, coalesce(rs.returned, false) AS returned,
    coalesce(rs.cancelled, false) AS cancelled, o.onsite_required,
    o.dispatched_at - to_seconds(p.skew_s) AS earliest,
    o.signed_at, o.arrived_at, coalesce(o.feedback_at, o.closed_at) AS done_at,
    o.dispatched_at + to_seconds(sla.sign_s) AS sign_end,
    o.dispatched_at + to_seconds(sla.arrival_s) AS arrival_end,
    o.dispatched_at + to_days(cl.days) AS due_at,
    o.outcome, o.satisfaction, o.revisited_at,
    -- the outcome and the satisfaction as the indicators read them (no strings to scan)
    CASE o.outcome WHEN '已化解' THEN 1 WHEN '部分化解' THEN 2 ELSE CASE WHEN o.outcome IS NULL THEN 0 ELSE 3 END END::UTINYINT AS outcome_code,
    o.satisfaction IS NOT NULL AS sat_known, coalesce(o.satisfaction IN ('满意', '基本满意'), false) AS sat_ok,
    coalesce(o.signed_at < o.dispatched_at - to_seconds(p.skew_s)
        OR o.arrived_at < o.dispatched_at - to_seconds(p.skew_s)
        OR o.feedback_at < o.dispatched_at - to_seconds(p.skew_s)
        OR (o.feedback_at IS NULL AND o.closed_at < o.dispatched_at - to_seconds(p.skew_s))
        OR o.revisited_at < o.dispatched_at - to_seconds(p.skew_s), false) AS out_of_order
FROM orders o
CROSS JOIN p
LEFT JOIN calls c ON c.call_id = o.call_id
LEFT JOIN rules_status rs ON rs.status = o.status
LEFT JOIN rules_sla sla ON sla.priority = o.priority AND sla.area_type = o.area_type
LEFT JOIN rules_closure cl ON cl.difficulty = o.difficulty
ORDER BY o.dispatched_at;
