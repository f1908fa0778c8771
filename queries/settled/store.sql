-- store: replace the settled figures of the months of settle_span by the totals
-- just counted from their settled part (ot, ct: every slot split by month, keys
-- '3#2024-05|水利局'), with each month's cut (settled_cut) and its records'
-- exemptions (settle_marks).
DELETE FROM settled_ot WHERE month >= (SELECT a FROM settle_span) AND month < (SELECT b FROM settle_span);
DELETE FROM settled_ct WHERE month >= (SELECT a FROM settle_span) AND month < (SELECT b FROM settle_span);
DELETE FROM settled_months WHERE month >= (SELECT a FROM settle_span) AND month < (SELECT b FROM settle_span);
-- A department's kind is its group's; under the other groupings it is any order's,
-- and is not kept.
INSERT INTO settled_ot BY NAME
SELECT * REPLACE (CASE WHEN grp = 'department' THEN dept_kind END AS dept_kind)
FROM (
    SELECT (SELECT grps FROM settle_span)[substr(k, 1, h - 1)::INTEGER] AS grp,
        strptime(substr(k, h + 1, 7), '%Y-%m') AS month, * EXCLUDE (k, h), substr(k, h + 9) AS k
    FROM (SELECT *, position('#' IN k) AS h FROM ot WHERE k IS NOT NULL)
);
INSERT INTO settled_ct BY NAME
SELECT (SELECT grps FROM settle_span)[substr(k, 1, h - 1)::INTEGER] AS grp,
    strptime(substr(k, h + 1, 7), '%Y-%m') AS month, * EXCLUDE (k, h), substr(k, h + 9) AS k
FROM (SELECT *, position('#' IN k) AS h FROM ct WHERE k IS NOT NULL);
INSERT INTO settled_months
SELECT m.month, settled_cut(m.month), k.mark
FROM (SELECT unnest(generate_series(a, b - INTERVAL 1 MONTH, INTERVAL 1 MONTH)) AS month FROM settle_span) m
LEFT JOIN settle_marks k ON k.month = m.month;
