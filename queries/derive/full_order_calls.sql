-- full_order_calls: a full rebuild of order_calls from new_order_calls (derive/facts.sql) over every
-- row, sorted by call_received_at so that a period reads only its own row groups.
CREATE OR REPLACE TABLE order_calls AS SELECT * FROM new_order_calls ORDER BY call_received_at;
