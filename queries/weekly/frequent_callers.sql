-- frequent_callers: callers (by the keyed hash of their number, shown
-- masked) with at least $min calls received in [$start, $end) by $asof, valid or
-- not: a nuisance caller's invalid calls are what the meeting wants to see.
SELECT any_value(caller_masked ORDER BY received_at) AS caller,
       count(*) AS calls,
       count(*) FILTER (WHERE valid) AS valid_calls,
       string_agg(DISTINCT category, '、' ORDER BY category) AS categories,
       string_agg(DISTINCT coalesce(town, '未知'), '、' ORDER BY coalesce(town, '未知')) AS towns,
       min(received_at) AS first_at,
       max(received_at) AS last_at
FROM calls
WHERE received_at >= $start AND received_at < $end AND received_at <= $asof
  AND caller_key IS NOT NULL
GROUP BY caller_key
HAVING count(*) >= $min
ORDER BY calls DESC, caller, first_at;
