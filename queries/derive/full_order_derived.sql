-- full_order_derived: a full rebuild of order_derived from new_order_derived (derive/facts.sql) over every
-- row, sorted by dispatched_at so that a period reads only its own row groups.
CREATE OR REPLACE TABLE order_derived AS SELECT * FROM new_order_derived ORDER BY dispatched_at;
