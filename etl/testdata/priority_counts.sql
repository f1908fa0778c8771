-- Test helper: orders per priority.
SELECT priority, count(*) AS n FROM orders GROUP BY priority ORDER BY priority;
