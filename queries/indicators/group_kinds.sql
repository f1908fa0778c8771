-- group_kinds: the department kind (peer group) of each group of the department
-- grouping; unknown departments are 其他.
SELECT DISTINCT k, dept_kind FROM of WHERE k IS NOT NULL;
