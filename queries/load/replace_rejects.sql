-- replace_rejects: a reloaded file's earlier rejects give way to the new load's.
-- $1 the earlier file_id.
DELETE FROM rejects WHERE file_id = $1;
