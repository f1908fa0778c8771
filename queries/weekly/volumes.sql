-- volumes: valid calls received by $asof in each of the five ISO weeks
-- [$start, $end) (the briefing's week is w = 4, the four before it w = 0..3), by
-- category and by town (未知 when the export gave none).
WITH c AS (
    SELECT category, coalesce(town, '未知') AS town,
           (date_diff('day', $start::TIMESTAMP, received_at) // 7)::INTEGER AS w
    FROM call_derived
    WHERE received_at >= $start AND received_at < $end AND received_at <= $asof AND valid
)
SELECT 'category' AS dim, category AS k, w, count(*) AS calls FROM c GROUP BY ALL
UNION ALL
SELECT 'town', town, w, count(*) FROM c GROUP BY ALL
ORDER BY dim, k, w;
