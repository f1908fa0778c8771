-- reset_late: forget the late records and make their tables again with the
-- derived tables' own columns, before a full count.
CREATE OR REPLACE TABLE settled_late_orders AS SELECT * FROM order_derived LIMIT 0;
CREATE OR REPLACE TABLE settled_late_calls AS SELECT * FROM call_derived LIMIT 0;
CREATE OR REPLACE TABLE settled_late_order_calls AS SELECT * FROM order_calls LIMIT 0;
