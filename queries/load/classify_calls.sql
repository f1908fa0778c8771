-- classify_calls: each call_id's last row (load/last_calls.sql, made first)
-- compared with the stored row. For calls the later load wins, so an incoming
-- row is inserted (new id), unchanged (same parsed values) or updated (differs).
-- Only (id, seq, action) is kept: the rows themselves are inserted straight from
-- the Parquet file by insert_calls.sql.
-- $1 path of the Parquet file of accepted rows (seq = position among them, line,
-- then the table's columns).
-- The ids already stored are found first, on the ids alone, and only their
-- incoming rows are read whole to compare: a file of new calls never holds its
-- rows in a join (joined whole, a year of new calls ran out of memory in a
-- 40 M-call store), and the comparison is a statement of its own, which DuckDB
-- spills when a large re-export's rows do not fit.
CREATE OR REPLACE TEMP TABLE inc_stored AS
SELECT l.call_id, l.seq FROM inc_last l SEMI JOIN calls c ON c.call_id = l.call_id;

CREATE OR REPLACE TEMP TABLE inc AS
SELECT l.call_id, l.seq, 'inserted' AS action
FROM inc_last l ANTI JOIN inc_stored s ON s.call_id = l.call_id;

INSERT INTO inc
SELECT
    l.call_id,
    l.seq,
    CASE
        WHEN (l.received_at, l.caller_key, l.caller_masked, l.address, l.address_key, l.county,
              l.town, l.village, l.police_station, l.category, l.subcategory, l.nature, l.valid,
              l.disposition, l.summary, l.date_only)
             IS NOT DISTINCT FROM
             (c.received_at, c.caller_key, c.caller_masked, c.address, c.address_key, c.county,
              c.town, c.village, c.police_station, c.category, c.subcategory, c.nature, c.valid,
              c.disposition, c.summary, c.date_only)
            THEN 'unchanged'
        ELSE 'updated'
    END AS action
FROM read_parquet($1) l
JOIN inc_stored k ON k.call_id = l.call_id AND k.seq = l.seq
JOIN calls c ON c.call_id = l.call_id;
