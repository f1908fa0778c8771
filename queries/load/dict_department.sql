-- dict_department: one department alias. $1 name, $2 alias, $3 kind, $4 county.
INSERT INTO dict_departments (name, alias, kind, county) VALUES ($1, $2, $3, $4);
