-- repeat_groups (temp table rg): for an order-only grouping (department, kind,
-- link_category, source), the valid diverted calls of P paired with each group
-- that has an effective order of theirs dispatched no later than T (in P or not):
-- a call with orders of two departments counts for both (SPEC §8).
CREATE OR REPLACE TEMP TABLE rg AS
WITH p AS (SELECT * FROM params),
dept AS (SELECT alias, min(name) AS name, min(kind) AS kind FROM dict_departments GROUP BY alias)
SELECT DISTINCT
    CASE p.grp
        WHEN 'department' THEN coalesce(d.name, o.department)
        WHEN 'kind' THEN coalesce(d.kind, '其他')
        WHEN 'link_category' THEN coalesce(o.link_category, '未知')
        WHEN 'source' THEN o.source
    END AS k,
    cf.call_id, cf.rep_den, cf.rep_num
FROM cf
JOIN orders o ON o.call_id = cf.call_id
CROSS JOIN p
LEFT JOIN dept d ON d.alias = o.department
WHERE cf.rep_pop AND p.grp IN ('department', 'kind', 'link_category', 'source')
  AND o.status NOT IN ('已退回', '已撤销') AND o.dispatched_at <= p.asof;
