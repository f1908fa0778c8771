-- merge: the totals of a computation that read settled months: per group, the sum
-- of the totals counted from the records (ot_live, ct_live), those of the settled
-- months' late records counted at T and those read from the settled figures
-- (ot, ct, settled/read_*.sql). Every total is a count or a sum, and adds up; the
-- department's kind is one per group, and the durations are never asked with
-- settled months.
CREATE OR REPLACE TEMP TABLE ot AS
SELECT k, any_value(COLUMNS(c -> c = 'dept_kind' OR suffix(c, '_q'))),
    sum(COLUMNS(c -> c NOT IN ('k', 'dept_kind') AND NOT suffix(c, '_q')))
FROM (SELECT * FROM ot_live UNION ALL BY NAME SELECT * FROM ot)
GROUP BY k;
CREATE OR REPLACE TEMP TABLE ct AS
SELECT k, sum(COLUMNS(c -> c <> 'k'))
FROM (SELECT * FROM ct_live UNION ALL BY NAME SELECT * FROM ct)
GROUP BY k;
DROP TABLE ot_live; DROP TABLE ct_live;
