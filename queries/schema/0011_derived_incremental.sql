-- 0011_derived_incremental: what the derived facts cover, so that a load updates
-- only what its rows can change (metrics.Refresh): the loads that changed a row up
-- to and including file_id covered (loads of them in all) and the settings they
-- were built under. A store whose derived_state lacks them is rebuilt in full once.
ALTER TABLE derived_state ADD COLUMN IF NOT EXISTS settings VARCHAR;
ALTER TABLE derived_state ADD COLUMN IF NOT EXISTS covered INTEGER;
ALTER TABLE derived_state ADD COLUMN IF NOT EXISTS loads BIGINT;
