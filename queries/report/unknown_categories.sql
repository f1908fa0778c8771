-- unknown_categories: call categories of [$start, $end) (by $asof) in neither list of
-- the category dictionary (loaded as 非警务), with their call counts.
SELECT c.category, count(*) AS n FROM calls c
WHERE c.received_at >= $start AND c.received_at < $end AND c.received_at <= $asof
  AND c.category NOT IN (SELECT category FROM dict_categories)
GROUP BY c.category ORDER BY n DESC, c.category;
