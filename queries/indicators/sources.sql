-- sources: the derived facts the indicators count (order_facts.sql, call_facts.sql,
-- repeat_groups.sql read these names): all of them. The settled figures count a
-- part of them under the same names (settled/sources.sql, settled/late_sources.sql).
CREATE OR REPLACE TEMP VIEW src_orders AS SELECT * FROM order_derived;
CREATE OR REPLACE TEMP VIEW src_calls AS SELECT * FROM call_derived;
CREATE OR REPLACE TEMP VIEW src_order_calls AS SELECT * FROM order_calls;
