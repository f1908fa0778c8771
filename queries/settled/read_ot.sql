-- read_ot: the settled order totals of grouping $2 for the months [$3, $4) into
-- ot as slot $1's groups (keys as indicators/order_totals.sql makes them: with
-- their month when $5, else without, each key's months added up by settled/merge.sql).
INSERT INTO ot BY NAME
SELECT $1::VARCHAR || '#' || slot_label(CASE WHEN $5::BOOLEAN THEN month END, k) AS k, * EXCLUDE (grp, month, k)
FROM settled_ot WHERE grp = $2::VARCHAR AND month >= $3::TIMESTAMP AND month < $4::TIMESTAMP;
