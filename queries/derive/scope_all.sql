-- scope_all: the scope of a full rebuild (derive/facts.sql): every call and order.
CREATE OR REPLACE TEMP VIEW d_calls AS SELECT * FROM calls;
CREATE OR REPLACE TEMP VIEW d_call_orders AS SELECT * FROM orders;
CREATE OR REPLACE TEMP VIEW d_cand_caller AS
SELECT received_at, caller_key, category FROM calls WHERE valid AND caller_key IS NOT NULL;
CREATE OR REPLACE TEMP VIEW d_cand_address AS
SELECT received_at, address_key, category FROM calls WHERE valid AND address_key IS NOT NULL;
CREATE OR REPLACE TEMP VIEW d_orders AS SELECT * FROM orders;
