-- rebuild_calls: call_derived from calls and orders (see schema/0002_derived.sql).
-- The next repeat is found with an ASOF join per key over the calls sorted by time
-- (never a lookup per call), and only for valid calls that have an effective order.
-- effective_orders: how many effective orders the call has.
-- $1 same_incident in seconds. Reads rules_status (derive/rules.sql).
CREATE OR REPLACE TABLE call_derived AS
WITH fd AS (
    SELECT o.call_id, min(o.dispatched_at) AS first_dispatch_at, count(*) AS effective_orders
    FROM orders o JOIN rules_status r ON r.status = o.status AND r.eff
    WHERE o.call_id IS NOT NULL
    GROUP BY o.call_id
),
pop AS (
    SELECT c.call_id, c.caller_key, c.address_key, c.category,
           c.received_at + to_seconds($1::BIGINT) AS after
    FROM calls c SEMI JOIN fd ON fd.call_id = c.call_id
    WHERE c.valid
),
cand AS (SELECT received_at, caller_key, address_key, category FROM calls WHERE valid),
by_caller AS (
    SELECT pop.call_id, n.received_at AS next_at
    FROM pop ASOF JOIN (SELECT * FROM cand WHERE caller_key IS NOT NULL) n
      ON n.caller_key = pop.caller_key AND n.category = pop.category AND n.received_at > pop.after
    WHERE pop.caller_key IS NOT NULL
),
by_address AS (
    SELECT pop.call_id, n.received_at AS next_at
    FROM pop ASOF JOIN (SELECT * FROM cand WHERE address_key IS NOT NULL) n
      ON n.address_key = pop.address_key AND n.category = pop.category AND n.received_at > pop.after
    WHERE pop.address_key IS NOT NULL
)
SELECT c.call_id, c.received_at, c.valid, c.category, c.nature, c.county, c.town, c.police_station,
       fd.first_dispatch_at, coalesce(fd.effective_orders, 0) AS effective_orders,
       least(coalesce(bc.next_at, ba.next_at), coalesce(ba.next_at, bc.next_at)) AS next_repeat_at
FROM calls c
LEFT JOIN fd ON fd.call_id = c.call_id
LEFT JOIN by_caller bc ON bc.call_id = c.call_id
LEFT JOIN by_address ba ON ba.call_id = c.call_id
ORDER BY c.received_at;
