-- frequent_addresses: addresses (by their normalised key; shown as the first
-- spelling seen) with at least $min calls received in [$start, $end) by $asof,
-- valid or not, with how many distinct callers made them. The frequent addresses
-- are found first, as in frequent_callers.sql.
WITH wk AS (
    SELECT address_key, address, caller_key, received_at, valid, category, town
    FROM calls
    WHERE received_at >= $start AND received_at < $end AND received_at <= $asof
      AND address_key IS NOT NULL
),
frequent AS (SELECT address_key FROM wk GROUP BY address_key HAVING count(*) >= $min)
SELECT any_value(address ORDER BY received_at) AS address,
       count(*) AS calls,
       count(*) FILTER (WHERE valid) AS valid_calls,
       count(DISTINCT caller_key) AS callers,
       string_agg(DISTINCT category, '、' ORDER BY category) AS categories,
       any_value(coalesce(town, '未知') ORDER BY received_at) AS town,
       min(received_at) AS first_at,
       max(received_at) AS last_at
FROM wk SEMI JOIN frequent USING (address_key)
GROUP BY address_key
ORDER BY calls DESC, address, first_at;
