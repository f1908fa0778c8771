-- seen_get: the previous look at an inbox file. $1 name.
SELECT size, mtime FROM inbox_seen WHERE name = $1;
