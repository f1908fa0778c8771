-- repeat_groups (into temp table rg, indicators/repeat_table.sql): for one slot
-- whose grouping is of orders only (department, kind, link_category, source: $1
-- the slot, $2 the grouping, $3 split by month, [$4, $5) its period; the
-- totals' keys are prefixed with the slot as in order_totals.sql), per group the
-- valid diverted calls of the period that have an
-- effective order of the group dispatched no later than T (in P or not): a call
-- with orders of two departments counts for both (SPEC §8), once for each. Such an
-- order also makes the call diverted at T. Read from order_calls (as
-- src_order_calls: indicators/sources.sql); the repeat flags as in call_facts.sql,
-- and the times compared with T waited for by settled/late.sql.
--
-- Calls with one effective order (not multi) are counted per raw key (the
-- department as exported, the link category, the source) and the few keys are then
-- resolved through the dictionary: joining millions of orders to it would cost
-- more than everything else. Only calls with several orders (multi) can pair with
-- a group twice: they are resolved row by row and de-duplicated.
INSERT INTO rg
WITH p AS (SELECT params.asof AS asof, params.repeat_window_s AS repeat_window_s, $1::INTEGER AS slot, $2::VARCHAR AS grp, $3::BOOLEAN AS split_month,
    $4::TIMESTAMP AS p_start, $5::TIMESTAMP AS p_end FROM params),
x AS NOT MATERIALIZED ( -- inlined in both branches: no copy of the call ids
    SELECT
        CASE p.grp
            WHEN 'link_category' THEN coalesce(oc.link_category, '未知')
            WHEN 'source' THEN oc.source
            ELSE oc.department
        END AS rk,
        slot_month(p.split_month, oc.call_received_at) AS m,
        oc.call_id, oc.multi,
        NOT oc.x_rep AND (coalesce(oc.next_repeat_at <= least(oc.call_received_at + to_seconds(p.repeat_window_s), p.asof), false)
            OR oc.call_received_at + to_seconds(p.repeat_window_s) <= p.asof) AS rep_den,
        NOT oc.x_rep AND coalesce(oc.next_repeat_at <= least(oc.call_received_at + to_seconds(p.repeat_window_s), p.asof), false) AS rep_num,
        oc.x_rep AS rep_ex
    -- exemptions in force at T: IN, as in order_facts.sql
    FROM (SELECT *, call_id IN (SELECT record_id FROM ex WHERE record_kind = 'call' AND rep) AS x_rep FROM src_order_calls) oc
    CROSS JOIN p
    WHERE p.grp IN ('department', 'kind', 'link_category', 'source')
      AND oc.call_received_at >= p.p_start AND oc.call_received_at < p.p_end AND oc.call_received_at <= p.asof
      AND oc.dispatched_at <= p.asof
),
-- each raw key's group: departments and kinds through the dictionary
groups AS (
    SELECT keys.rk,
        CASE p.grp
            WHEN 'department' THEN coalesce(d.name, keys.rk)
            WHEN 'kind' THEN coalesce(d.kind, '其他')
            ELSE keys.rk
        END AS k
    FROM (SELECT DISTINCT rk FROM x) keys
    CROSS JOIN p
    LEFT JOIN dmap d ON d.alias = keys.rk AND p.grp IN ('department', 'kind')
),
single AS (
    SELECT m, rk, count(*) AS pop, count_if(rep_den) AS den, count_if(rep_num) AS num, count_if(rep_ex) AS ex
    FROM x WHERE NOT multi GROUP BY m, rk
),
several AS (
    SELECT DISTINCT x.m, g.k, x.call_id, x.rep_den, x.rep_num, x.rep_ex
    FROM x JOIN groups g ON g.rk = x.rk
    WHERE x.multi
)
-- m is NULL unless the months are split
SELECT (SELECT slot FROM p) || '#' || slot_label(m, k), sum(pop), sum(den), sum(num), sum(ex)
FROM (
    SELECT s.m, g.k, s.pop, s.den, s.num, s.ex FROM single s JOIN groups g ON g.rk = s.rk
    UNION ALL
    SELECT m, k, 1, rep_den::INTEGER, rep_num::INTEGER, rep_ex::INTEGER FROM several
)
GROUP BY m, k;
