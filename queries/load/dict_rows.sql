-- dict_rows: both dictionaries as stored, as one sorted list of rows (kind 'd' a
-- department alias: name, alias, kind, county; 'c' a category: category, nature),
-- so that a load whose dictionaries are unchanged writes nothing.
SELECT 'd' AS t, name, alias, kind, coalesce(county, '') FROM dict_departments
UNION ALL
SELECT 'c', category, nature, '', '' FROM dict_categories
ORDER BY ALL;
