-- params: the settings of one computation, as a one-row temp table every indicator
-- query reads (durations in seconds). Also the macro that resolves a department
-- through the dictionary's aliases.
-- $start, $end: the period [start, end); $asof: the as-of time T; $grp: the grouping;
-- $split: each group key is prefixed with its record's month ('2024-05|'), so that
-- one pass over a year gives its twelve months (metrics.Store.ComputeMonths);
-- $durations: the medians and 90th percentiles are computed (else left NULL).
CREATE OR REPLACE TEMP TABLE params AS SELECT
    $start::TIMESTAMP          AS p_start,
    $end::TIMESTAMP            AS p_end,
    $asof::TIMESTAMP           AS asof,
    $grp::VARCHAR              AS grp,
    $split::BOOLEAN            AS split_month,
    $durations::BOOLEAN        AS durations,
    $skew::BIGINT              AS skew_s,
    $same_incident::BIGINT     AS same_incident_s,
    $repeat_window::BIGINT     AS repeat_window_s,
    $partial_credit::DOUBLE    AS partial_credit;
