-- classify_orders: keep the last accepted row of each order_id (SPEC §8: positional),
-- then apply the cross-file precedence of SPEC §2.5: the incoming row replaces the
-- stored one unless the stored row has progressed further (later last_event_at; on a
-- tie, more non-null parsed fields; on a full tie the later load, i.e. the incoming
-- row, wins). An incoming row is inserted (new id), updated (wins and differs) or
-- unchanged (loses, or wins with identical parsed values).
-- Only (id, seq, action) is kept: the rows themselves are inserted straight from
-- the Parquet file by insert_orders.sql.
-- $1 path of the Parquet file of accepted rows (seq = position among them, line,
-- then the table's columns).
-- The last row of each id is found on (id, seq) alone, and only the ids already
-- stored read their incoming row whole to compare it (classify_calls.sql).
CREATE OR REPLACE TEMP TABLE inc AS
WITH last AS (
    SELECT order_id, max(seq) AS seq FROM read_parquet($1) GROUP BY order_id
)
SELECT l.order_id, l.seq, 'inserted' AS action
FROM last l
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = l.order_id)
UNION ALL
SELECT
    l.order_id,
    l.seq,
    CASE
        WHEN o.last_event_at > l.last_event_at
          OR (o.last_event_at = l.last_event_at AND o.nonnull > l.nonnull) THEN 'unchanged'
        WHEN (l.call_id, l.source, l.dispatched_at, l.department, l.county, l.town,
              l.link_category, l.tag, l.priority, l.area_type, l.onsite_required, l.difficulty,
              l.signed_at, l.arrived_at, l.feedback_at, l.closed_at, l.status, l.returned_at,
              l.return_reason, l.outcome, l.onsite_resolved, l.revisited_at, l.satisfaction,
              l.nonnull, l.date_only)
             IS NOT DISTINCT FROM
             (o.call_id, o.source, o.dispatched_at, o.department, o.county, o.town,
              o.link_category, o.tag, o.priority, o.area_type, o.onsite_required, o.difficulty,
              o.signed_at, o.arrived_at, o.feedback_at, o.closed_at, o.status, o.returned_at,
              o.return_reason, o.outcome, o.onsite_resolved, o.revisited_at, o.satisfaction,
              o.nonnull, o.date_only)
            THEN 'unchanged'
        ELSE 'updated'
    END AS action
FROM read_parquet($1) l
JOIN last k ON k.order_id = l.order_id AND k.seq = l.seq
JOIN orders o ON o.order_id = l.order_id;
