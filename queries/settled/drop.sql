-- drop: free the temp views, tables and macro of the settled figures.
DROP VIEW IF EXISTS settle_marks; DROP VIEW IF EXISTS settle_dicts;
DROP TABLE IF EXISTS settle_touched; DROP TABLE IF EXISTS settle_span; DROP TABLE IF EXISTS settle_exempted;
DROP TABLE IF EXISTS settle_late_ids; DROP TABLE IF EXISTS settle_old_calls; DROP TABLE IF EXISTS settle_direct;
DROP TABLE IF EXISTS ot_live; DROP TABLE IF EXISTS ct_live;
DROP MACRO IF EXISTS settled_cut;
RESET VARIABLE settle_a; RESET VARIABLE settle_b; RESET VARIABLE settle_window;
