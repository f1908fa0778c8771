-- drop_temp: free the staging tables of a load.
DROP TABLE IF EXISTS stage; DROP TABLE IF EXISTS inc;
