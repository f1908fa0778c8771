-- next_file_id: a new file_id.
SELECT nextval('file_seq')::INTEGER;
