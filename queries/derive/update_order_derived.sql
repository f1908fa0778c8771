-- update_order_derived: the rows of order_derived in scope (derive/scope_changed.sql)
-- replaced by their new values.
-- The new rows are made first, as in update_call_derived.sql.
CREATE OR REPLACE TEMP TABLE upd AS SELECT * FROM new_order_derived;
DELETE FROM order_derived WHERE order_id IN (SELECT order_id FROM d_orders);
INSERT INTO order_derived BY NAME SELECT * FROM upd;
DROP TABLE upd;
