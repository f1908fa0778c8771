-- file_names: whether a file of this base name was ever loaded ($1 name).
SELECT count(*) FROM files WHERE name = $1;
