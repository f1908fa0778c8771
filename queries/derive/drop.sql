-- drop: free the temp views and tables of a refresh (derive/facts.sql and scopes).
DROP VIEW IF EXISTS new_call_derived; DROP VIEW IF EXISTS new_order_calls; DROP VIEW IF EXISTS new_order_derived;
DROP VIEW IF EXISTS d_calls; DROP VIEW IF EXISTS d_call_orders; DROP VIEW IF EXISTS d_cand_caller; DROP VIEW IF EXISTS d_cand_address; DROP VIEW IF EXISTS d_orders;
DROP TABLE IF EXISTS chg_calls; DROP TABLE IF EXISTS chg_orders; DROP TABLE IF EXISTS scope_call_ids;
DROP TABLE IF EXISTS scope_calls; DROP TABLE IF EXISTS scope_order_ids; DROP TABLE IF EXISTS covered;
RESET asof_loop_join_threshold;
