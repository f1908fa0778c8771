-- explain_orders: the members of explain/order_members.sql ($1 the group key or
-- '' for all, $2 every order, $3 … $8 the indicators against) by key and id, each
-- standing for itself (n = 1).
SELECT *, 1 AS n
FROM order_members($1, $2, $3, $4, $5, $6, $7, $8)
ORDER BY k, order_id;
