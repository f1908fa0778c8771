-- delete_orders: remove the stored rows that this load replaces.
DELETE FROM orders WHERE order_id IN (SELECT order_id FROM inc WHERE action = 'updated');
