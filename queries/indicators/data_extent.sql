-- data_extent: how much data a period holds up to T, to judge whether two periods
-- can be compared (SPEC §12 and issue 13: 不可比): its calls, its orders and the
-- days with at least one call. $1 start, $2 end, $3 T (wall clock).
SELECT
    (SELECT count(*) FROM calls WHERE received_at >= $1 AND received_at < $2 AND received_at <= $3),
    (SELECT count(*) FROM orders WHERE dispatched_at >= $1 AND dispatched_at < $2 AND dispatched_at <= $3),
    (SELECT count(DISTINCT CAST(received_at AS DATE)) FROM calls WHERE received_at >= $1 AND received_at < $2 AND received_at <= $3);
