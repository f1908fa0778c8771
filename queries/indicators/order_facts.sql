-- order_facts (temp view of): one row per order dispatched in P = [p_start, p_end)
-- and no later than T, from order_derived (as src_orders: indicators/sources.sql;
-- windows, due dates and done_at are precomputed), with every indicator's
-- membership decided at T (SPEC §3, §8):
--   eff        effective: status not 已退回/已撤销 (the loaded status)
--   *_den      in the denominator: the outcome is known at T
--   *_num      in the numerator
-- A timestamp after T has not happened; one earlier than dispatched_at - skew
-- (earliest) is out of order and fails the indicators that use it (sign ← signed_at,
-- arrival ← arrived_at, closure and resolution ← done_at, satisfaction ←
-- revisited_at). k1, k2 … are the group keys of the slots (NULL for a grouping of
-- calls only, or outside the slot's period), m1, m2 … their months when split.
-- Every time compared with T here is one settled/late.sql waits for before a
-- month's figures are kept settled: a new one must be added there too.
-- The times each membership was decided on come last, for explain
-- (queries/explain/order_members.sql); the totals never read them.
CREATE OR REPLACE TEMP VIEW of AS
WITH p AS (SELECT * FROM params),
f AS (
    SELECT o.*,
        coalesce(d.name, o.department) AS dept_name,
        coalesce(d.kind, '其他') AS dept_kind,
        d.name IS NULL AS unknown_dept,
        CASE WHEN o.signed_at <= p.asof THEN o.signed_at END AS signed_t,
        CASE WHEN o.arrived_at <= p.asof THEN o.arrived_at END AS arrived_t,
        CASE WHEN o.done_at <= p.asof THEN o.done_at END AS done_t,
        -- exemptions in force at T (indicators/exemptions.sql): out of num, den and
        -- pending. IN, not a LEFT JOIN: a mark join always builds its hash table on
        -- the few exemptions, where a join, misjudging the filtered orders, built
        -- it on millions of wide rows (2.1x slower with 10 000 exemptions at 10 M calls).
        o.order_id IN (SELECT record_id FROM ex WHERE record_kind = 'order' AND sign) AS x_sign,
        o.order_id IN (SELECT record_id FROM ex WHERE record_kind = 'order' AND arr) AS x_arr,
        o.order_id IN (SELECT record_id FROM ex WHERE record_kind = 'order' AND close) AS x_close,
        o.order_id IN (SELECT record_id FROM ex WHERE record_kind = 'order' AND res) AS x_res,
        o.order_id IN (SELECT record_id FROM ex WHERE record_kind = 'order' AND sat) AS x_sat,
        o.order_id IN (SELECT record_id FROM ex WHERE record_kind = 'order' AND ret) AS x_ret
    FROM src_orders o CROSS JOIN p
    LEFT JOIN dmap d ON d.alias = o.department
    WHERE o.dispatched_at >= p.p_start AND o.dispatched_at < p.p_end AND o.dispatched_at <= p.asof
      -- no slot's grouping takes the orders: all of calls only
      AND p.takes_orders
)
SELECT
    f.order_id, f.dept_kind, f.unknown_dept, f.eff, f.returned,
    -- k1, m1, k2, m2 …: each slot's key and month (params.sql), written by
    -- queries.WithSlots for the slots in use; explain's grouping is slot 1's
    /*slot*/ slot_key(p.a#, p.b#, f.dispatched_at, order_key(p.g#, f.dept_name, f.dept_kind, f.town, f.county, f.link_category, f.source)) AS k#, slot_month(p.s#, f.dispatched_at) AS m#,
    -- sign_rate (an exempted member is in neither num, den nor pending: *_ex)
    f.eff AND NOT f.x_sign AND (f.signed_t IS NOT NULL OR f.sign_end <= p.asof) AS sign_den,
    f.eff AND NOT f.x_sign AND f.signed_t IS NOT NULL AND f.signed_t >= f.earliest AND f.signed_t <= f.sign_end AS sign_num,
    f.eff AND f.x_sign AS sign_ex,
    -- arrival_rate
    f.eff AND f.onsite_required AS arr_pop,
    f.eff AND f.onsite_required AND NOT f.x_arr AND (f.arrived_t IS NOT NULL OR f.arrival_end <= p.asof) AS arr_den,
    f.eff AND f.onsite_required AND NOT f.x_arr AND f.arrived_t IS NOT NULL AND f.arrived_t >= f.earliest AND f.arrived_t <= f.arrival_end AS arr_num,
    f.eff AND f.onsite_required AND f.x_arr AS arr_ex,
    -- closure_rate
    f.eff AND NOT f.x_close AND (f.done_t IS NOT NULL OR f.due_at <= p.asof) AS close_den,
    f.eff AND NOT f.x_close AND f.done_t IS NOT NULL AND f.done_t <= f.due_at AND f.done_t >= f.earliest AS close_num,
    f.eff AND f.x_close AS close_ex,
    -- resolution_rate
    f.eff AND NOT f.x_res AND f.done_t IS NOT NULL AS res_den,
    CASE WHEN f.eff AND NOT f.x_res AND f.done_t IS NOT NULL AND f.done_t >= f.earliest THEN
        CASE f.outcome_code WHEN 1 THEN 1.0 WHEN 2 THEN p.partial_credit ELSE 0.0 END
        ELSE 0.0 END AS res_num,
    f.eff AND f.x_res AS res_ex,
    -- satisfaction_rate
    f.eff AND NOT f.x_sat AND f.sat_known AND (f.revisited_at IS NULL OR f.revisited_at <= p.asof) AS sat_den,
    coalesce(f.eff AND NOT f.x_sat AND f.sat_ok AND (f.revisited_at IS NULL OR (f.revisited_at <= p.asof AND f.revisited_at >= f.earliest)), false) AS sat_num,
    f.eff AND f.x_sat AS sat_ex,
    -- return_rate
    NOT f.cancelled AND NOT f.x_ret AS ret_den,
    f.returned AND NOT f.x_ret AS ret_num,
    NOT f.cancelled AND f.x_ret AS ret_ex,
    -- counts and data quality
    f.eff AND f.done_t IS NULL AND f.due_at <= p.asof AS overdue,
    f.eff AND f.done_t IS NOT NULL AND f.outcome_code = 0 AS done_no_outcome,
    f.out_of_order,
    -- durations (a duration inside the -skew tolerance counts as 0), when asked for:
    -- their quantiles sort every duration, half the cost of order_totals
    CASE WHEN p.durations AND f.eff AND f.signed_t >= f.earliest THEN greatest(0, epoch(f.signed_t - f.dispatched_at)) / 60.0 END AS sign_min,
    CASE WHEN p.durations AND f.eff AND f.arrived_t >= f.earliest THEN greatest(0, epoch(f.arrived_t - f.dispatched_at)) / 60.0 END AS arr_min,
    CASE WHEN p.durations AND f.eff AND f.done_t >= f.earliest THEN greatest(0, epoch(f.done_t - f.dispatched_at)) / 86400.0 END AS done_days,
    -- the times behind the memberships (explain)
    f.dispatched_at, f.earliest, f.signed_t, f.sign_end, f.arrived_t, f.arrival_end, f.done_t, f.due_at,
    f.revisited_at, f.outcome_code, f.sat_known, f.sat_ok, f.cancelled, f.onsite_required
FROM f CROSS JOIN p;
