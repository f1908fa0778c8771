-- call_facts (temp view cf): one row per call received in P and no later than T,
-- from call_derived (the per-call facts that do not depend on P or T):
--   diverted: its earliest effective order was dispatched no later than T (in P or not)
--   rep_*:    repeat_rate for valid diverted calls: repeated by T when the next
--             repeat candidate (another valid call with the same caller_key or
--             address_key and the same category, after received_at + same_incident)
--             came no later than received_at + repeat_window and no later than T;
--             known when repeated or the window has ended (received_at + window <= T).
-- Empty when every slot's grouping is of orders only (department, kind,
-- link_category, source).
CREATE OR REPLACE TEMP VIEW cf AS
WITH p AS (SELECT * FROM params),
c AS (
    SELECT d.call_id, d.received_at, d.category, d.valid, d.county, d.town, d.police_station,
        coalesce(d.nature, cat.nature, '非警务') AS nature_r,
        cat.category IS NULL AS unknown_category,
        coalesce(d.first_dispatch_at <= p.asof, false) AS diverted, d.first_dispatch_at, d.next_repeat_at,
        d.received_at + to_seconds(p.repeat_window_s) AS window_end,
        coalesce(d.next_repeat_at <= least(d.received_at + to_seconds(p.repeat_window_s), p.asof), false) AS repeated,
        d.received_at + to_seconds(p.repeat_window_s) <= p.asof AS ended,
        -- exemptions in force at T (indicators/exemptions.sql); IN as in order_facts.sql
        d.call_id IN (SELECT record_id FROM ex WHERE record_kind = 'call' AND rep) AS x_rep,
        d.call_id IN (SELECT record_id FROM ex WHERE record_kind = 'call' AND div) AS x_div,
        d.call_id IN (SELECT record_id FROM ex WHERE record_kind = 'call' AND npdiv) AS x_npdiv
    FROM call_derived d CROSS JOIN p
    LEFT JOIN cmap cat ON cat.category = d.category
    WHERE d.received_at >= p.p_start AND d.received_at < p.p_end AND d.received_at <= p.asof
      -- no slot's grouping takes the calls: all of orders only (their repeat
      -- figures come from rg)
      AND p.takes_calls
)
SELECT c.call_id, c.valid, c.nature_r, c.diverted, c.unknown_category, c.category, c.x_div, c.x_npdiv,
    -- k1 … k8: each slot's key (params.sql); explain's grouping is slot 1's
    slot_key(p.g1, p.s1, p.a1, p.b1, c.received_at, call_key(p.g1, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k1,
    slot_key(p.g2, p.s2, p.a2, p.b2, c.received_at, call_key(p.g2, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k2,
    slot_key(p.g3, p.s3, p.a3, p.b3, c.received_at, call_key(p.g3, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k3,
    slot_key(p.g4, p.s4, p.a4, p.b4, c.received_at, call_key(p.g4, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k4,
    slot_key(p.g5, p.s5, p.a5, p.b5, c.received_at, call_key(p.g5, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k5,
    slot_key(p.g6, p.s6, p.a6, p.b6, c.received_at, call_key(p.g6, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k6,
    slot_key(p.g7, p.s7, p.a7, p.b7, c.received_at, call_key(p.g7, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k7,
    slot_key(p.g8, p.s8, p.a8, p.b8, c.received_at, call_key(p.g8, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k8,
    c.valid AND c.diverted AS rep_pop,
    c.valid AND c.diverted AND NOT c.x_rep AND (c.repeated OR c.ended) AS rep_den,
    c.valid AND c.diverted AND NOT c.x_rep AND c.repeated AS rep_num,
    c.valid AND c.diverted AND c.x_rep AS rep_ex,
    -- the times behind the memberships (explain)
    c.received_at, c.first_dispatch_at, c.next_repeat_at, c.window_end
FROM c CROSS JOIN p;
