-- classify_orders: each order_id's last row (load/last_orders.sql, made first),
-- then the cross-file precedence of SPEC §2.5: the incoming row replaces the
-- stored one unless the stored row has progressed further (later last_event_at; on a
-- tie, more non-null parsed fields; on a full tie the later load, i.e. the incoming
-- row, wins). An incoming row is inserted (new id), updated (wins and differs) or
-- unchanged (loses, or wins with identical parsed values).
-- Only (id, seq, action) is kept: the rows themselves are inserted straight from
-- the Parquet file by insert_orders.sql.
-- $1 path of the Parquet file of accepted rows (seq = position among them, line,
-- then the table's columns).
-- The ids already stored are found first, on the ids alone, and only their
-- incoming rows are read whole to compare (classify_calls.sql).
CREATE OR REPLACE TEMP TABLE inc_stored AS
SELECT l.order_id, l.seq FROM inc_last l SEMI JOIN orders o ON o.order_id = l.order_id;

CREATE OR REPLACE TEMP TABLE inc AS
SELECT l.order_id, l.seq, 'inserted' AS action
FROM inc_last l ANTI JOIN inc_stored s ON s.order_id = l.order_id;

INSERT INTO inc
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
JOIN inc_stored k ON k.order_id = l.order_id AND k.seq = l.seq
JOIN orders o ON o.order_id = l.order_id;
