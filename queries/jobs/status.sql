-- status: what fenliu status shows of the data: calls and orders stored, the
-- first and last call, the last load (its time and file).
SELECT (SELECT count(*) FROM calls), (SELECT count(*) FROM orders),
       (SELECT coalesce(strftime(min(received_at), '%Y-%m-%d %H:%M'), '') FROM calls),
       (SELECT coalesce(strftime(max(received_at), '%Y-%m-%d %H:%M'), '') FROM calls),
       (SELECT coalesce(strftime(max(loaded_at), '%Y-%m-%d %H:%M:%S'), '') FROM files),
       (SELECT coalesce(arg_max(name, loaded_at), '') FROM files);
