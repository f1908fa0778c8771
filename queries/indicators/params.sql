-- params: the settings of one computation, as a one-row temp table every indicator
-- query reads (durations in seconds). Also the macro that resolves a department
-- through the dictionary's aliases.
-- $start, $end: the period [start, end); $asof: the as-of time T; $grp: the grouping.
CREATE OR REPLACE TEMP TABLE params AS SELECT
    $start::TIMESTAMP          AS p_start,
    $end::TIMESTAMP            AS p_end,
    $asof::TIMESTAMP           AS asof,
    $grp::VARCHAR              AS grp,
    $skew::BIGINT              AS skew_s,
    $sign_urgent::BIGINT       AS sign_urgent_s,
    $sign_normal::BIGINT       AS sign_normal_s,
    $arr_urgent_city::BIGINT   AS arr_urgent_city_s,
    $arr_urgent_town::BIGINT   AS arr_urgent_town_s,
    $arr_urgent_rural::BIGINT  AS arr_urgent_rural_s,
    $arr_normal_city::BIGINT   AS arr_normal_city_s,
    $arr_normal_town::BIGINT   AS arr_normal_town_s,
    $arr_normal_rural::BIGINT  AS arr_normal_rural_s,
    $close_easy::BIGINT        AS close_easy_d,
    $close_normal::BIGINT      AS close_normal_d,
    $close_hard::BIGINT        AS close_hard_d,
    $same_incident::BIGINT     AS same_incident_s,
    $repeat_window::BIGINT     AS repeat_window_s,
    $partial_credit::DOUBLE    AS partial_credit;
