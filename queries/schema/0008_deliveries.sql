-- 0008_deliveries: every delivery of a report (or a warning) to a recipient by
-- one channel, as it went: the scheduler retries those whose last try failed.
CREATE TABLE IF NOT EXISTS deliveries (
    report    VARCHAR NOT NULL,   -- monthly/2026-11/v1, alerts/…
    manifest  VARCHAR NOT NULL,   -- the report's <name>.delivery.json
    recipient VARCHAR NOT NULL,
    channel   VARCHAR NOT NULL,   -- outbox | mail | webhook
    status    VARCHAR NOT NULL,   -- sent | failed
    attempts  INTEGER NOT NULL,
    message   VARCHAR,
    tried_at  TIMESTAMP NOT NULL
);
