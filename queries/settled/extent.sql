-- extent: the first and last month of the derived facts (NULL when empty): the
-- months a full count covers.
SELECT min(m), max(m) FROM (
    SELECT date_trunc('month', min(received_at)) AS m FROM call_derived
    UNION ALL SELECT date_trunc('month', max(received_at)) FROM call_derived
    UNION ALL SELECT date_trunc('month', min(dispatched_at)) FROM order_derived
    UNION ALL SELECT date_trunc('month', max(dispatched_at)) FROM order_derived
);
