-- changed: the months to count again after an update: those its rows touched
-- (settled/touched.sql) and those whose exemptions changed since they were counted.
SELECT month FROM settle_touched
UNION
SELECT coalesce(s.month, m.month)
FROM settled_months s FULL OUTER JOIN settle_marks m ON m.month = s.month
WHERE s.exemptions IS DISTINCT FROM m.mark
ORDER BY 1;
