-- seen_forget: an inbox file was moved away. $1 name.
DELETE FROM inbox_seen WHERE name = $1;
