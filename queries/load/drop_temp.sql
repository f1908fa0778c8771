-- drop_temp: free the staging tables of a load.
DROP TABLE IF EXISTS inc; DROP TABLE IF EXISTS inc_stored; DROP TABLE IF EXISTS inc_last;
