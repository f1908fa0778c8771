-- rules: the tables that say, once, what the derived facts apply, bound row by row
-- from the settings in force and package domain (metrics.Refresh fills them on the
-- connection that rebuilds): per status whether an order is effective, returned or
-- cancelled (domain.Effective); per priority and area type the sign and arrival
-- windows; per difficulty the closure days. Temp tables: nothing is stored.
CREATE OR REPLACE TEMP TABLE rules_status (status VARCHAR, eff BOOLEAN, returned BOOLEAN, cancelled BOOLEAN);
CREATE OR REPLACE TEMP TABLE rules_sla (priority VARCHAR, area_type VARCHAR, sign_s BIGINT, arrival_s BIGINT);
CREATE OR REPLACE TEMP TABLE rules_closure (difficulty VARCHAR, days INTEGER);
