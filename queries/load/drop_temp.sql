-- drop_temp: free the staging table of a load.
DROP TABLE IF EXISTS inc;
