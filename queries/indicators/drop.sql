-- drop: free the temp tables of one computation.
DROP TABLE IF EXISTS rg; DROP TABLE IF EXISTS cf; DROP TABLE IF EXISTS of; DROP TABLE IF EXISTS params;
