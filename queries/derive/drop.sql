-- drop: free the temp views, tables and macro of a refresh (derive/facts.sql,
-- repeats.sql, repeat_hash.sql and the scopes).
DROP VIEW IF EXISTS new_call_derived; DROP VIEW IF EXISTS new_order_calls; DROP VIEW IF EXISTS new_order_derived;
DROP VIEW IF EXISTS d_calls; DROP VIEW IF EXISTS d_call_orders; DROP VIEW IF EXISTS d_cand_caller; DROP VIEW IF EXISTS d_cand_address; DROP VIEW IF EXISTS d_orders;
DROP TABLE IF EXISTS chg_calls; DROP TABLE IF EXISTS chg_orders; DROP TABLE IF EXISTS scope_call_ids;
DROP TABLE IF EXISTS scope_calls; DROP TABLE IF EXISTS scope_order_ids; DROP TABLE IF EXISTS covered;
DROP TABLE IF EXISTS scope_cand_caller; DROP TABLE IF EXISTS scope_cand_address;
DROP TABLE IF EXISTS d_first_dispatch; DROP TABLE IF EXISTS d_pop;
DROP TABLE IF EXISTS d_caller_hashed; DROP TABLE IF EXISTS d_caller_collided; DROP TABLE IF EXISTS d_next_caller;
DROP TABLE IF EXISTS d_address_hashed; DROP TABLE IF EXISTS d_address_collided; DROP TABLE IF EXISTS d_next_address;
DROP TABLE IF EXISTS upd_calls; DROP TABLE IF EXISTS upd_orders;
DROP MACRO IF EXISTS repeat_hash;
RESET asof_loop_join_threshold;
RESET VARIABLE scope_window; RESET VARIABLE scope_lo; RESET VARIABLE scope_hi; RESET VARIABLE cand_lo; RESET VARIABLE cand_hi;
