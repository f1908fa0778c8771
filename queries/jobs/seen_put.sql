-- seen_put: remember this look at an inbox file (after seen_forget). $1 name, $2 size, $3 mtime.
INSERT INTO inbox_seen VALUES ($1, $2, $3);
