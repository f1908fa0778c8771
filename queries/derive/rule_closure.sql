-- rule_closure: the closure days of one difficulty. $1 difficulty, $2 days.
INSERT INTO rules_closure VALUES ($1, $2);
