-- reset: forget every settled figure and make their tables again with the
-- totals' own columns (ot, ct of the count just made), before a full count.
CREATE OR REPLACE TABLE settled_ot AS SELECT NULL::VARCHAR AS grp, NULL::TIMESTAMP AS month, * FROM ot LIMIT 0;
CREATE OR REPLACE TABLE settled_ct AS SELECT NULL::VARCHAR AS grp, NULL::TIMESTAMP AS month, * FROM ct LIMIT 0;
DELETE FROM settled_months;
DELETE FROM settled_state;
