-- call_facts (temp view cf): one row per call received in P and no later than T,
-- from call_derived (as src_calls: indicators/sources.sql; the per-call facts that
-- do not depend on P or T):
--   diverted: its earliest effective order was dispatched no later than T (in P or not)
--   rep_*:    repeat_rate for valid diverted calls: repeated by T when the next
--             repeat candidate (another valid call with the same caller_key or
--             address_key and the same category, after received_at + same_incident)
--             came no later than received_at + repeat_window and no later than T;
--             known when repeated or the window has ended (received_at + window <= T).
-- Every time compared with T here is one settled/late.sql waits for (as in
-- order_facts.sql).
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
    FROM src_calls d CROSS JOIN p
    LEFT JOIN cmap cat ON cat.category = d.category
    WHERE d.received_at >= p.p_start AND d.received_at < p.p_end AND d.received_at <= p.asof
      -- no slot's grouping takes the calls: all of orders only (their repeat
      -- figures come from rg)
      AND p.takes_calls
)
SELECT c.call_id, c.valid, c.nature_r, c.diverted, c.unknown_category, c.category, c.x_div, c.x_npdiv,
    -- k1, m1, k2, m2 …: each slot's key and month (params.sql), written by
    -- queries.WithSlots for the slots in use; explain's grouping is slot 1's
    /*slot*/ slot_key(p.a#, p.b#, c.received_at, call_key(p.g#, c.county, c.town, c.police_station, c.category, c.nature_r)) AS k#, slot_month(p.s#, c.received_at) AS m#,
    c.valid AND c.diverted AS rep_pop,
    c.valid AND c.diverted AND NOT c.x_rep AND (c.repeated OR c.ended) AS rep_den,
    c.valid AND c.diverted AND NOT c.x_rep AND c.repeated AS rep_num,
    c.valid AND c.diverted AND c.x_rep AS rep_ex,
    -- the times behind the memberships (explain)
    c.received_at, c.first_dispatch_at, c.next_repeat_at, c.window_end
FROM c CROSS JOIN p;
