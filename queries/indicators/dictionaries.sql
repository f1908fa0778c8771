-- dictionaries (temp tables dmap, cmap): every alias of the department dictionary
-- with its department and kind, and every category with its nature. Tables rather
-- than CTEs, so that the planner knows they are small and builds its joins' hash
-- tables on them, not on millions of orders or calls.
CREATE OR REPLACE TEMP TABLE dmap AS
SELECT alias, min(name) AS name, min(kind) AS kind FROM dict_departments GROUP BY alias;
CREATE OR REPLACE TEMP TABLE cmap AS
SELECT category, min(nature) AS nature FROM dict_categories GROUP BY category;
