-- dict_category: one category. $1 category, $2 nature.
INSERT INTO dict_categories (category, nature) VALUES ($1, $2);
