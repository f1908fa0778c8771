-- before: what settled/touched.sql needs of the derived rows an update is about
-- to replace (derive/scope_changed.sql): the months they are in, and each call's
-- next repeat (kept only inside its window: derive/facts.sql). The scope is a
-- superset — every call that shares a key and a category with a changed one in
-- the window before it — and most of its calls come back the same: their months
-- need no counting again. Only the columns these need are read (a scan of every
-- row in scope's columns cost 1.4 s at 10 M calls).
CREATE OR REPLACE TEMP TABLE settle_old_calls AS
SELECT call_id, date_trunc('month', received_at) AS month, next_repeat_at AS next
FROM call_derived WHERE call_id IN (SELECT call_id FROM d_calls);
INSERT INTO settle_touched
SELECT date_trunc('month', dispatched_at) FROM order_derived WHERE order_id IN (SELECT order_id FROM d_orders);
-- The calls whose rows change with them: changed calls and the calls of changed
-- orders, before and after (chg_calls, chg_orders: derive/scope_changed.sql; an
-- order's call before is read here, before the update replaces it).
CREATE OR REPLACE TEMP TABLE settle_direct AS
SELECT call_id FROM chg_calls
UNION SELECT call_id FROM chg_orders WHERE call_id IS NOT NULL
UNION SELECT call_id FROM order_derived WHERE order_id IN (SELECT order_id FROM chg_orders) AND call_id IS NOT NULL;
