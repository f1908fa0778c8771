-- resolution_rate (事项化解率): den = effective orders of P done by T; num = 已化解
-- (1) + 部分化解 (partial_credit); a done order without outcome, or with done_at out
-- of order, counts 0.
SELECT k, res_num AS num, res_den AS den, eff - res_den AS pending FROM ot WHERE k IS NOT NULL;
