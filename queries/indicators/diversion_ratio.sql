-- diversion_ratio (分流率): den = valid calls of P; num = those diverted by T.
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, div_num AS num, div_den AS den, 0 AS pending, div_ex AS exempt FROM ct WHERE k IS NOT NULL;
