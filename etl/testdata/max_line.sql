-- Test helper: the highest physical line stored for an order.
SELECT max(line) AS m FROM orders;
