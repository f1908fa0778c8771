-- rule_status: one status. $1 status, $2 effective, $3 returned, $4 cancelled.
INSERT INTO rules_status VALUES ($1, $2, $3, $4);
