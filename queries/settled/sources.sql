-- sources: the settled part of the derived facts, for the indicators to count
-- under the names of indicators/sources.sql: every record but the late ones
-- (settled/late.sql).
CREATE OR REPLACE TEMP VIEW src_orders AS
SELECT * FROM order_derived WHERE order_id NOT IN (SELECT order_id FROM settled_late_orders);
CREATE OR REPLACE TEMP VIEW src_calls AS
SELECT * FROM call_derived WHERE call_id NOT IN (SELECT call_id FROM settled_late_calls);
CREATE OR REPLACE TEMP VIEW src_order_calls AS
SELECT * FROM order_calls WHERE call_id NOT IN (SELECT call_id FROM settled_late_calls);
