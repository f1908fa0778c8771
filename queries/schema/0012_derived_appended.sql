-- 0012_derived_appended: the rows updates of the derived facts have appended since
-- their last full rebuild (unsorted: past a share of the table, the next refresh
-- rebuilds, and sorts, in full: metrics.MaxUpdateShare).
ALTER TABLE derived_state ADD COLUMN IF NOT EXISTS appended BIGINT;
