-- satisfaction_rate (回访满意率): den = effective orders of P with a satisfaction
-- whose revisit happened by T (or has no revisited_at); num = 满意 or 基本满意 with
-- revisited_at not out of order. Every other effective order is pending.
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, sat_num AS num, sat_den AS den, eff - sat_den - sat_ex AS pending, sat_ex AS exempt FROM ot WHERE k IS NOT NULL;
