-- repeat_rate (重复报警率, lower is better): over valid diverted calls of P:
-- num = repeated by T; den = repeated by T or the repeat window ended by T. For an
-- order-only grouping the calls are counted per group of their orders (rg).
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, rep_num AS num, rep_den AS den, rep_pop - rep_den - rep_ex AS pending, rep_ex AS exempt FROM ct WHERE k IS NOT NULL;
