-- repeat_group_members (temp table macro): repeat_rate under an order-only
-- grouping (department, kind, link_category, source): each valid diverted call of
-- the period once under each distinct group of its effective orders dispatched by
-- T, as indicators/repeat_groups.sql counts them, with the times behind its
-- state. want_key: the group key, or '' for every group. Read by
-- explain/repeat_groups.sql (every member) and explain/repeat_groups_alike.sql
-- (a scorecard's detail).
CREATE OR REPLACE TEMP MACRO repeat_group_members(want_key, every) AS TABLE
WITH p AS (SELECT * FROM params),
x AS (
    SELECT
        CASE p.grp
            WHEN 'department' THEN coalesce(d.name, oc.department)
            WHEN 'kind' THEN coalesce(d.kind, '其他')
            WHEN 'link_category' THEN coalesce(oc.link_category, '未知')
            WHEN 'source' THEN oc.source
        END AS k,
        oc.call_id, oc.call_received_at, oc.next_repeat_at,
        oc.call_received_at + to_seconds(p.repeat_window_s) AS window_end,
        coalesce(oc.next_repeat_at <= least(oc.call_received_at + to_seconds(p.repeat_window_s), p.asof), false)
            OR oc.call_received_at + to_seconds(p.repeat_window_s) <= p.asof AS rep_den,
        coalesce(oc.next_repeat_at <= least(oc.call_received_at + to_seconds(p.repeat_window_s), p.asof), false) AS rep_num,
        oc.call_id IN (SELECT record_id FROM ex WHERE record_kind = 'call' AND rep) AS rep_ex -- IN: see order_facts.sql
    FROM order_calls oc
    CROSS JOIN p
    LEFT JOIN dmap d ON d.alias = oc.department AND p.grp IN ('department', 'kind')
    WHERE p.grp IN ('department', 'kind', 'link_category', 'source')
      AND oc.call_received_at >= p.p_start AND oc.call_received_at < p.p_end AND oc.call_received_at <= p.asof
      AND oc.dispatched_at <= p.asof
)
-- every: every call; else only those that may stand against the group
-- (repeated, still open, or exempted: not the not-repeated).
SELECT DISTINCT call_id, k, rep_den AND NOT rep_ex AS den, rep_num AND NOT rep_ex AS num,
       call_received_at, next_repeat_at, window_end, rep_ex
FROM x
WHERE (want_key = '' OR k = want_key)
  AND (every OR NOT coalesce(rep_den AND NOT rep_num AND NOT rep_ex, false));
