-- call_facts (temp table cf): one row per call received in P and no later than T.
--   diverted: has an effective order with its call_id dispatched no later than T,
--             in P or not (SPEC §2.5, §8)
--   rep_*:    repeat_rate for valid diverted calls: repeated by T when another valid
--             call c' received no later than T has the same caller_key or the same
--             address_key (both non-null) and the same category, with
--             received_at + same_incident < c'.received_at <= received_at + repeat_window;
--             known when repeated or the window has ended (received_at + window <= T).
-- The next candidate after received_at + same_incident is found with an ASOF join
-- per key (sorted, not a lookup per call). k is NULL for an order-only grouping.
CREATE OR REPLACE TEMP TABLE cf AS
WITH p AS (SELECT * FROM params),
cat AS (SELECT category, min(nature) AS nature FROM dict_categories GROUP BY category),
div AS (
    SELECT DISTINCT o.call_id FROM orders o, p
    WHERE o.call_id IS NOT NULL AND o.status NOT IN ('已退回', '已撤销') AND o.dispatched_at <= p.asof
),
c AS (
    SELECT c.call_id, c.received_at, c.caller_key, c.address_key, c.category, c.valid,
        c.county, c.town, c.police_station,
        coalesce(c.nature, cat.nature, '非警务') AS nature_r,
        cat.category IS NULL AS unknown_category,
        div.call_id IS NOT NULL AS diverted
    FROM calls c CROSS JOIN p
    LEFT JOIN cat ON cat.category = c.category
    LEFT JOIN div ON div.call_id = c.call_id
    WHERE c.received_at >= p.p_start AND c.received_at < p.p_end AND c.received_at <= p.asof
),
-- the calls that could repeat a call of P: valid, received by T
cand AS (
    SELECT c.received_at, c.caller_key, c.address_key, c.category FROM calls c, p
    WHERE c.valid AND c.received_at <= p.asof
      AND c.received_at > p.p_start + to_seconds(p.same_incident_s)
      AND c.received_at <= p.p_end + to_seconds(p.repeat_window_s)
),
pop AS (
    SELECT c.call_id, c.received_at, c.caller_key, c.address_key, c.category,
           c.received_at + to_seconds(p.same_incident_s) AS after
    FROM c, p WHERE c.valid AND c.diverted
),
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
),
rep AS (
    SELECT pop.call_id,
        coalesce(bc.next_at <= pop.received_at + to_seconds(p.repeat_window_s), false)
        OR coalesce(ba.next_at <= pop.received_at + to_seconds(p.repeat_window_s), false) AS repeated,
        pop.received_at + to_seconds(p.repeat_window_s) <= p.asof AS ended
    FROM pop CROSS JOIN p
    LEFT JOIN by_caller bc ON bc.call_id = pop.call_id
    LEFT JOIN by_address ba ON ba.call_id = pop.call_id
)
SELECT c.call_id, c.valid, c.nature_r, c.diverted, c.unknown_category, c.category,
    CASE p.grp
        WHEN 'total' THEN 'total'
        WHEN 'county' THEN coalesce(c.county, '未知')
        WHEN 'town' THEN coalesce(c.town, '未知')
        WHEN 'police_station' THEN coalesce(c.police_station, '未知')
        WHEN 'category' THEN c.category
        WHEN 'nature' THEN c.nature_r
    END AS k,
    c.valid AND c.diverted AS rep_pop,
    coalesce(rep.repeated OR rep.ended, false) AS rep_den,
    coalesce(rep.repeated, false) AS rep_num
FROM c CROSS JOIN p
LEFT JOIN rep ON rep.call_id = c.call_id;
