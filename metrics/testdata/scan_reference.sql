-- Benchmark reference: DuckDB scanning the columns the indicators read, for the same
-- period, with one simple aggregate each. $1 start, $2 end.
SELECT
    (SELECT count(*) + count(DISTINCT department) + epoch(max(signed_at - dispatched_at))::BIGINT + count(closed_at)
            + count(feedback_at) + count(arrived_at) + count(outcome) + count(call_id)
     FROM orders WHERE dispatched_at >= $1 AND dispatched_at < $2),
    (SELECT count(*) + count(DISTINCT caller_key) + count(DISTINCT address_key) + count(DISTINCT category)
     FROM calls WHERE received_at >= $1 AND received_at < $2);
