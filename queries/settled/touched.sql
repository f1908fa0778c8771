-- touched: note the months of the derived rows an update replaces
-- (derive/scope_changed.sql): run before the update, for the months the rows were
-- in, and after it, for those they are in now. An order_calls row is of its
-- call's month, as the call's own row.
INSERT INTO settle_touched
SELECT date_trunc('month', received_at) FROM call_derived WHERE call_id IN (SELECT call_id FROM d_calls)
UNION
SELECT date_trunc('month', dispatched_at) FROM order_derived WHERE order_id IN (SELECT order_id FROM d_orders);
