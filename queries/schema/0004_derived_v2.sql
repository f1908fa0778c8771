-- 0004_derived_v2: call_derived.effective_orders counts a call's effective orders;
-- order_calls.multi marks the orders of calls with more than one
-- effective order (only those need de-duplicating in indicators/repeat_groups.sql);
-- order_derived gets the status, outcome and satisfaction as the indicators read
-- them, so that a year's pass scans no strings for them. The derived facts are
-- rebuilt when first used (metrics.Refresh: the derive version is part of the
-- fingerprint); these columns only keep the declared tables true.
ALTER TABLE call_derived ADD COLUMN IF NOT EXISTS effective_orders BIGINT;
ALTER TABLE order_calls ADD COLUMN IF NOT EXISTS multi BOOLEAN;
ALTER TABLE order_derived ADD COLUMN IF NOT EXISTS returned BOOLEAN;
ALTER TABLE order_derived ADD COLUMN IF NOT EXISTS cancelled BOOLEAN;
ALTER TABLE order_derived ADD COLUMN IF NOT EXISTS outcome_code UTINYINT;
ALTER TABLE order_derived ADD COLUMN IF NOT EXISTS sat_known BOOLEAN;
ALTER TABLE order_derived ADD COLUMN IF NOT EXISTS sat_ok BOOLEAN;
