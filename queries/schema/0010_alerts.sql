-- 0010_alerts: the warnings (预警) in force as last sent, each by its key and
-- state: a warning is sent again only when new or changed; one no longer found is
-- dropped, so that it is sent again if it returns.
CREATE TABLE IF NOT EXISTS alerts_sent (
    key     VARCHAR NOT NULL,
    state   VARCHAR NOT NULL,
    seen_at TIMESTAMP NOT NULL
);
