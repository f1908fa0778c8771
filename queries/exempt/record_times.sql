-- record_times: the times of the loaded records among a ledger's ids, in one
-- query (an import checks every row against them). $1 order ids, $2 call ids.
SELECT 'order' AS kind, order_id, dispatched_at FROM orders WHERE order_id IN (SELECT unnest($1::VARCHAR[]))
UNION ALL
SELECT 'call', call_id, received_at FROM calls WHERE call_id IN (SELECT unnest($2::VARCHAR[]));
