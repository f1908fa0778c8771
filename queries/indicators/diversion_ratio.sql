-- diversion_ratio (分流率): den = valid calls of P; num = those diverted by T.
SELECT k, diverted AS num, valid AS den, 0 AS pending FROM ct WHERE k IS NOT NULL;
