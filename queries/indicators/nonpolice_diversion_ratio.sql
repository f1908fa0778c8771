-- nonpolice_diversion_ratio (非警务分流率): den = valid 非警务 calls of P (nature as
-- exported, else from the category dictionary, else 非警务); num = diverted by T.
SELECT k, nonpolice_diverted AS num, nonpolice AS den, 0 AS pending FROM ct WHERE k IS NOT NULL;
