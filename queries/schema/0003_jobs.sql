-- 0003_jobs: the scheduler's job history and state.

-- One row per run of a scheduled job (fenliu jobs shows them).
CREATE TABLE IF NOT EXISTS jobs (
    job        VARCHAR NOT NULL,   -- inbox | weekly | monthly | annual
    started_at TIMESTAMP NOT NULL,
    ended_at   TIMESTAMP,
    status     VARCHAR NOT NULL,   -- ok | failed | skipped
    message    VARCHAR,
    files      INTEGER NOT NULL DEFAULT 0,
    rows       BIGINT NOT NULL DEFAULT 0
);

-- The last look at each inbox file: a file is loaded only when its size and
-- modification time held since the previous look (it is no longer being written).
CREATE TABLE IF NOT EXISTS inbox_seen (
    name    VARCHAR NOT NULL,
    size    BIGINT NOT NULL,
    mtime   TIMESTAMP NOT NULL
);
