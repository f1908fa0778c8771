-- rule_sla: the windows of one priority and area type, in seconds.
-- $1 priority, $2 area type, $3 sign window, $4 arrival window.
INSERT INTO rules_sla VALUES ($1, $2, $3, $4);
