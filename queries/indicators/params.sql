-- params: the settings of one computation, as a one-row temp table every indicator
-- query reads (durations in seconds); indicators/keys.sql makes the group keys.
--
-- A computation is a pass over the facts for up to 8 wants (metrics.Want), each a
-- slot i: grouping g<i> (NULL: slot unused), its period [a<i>, b<i>), and s<i>:
-- its keys prefixed with their record's month ('2024-05|'), so that one pass over
-- a year gives its twelve months. The totals group every slot in one pass
-- (GROUPING SETS) under keys prefixed with the slot ('3#2024-05|水利局').
-- $start, $end: the span of every slot's period; $asof: the as-of time T;
-- slot 1's grouping is also grp, the one grouping of explain;
-- $orders, $calls: some slot takes the orders (a grouping not of calls only) or
-- the calls (not of orders only); $durations: the medians and 90th percentiles
-- are computed (else left NULL).
CREATE OR REPLACE TEMP TABLE params AS SELECT
    $start::TIMESTAMP          AS p_start,
    $end::TIMESTAMP            AS p_end,
    $asof::TIMESTAMP           AS asof,
    $w1_grp::VARCHAR           AS grp,
    $w1_grp::VARCHAR AS g1, $w1_split::BOOLEAN AS s1, $w1_start::TIMESTAMP AS a1, $w1_end::TIMESTAMP AS b1,
    $w2_grp::VARCHAR AS g2, $w2_split::BOOLEAN AS s2, $w2_start::TIMESTAMP AS a2, $w2_end::TIMESTAMP AS b2,
    $w3_grp::VARCHAR AS g3, $w3_split::BOOLEAN AS s3, $w3_start::TIMESTAMP AS a3, $w3_end::TIMESTAMP AS b3,
    $w4_grp::VARCHAR AS g4, $w4_split::BOOLEAN AS s4, $w4_start::TIMESTAMP AS a4, $w4_end::TIMESTAMP AS b4,
    $w5_grp::VARCHAR AS g5, $w5_split::BOOLEAN AS s5, $w5_start::TIMESTAMP AS a5, $w5_end::TIMESTAMP AS b5,
    $w6_grp::VARCHAR AS g6, $w6_split::BOOLEAN AS s6, $w6_start::TIMESTAMP AS a6, $w6_end::TIMESTAMP AS b6,
    $w7_grp::VARCHAR AS g7, $w7_split::BOOLEAN AS s7, $w7_start::TIMESTAMP AS a7, $w7_end::TIMESTAMP AS b7,
    $w8_grp::VARCHAR AS g8, $w8_split::BOOLEAN AS s8, $w8_start::TIMESTAMP AS a8, $w8_end::TIMESTAMP AS b8,
    $orders::BOOLEAN           AS takes_orders,
    $calls::BOOLEAN            AS takes_calls,
    $durations::BOOLEAN        AS durations,
    $skew::BIGINT              AS skew_s,
    $same_incident::BIGINT     AS same_incident_s,
    $repeat_window::BIGINT     AS repeat_window_s,
    $partial_credit::DOUBLE    AS partial_credit;
