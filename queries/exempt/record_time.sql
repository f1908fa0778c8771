-- record_time: the time of a loaded record, or no row when it is not loaded.
-- $1 kind (order | call), $2 id.
SELECT dispatched_at FROM orders WHERE $1 = 'order' AND order_id = $2
UNION ALL
SELECT received_at FROM calls WHERE $1 = 'call' AND call_id = $2;
