-- unknown_departments: department names of orders dispatched in [$start, $end) and
-- by $asof that are in no alias of the dictionary, with their order counts.
SELECT o.department, count(*) AS n FROM orders o
WHERE o.dispatched_at >= $start AND o.dispatched_at < $end AND o.dispatched_at <= $asof
  AND o.department NOT IN (SELECT alias FROM dict_departments)
GROUP BY o.department ORDER BY n DESC, o.department;
