-- dict_category: the categories, one row per element of the two lists of equal
-- length: $1 categories, $2 natures.
INSERT INTO dict_categories (category, nature)
SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]);
