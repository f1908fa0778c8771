-- resolution_rate (事项化解率): den = effective orders of P done by T; num = 已化解
-- (1) + 部分化解 (partial_credit); a done order without outcome, or with done_at out
-- of order, counts 0.
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, res_num AS num, res_den AS den, eff - res_den - res_ex AS pending, res_ex AS exempt FROM ot WHERE k IS NOT NULL;
