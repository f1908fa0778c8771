-- insert_calls: write the new and replacing rows of this load.
INSERT INTO calls BY NAME
SELECT * EXCLUDE (action) FROM inc WHERE action IN ('inserted', 'updated');
