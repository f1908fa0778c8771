-- call_totals (temp table ct): one pass over the call facts, per group of every
-- slot (GROUPING SETS, as in order_totals.sql): the call counts and the diversion
-- and repeat figures; for an order-only grouping the repeat figures come from
-- repeat_groups (rg) instead.
CREATE OR REPLACE TEMP TABLE ct AS
SELECT k,
    sum(calls) AS calls, sum(valid) AS valid, sum(nonpolice) AS nonpolice, sum(diverted) AS diverted,
    sum(nonpolice_diverted) AS nonpolice_diverted, sum(unknown_category) AS unknown_category,
    sum(rep_pop) AS rep_pop, sum(rep_den) AS rep_den, sum(rep_num) AS rep_num, sum(rep_ex) AS rep_ex,
    -- the diversion ratios without the exempted calls (the counts above keep them)
    sum(div_den) AS div_den, sum(div_num) AS div_num, sum(div_ex) AS div_ex,
    sum(npdiv_den) AS npdiv_den, sum(npdiv_num) AS npdiv_num, sum(npdiv_ex) AS npdiv_ex
FROM (
    SELECT /*key*/ AS k, count(*) AS calls, count_if(valid) AS valid,
        count_if(valid AND nature_r = '非警务') AS nonpolice,
        count_if(valid AND diverted) AS diverted,
        count_if(valid AND nature_r = '非警务' AND diverted) AS nonpolice_diverted,
        count_if(unknown_category) AS unknown_category,
        count_if(rep_pop) AS rep_pop, count_if(rep_den) AS rep_den,
        count_if(rep_num) AS rep_num, count_if(rep_ex) AS rep_ex,
        count_if(valid AND NOT x_div) AS div_den, count_if(valid AND diverted AND NOT x_div) AS div_num,
        count_if(valid AND x_div) AS div_ex,
        count_if(valid AND nature_r = '非警务' AND NOT x_npdiv) AS npdiv_den,
        count_if(valid AND nature_r = '非警务' AND diverted AND NOT x_npdiv) AS npdiv_num,
        count_if(valid AND nature_r = '非警务' AND x_npdiv) AS npdiv_ex
    FROM cf GROUP BY /*sets*/
    UNION ALL
    SELECT k, 0, 0, 0, 0, 0, 0, rep_pop, rep_den, rep_num, rep_ex, 0, 0, 0, 0, 0, 0 FROM rg
) GROUP BY k; -- with a NULL key, as in order_totals.sql
