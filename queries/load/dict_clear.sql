-- dict_clear: empty both dictionaries before they are loaded again.
DELETE FROM dict_departments; DELETE FROM dict_categories;
