-- rebuild_orders: order_calls from orders and call_derived (see schema/0002_derived.sql):
-- effective orders of valid calls, sorted by the call's time; multi: the call has
-- more than one effective order. Reads rules_status (derive/rules.sql).
CREATE OR REPLACE TABLE order_calls AS
SELECT o.call_id, d.received_at AS call_received_at, d.next_repeat_at,
       o.department, o.link_category, o.source, o.dispatched_at,
       d.effective_orders > 1 AS multi
FROM orders o
JOIN call_derived d ON d.call_id = o.call_id
JOIN rules_status r ON r.status = o.status AND r.eff
WHERE d.valid
ORDER BY d.received_at;
