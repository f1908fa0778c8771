-- create: the table that records applied schema migrations.
CREATE TABLE IF NOT EXISTS migrations (version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP DEFAULT current_timestamp);
