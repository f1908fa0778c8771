-- repeat_groups (temp table rg): for an order-only grouping (department, kind,
-- link_category, source), the valid diverted calls of P paired with each group
-- that has an effective order of theirs dispatched no later than T (in P or not):
-- a call with orders of two departments counts for both (SPEC §8). Such an order
-- also makes the call diverted at T. Read from order_calls; the repeat flags as in
-- call_facts.sql.
CREATE OR REPLACE TEMP TABLE rg AS
WITH p AS (SELECT * FROM params),
dept AS (SELECT alias, min(name) AS name, min(kind) AS kind FROM dict_departments GROUP BY alias)
SELECT DISTINCT
    CASE p.grp
        WHEN 'department' THEN coalesce(d.name, oc.department)
        WHEN 'kind' THEN coalesce(d.kind, '其他')
        WHEN 'link_category' THEN coalesce(oc.link_category, '未知')
        WHEN 'source' THEN oc.source
    END AS k,
    oc.call_id,
    coalesce(oc.next_repeat_at <= least(oc.call_received_at + to_seconds(p.repeat_window_s), p.asof), false)
        OR oc.call_received_at + to_seconds(p.repeat_window_s) <= p.asof AS rep_den,
    coalesce(oc.next_repeat_at <= least(oc.call_received_at + to_seconds(p.repeat_window_s), p.asof), false) AS rep_num
FROM order_calls oc
CROSS JOIN p
LEFT JOIN dept d ON d.alias = oc.department
WHERE p.grp IN ('department', 'kind', 'link_category', 'source')
  AND oc.call_received_at >= p.p_start AND oc.call_received_at < p.p_end AND oc.call_received_at <= p.asof
  AND oc.dispatched_at <= p.asof;
