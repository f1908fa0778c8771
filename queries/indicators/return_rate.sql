-- return_rate (退单率): den = orders of P not 已撤销; num = status 已退回. No pending.
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, ret_num AS num, ret_den AS den, 0 AS pending, ret_ex AS exempt FROM ot WHERE k IS NOT NULL;
