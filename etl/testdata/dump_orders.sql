-- Test helper: the orders table without load provenance, in id order.
SELECT * EXCLUDE (file_id, line) FROM orders ORDER BY order_id;
