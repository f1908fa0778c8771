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
CREATE OR REPLACE TEMP TABLE inc AS
WITH last AS (
    SELECT * FROM read_parquet($1)
    QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY seq DESC) = 1
)
SELECT
    l.order_id,
    l.seq,
    CASE
        WHEN o.order_id IS NULL THEN 'inserted'
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
FROM last l
LEFT JOIN orders o ON o.order_id = l.order_id;
