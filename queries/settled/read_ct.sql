-- read_ct: the settled call totals (with the repeat groups of an order-only
-- grouping) of grouping $2 for the months [$3, $4) into ct as slot $1's groups,
-- split by month when $5 (as settled/read_ot.sql).
INSERT INTO ct BY NAME
SELECT $1::VARCHAR || '#' || slot_label(CASE WHEN $5::BOOLEAN THEN month END, k) AS k, * EXCLUDE (grp, month, k)
FROM settled_ct WHERE grp = $2::VARCHAR AND month >= $3::TIMESTAMP AND month < $4::TIMESTAMP;
