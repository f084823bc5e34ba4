-- postdash schema, SQLite. Times are Unix microseconds (UTC); booleans are 0/1.
-- Months are indexes: year*12 + month-1, so a year is month / 12.

CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (name, value) VALUES ('data_version', 0);

CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    direction   TEXT NOT NULL DEFAULT '',
    partner     TEXT NOT NULL DEFAULT '',
    marketplace TEXT NOT NULL DEFAULT '',
    sheets      TEXT NOT NULL DEFAULT '[]',
    rows_read   BIGINT NOT NULL DEFAULT 0,
    fact_count  BIGINT NOT NULL DEFAULT 0,
    items       BIGINT NOT NULL DEFAULT 0,
    weight_kg   REAL NOT NULL DEFAULT 0,
    undone_at   BIGINT,
    undone_by   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX batches_live_sha256 ON batches (sha256) WHERE undone_at IS NULL;

-- facts, live_series and supersessions are written only by CommitBatch and
-- UndoBatch, in the transaction that holds their batch. They carry no
-- foreign keys: a check per row would cost more than the whole load of a
-- 100,000-fact batch (measured on PostgreSQL).
CREATE TABLE facts (
    batch_id    BIGINT NOT NULL,
    month       INTEGER NOT NULL,
    direction   TEXT NOT NULL,
    partner     TEXT NOT NULL,
    category    TEXT NOT NULL,
    marketplace TEXT NOT NULL,
    sheet       TEXT NOT NULL,
    items       BIGINT NOT NULL,
    has_items   INTEGER NOT NULL,
    weight_kg   REAL NOT NULL,
    has_weight  INTEGER NOT NULL
);
CREATE INDEX facts_by_batch ON facts (batch_id, month, direction, partner, category, marketplace);
CREATE INDEX facts_by_series ON facts (month, direction, partner, category, marketplace, batch_id);

CREATE TABLE live_series (
    month       INTEGER NOT NULL,
    direction   TEXT NOT NULL,
    partner     TEXT NOT NULL,
    category    TEXT NOT NULL,
    marketplace TEXT NOT NULL,
    items       BIGINT NOT NULL,
    has_items   INTEGER NOT NULL,
    weight_kg   REAL NOT NULL,
    has_weight  INTEGER NOT NULL,
    batch_id    BIGINT NOT NULL,
    PRIMARY KEY (month, direction, partner, category, marketplace)
);
CREATE INDEX live_series_by_batch ON live_series (batch_id);

CREATE TABLE supersessions (
    batch_id            BIGINT NOT NULL,
    superseded_batch_id BIGINT NOT NULL,
    month               INTEGER NOT NULL,
    direction           TEXT NOT NULL,
    partner             TEXT NOT NULL,
    category            TEXT NOT NULL,
    marketplace         TEXT NOT NULL
);
CREATE INDEX supersessions_by_batch ON supersessions (batch_id);

CREATE TABLE files (
    sha256     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    content    BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE login_failures (
    throttle_key TEXT NOT NULL,
    failed_at    BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (throttle_key, failed_at);

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    user_name   TEXT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL,
    remote      TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit (occurred_at, id);

CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    params      TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    rows_read   BIGINT NOT NULL DEFAULT 0,
    bytes_read  BIGINT NOT NULL DEFAULT 0,
    total_bytes BIGINT NOT NULL DEFAULT 0,
    result      TEXT NOT NULL DEFAULT ''
);
