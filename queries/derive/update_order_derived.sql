-- update_order_derived: the rows of order_derived in scope (derive/scope_changed.sql)
-- replaced by their new values.
-- The new rows are made first, as in update_call_derived.sql, and stay for
-- settled/touched.sql.
CREATE OR REPLACE TEMP TABLE upd_orders AS SELECT * FROM new_order_derived;
DELETE FROM order_derived WHERE order_id IN (SELECT order_id FROM d_orders);
INSERT INTO order_derived BY NAME SELECT * FROM upd_orders;
