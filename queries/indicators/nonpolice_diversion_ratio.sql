-- nonpolice_diversion_ratio (非警务分流率): den = valid 非警务 calls of P (nature as
-- exported, else from the category dictionary, else 非警务); num = diverted by T.
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, npdiv_num AS num, npdiv_den AS den, 0 AS pending, npdiv_ex AS exempt FROM ct WHERE k IS NOT NULL;
