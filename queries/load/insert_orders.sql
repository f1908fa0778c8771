-- insert_orders: write the new and replacing rows of this load.
INSERT INTO orders BY NAME
SELECT * EXCLUDE (action) FROM inc WHERE action IN ('inserted', 'updated');
