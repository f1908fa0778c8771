-- drop: free the temp tables and views of one computation.
DROP TABLE IF EXISTS ct; DROP TABLE IF EXISTS ot; DROP TABLE IF EXISTS rg;
DROP VIEW IF EXISTS cf; DROP VIEW IF EXISTS of; DROP TABLE IF EXISTS params;
