-- facts: the rules of the derived facts (see schema/0002_derived.sql), written once
-- as temp views over the rows in scope, which derive/scope_all.sql (a full rebuild)
-- or derive/scope_changed.sql (the rows a load can have changed) define:
--   d_calls        the calls whose call_derived rows are built
--   d_call_orders  the orders of those calls
--   d_cand_caller  the valid calls that may be the next repeat of one of them
--   d_cand_address by caller and by address
--   d_orders       the orders whose order_derived rows are built
-- Reads params (indicators/params.sql: skew_s, same_incident_s, repeat_window_s), the rules of
-- derive/rules.sql and the tables of derive/repeats.sql (made first), on the same
-- connection.

-- new_call_derived: per call, its first dispatch and effective orders, and its next
-- repeat candidate by caller or by address, whichever comes first (found by
-- derive/repeats.sql, for valid calls that have an effective order) — kept only
-- inside the call's repeat window (params.repeat_window_s), the only place any
-- figure, list or explain looks for it. A later call of the key therefore changes
-- the facts of the calls of the window before it, not of every earlier call of
-- the key: an update's scope (scope_changed.sql) is a window, not the year.
CREATE OR REPLACE TEMP VIEW new_call_derived AS
SELECT c.call_id, c.received_at, c.valid, c.category, c.nature, c.county, c.town, c.police_station,
       fd.first_dispatch_at, coalesce(fd.effective_orders, 0) AS effective_orders,
       CASE WHEN least(coalesce(bc.next_at, ba.next_at), coalesce(ba.next_at, bc.next_at))
                 <= c.received_at + to_seconds((SELECT repeat_window_s FROM params))
            THEN least(coalesce(bc.next_at, ba.next_at), coalesce(ba.next_at, bc.next_at)) END AS next_repeat_at
FROM d_calls c
LEFT JOIN d_first_dispatch fd ON fd.call_id = c.call_id
LEFT JOIN d_next_caller bc ON bc.call_id = c.call_id
LEFT JOIN d_next_address ba ON ba.call_id = c.call_id;

-- new_order_calls: the effective orders of valid calls among d_calls, with their
-- call's time and next repeat from call_derived (built first); multi: the call has
-- more than one effective order.
CREATE OR REPLACE TEMP VIEW new_order_calls AS
SELECT o.call_id, d.received_at AS call_received_at, d.next_repeat_at,
       o.department, o.link_category, o.source, o.dispatched_at,
       d.effective_orders > 1 AS multi
FROM d_call_orders o
JOIN call_derived d ON d.call_id = o.call_id
JOIN rules_status r ON r.status = o.status AND r.eff
WHERE d.valid;

-- new_order_derived: per order, its windows, due date, done_at, out-of-order, its
-- call's town and county, and the status, outcome and satisfaction as the
-- indicators read them.
CREATE OR REPLACE TEMP VIEW new_order_derived AS
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
    CASE o.outcome WHEN '已化解' THEN 1 WHEN '部分化解' THEN 2 ELSE CASE WHEN o.outcome IS NULL THEN 0 ELSE 3 END END::UTINYINT AS outcome_code,
    o.satisfaction IS NOT NULL AS sat_known, coalesce(o.satisfaction IN ('满意', '基本满意'), false) AS sat_ok,
    coalesce(o.signed_at < o.dispatched_at - to_seconds(p.skew_s)
        OR o.arrived_at < o.dispatched_at - to_seconds(p.skew_s)
        OR o.feedback_at < o.dispatched_at - to_seconds(p.skew_s)
        OR (o.feedback_at IS NULL AND o.closed_at < o.dispatched_at - to_seconds(p.skew_s))
        OR o.revisited_at < o.dispatched_at - to_seconds(p.skew_s), false) AS out_of_order
FROM d_orders o
CROSS JOIN p
-- only the calls of these orders: a hash table of every call's town and county
-- took 200 MB more at 10 M calls, for nothing
LEFT JOIN (SELECT call_id, town, county FROM calls WHERE call_id IN (SELECT call_id FROM d_orders)) c
       ON c.call_id = o.call_id
LEFT JOIN rules_status rs ON rs.status = o.status
LEFT JOIN rules_sla sla ON sla.priority = o.priority AND sla.area_type = o.area_type
LEFT JOIN rules_closure cl ON cl.difficulty = o.difficulty;
