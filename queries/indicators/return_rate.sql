-- return_rate (退单率): den = orders of P not 已撤销; num = status 已退回. No pending.
SELECT k, ret_num AS num, ret_den AS den, 0 AS pending FROM ot WHERE k IS NOT NULL;
