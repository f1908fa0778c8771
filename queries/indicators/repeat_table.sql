-- repeat_table: the temp table rg, empty, that repeat_groups.sql fills for each
-- slot whose grouping is of orders only (call_totals.sql reads it).
CREATE OR REPLACE TEMP TABLE rg (k VARCHAR, rep_pop HUGEINT, rep_den HUGEINT, rep_num HUGEINT, rep_ex HUGEINT);
