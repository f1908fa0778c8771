-- classify_calls: keep the last accepted row of each call_id (SPEC §8: positional),
-- then compare with the stored row. For calls the later load wins, so an incoming
-- row is inserted (new id), unchanged (same parsed values) or updated (differs).
-- Only (id, seq, action) is kept: the rows themselves are inserted straight from
-- the Parquet file by insert_calls.sql.
-- $1 path of the Parquet file of accepted rows (seq = position among them, line,
-- then the table's columns).
-- The last row of each id is found on (id, seq) alone, and only the ids already
-- stored read their incoming row whole to compare it: a window over every column
-- of the file cost a load of new rows about a second per million.
CREATE OR REPLACE TEMP TABLE inc AS
WITH last AS (
    SELECT call_id, max(seq) AS seq FROM read_parquet($1) GROUP BY call_id
)
SELECT l.call_id, l.seq, 'inserted' AS action
FROM last l
WHERE NOT EXISTS (SELECT 1 FROM calls c WHERE c.call_id = l.call_id)
UNION ALL
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
JOIN last k ON k.call_id = l.call_id AND k.seq = l.seq
JOIN calls c ON c.call_id = l.call_id;
