-- repeats: valid diverted calls received in [$start, $end) and by $asof that were
-- repeated by $asof (the next valid call with the same caller or address and
-- category came after same_incident and within $window seconds). Callers masked;
-- summaries were phone-masked when loaded.
SELECT c.call_id, c.received_at, coalesce(c.caller_masked, ''),
       coalesce(c.address, ''), c.category, coalesce(c.town, ''),
       d.next_repeat_at, coalesce(c.summary, '')
FROM call_derived d
JOIN calls c ON c.call_id = d.call_id
WHERE d.received_at >= $start AND d.received_at < $end AND d.received_at <= $asof
  AND d.valid AND d.first_dispatch_at <= $asof
  AND d.next_repeat_at <= least(d.received_at + to_seconds($window::BIGINT), $asof::TIMESTAMP)
ORDER BY d.received_at, c.call_id;
