-- Test helper: the call stored from one physical line ($1), with its time as text.
SELECT call_id, strftime(received_at, '%Y-%m-%d %H:%M:%S') AS received_at FROM calls WHERE line = $1;
