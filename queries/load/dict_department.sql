-- dict_department: the department aliases, one row per element of the four lists
-- of equal length: $1 names, $2 aliases, $3 kinds, $4 counties.
INSERT INTO dict_departments (name, alias, kind, county)
SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), unnest($4::VARCHAR[]);
