-- delete_calls: remove the stored rows that this load replaces.
DELETE FROM calls WHERE call_id IN (SELECT call_id FROM inc WHERE action = 'updated');
