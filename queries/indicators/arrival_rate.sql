-- arrival_rate (按时到点率): over effective orders of P with onsite_required:
-- num = arrived by T with arrived_at - dispatched_at in [-skew,
-- arrival_sla[priority][area_type]]; den = arrived by T or the window ended by T.
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, arr_num AS num, arr_den AS den, arr_pop - arr_den - arr_ex AS pending, arr_ex AS exempt FROM ot WHERE k IS NOT NULL;
