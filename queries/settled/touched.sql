-- touched: after an update, the months whose figures its rows can have changed:
-- those its orders were in (settled/before.sql) and are in; and of the calls in
-- scope, the months, before and after, of those that changed themselves or whose
-- orders changed (settle_direct) — their rows change with them — and of those
-- whose next repeat moved. A call in scope for sharing a
-- key has no other column that can change, and its order_calls rows are of its
-- month. (TestSettledFollowsAnUpdate fails without any one of these.)
INSERT INTO settle_touched
SELECT month FROM settle_old_calls WHERE call_id IN (SELECT call_id FROM settle_direct)
UNION
SELECT date_trunc('month', received_at) FROM upd_calls WHERE call_id IN (SELECT call_id FROM settle_direct)
UNION
SELECT date_trunc('month', n.received_at) FROM upd_calls n JOIN settle_old_calls o ON o.call_id = n.call_id
WHERE n.next_repeat_at IS DISTINCT FROM o.next
UNION
SELECT date_trunc('month', dispatched_at) FROM upd_orders;
DROP TABLE settle_old_calls; DROP TABLE settle_direct;
