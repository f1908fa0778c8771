-- update_order_calls: the rows of order_calls of the calls in scope
-- (derive/scope_changed.sql) replaced, after call_derived was updated.
-- The new rows are made first, as in update_call_derived.sql.
CREATE OR REPLACE TEMP TABLE upd AS SELECT * FROM new_order_calls;
DELETE FROM order_calls WHERE call_id IN (SELECT call_id FROM d_calls);
INSERT INTO order_calls BY NAME SELECT * FROM upd;
DROP TABLE upd;
