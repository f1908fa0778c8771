-- late_sources: the late records of the settled months (settled/late.sql), for the
-- indicators to count at T under the names of indicators/sources.sql.
CREATE OR REPLACE TEMP VIEW src_orders AS SELECT * FROM settled_late_orders;
CREATE OR REPLACE TEMP VIEW src_calls AS SELECT * FROM settled_late_calls;
CREATE OR REPLACE TEMP VIEW src_order_calls AS SELECT * FROM settled_late_order_calls;
