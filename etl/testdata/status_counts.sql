-- Test helper: orders per status.
SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status;
