-- forget: a full rebuild begins by forgetting what the derived facts were built
-- from, in a transaction of its own: each table is then rebuilt in a transaction of
-- its own (one transaction holding the new tables of 30 M calls ran out of memory),
-- and a rebuild stopped half-way leaves facts that no one trusts and the next
-- refresh rebuilds again, never updates.
DELETE FROM derived_state;
