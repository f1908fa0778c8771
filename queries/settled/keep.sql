-- keep: set the totals counted from the records aside (ot_live, ct_live) while
-- the late records of the settled months are counted (settled/merge.sql).
ALTER TABLE ot RENAME TO ot_live;
ALTER TABLE ct RENAME TO ct_live;
