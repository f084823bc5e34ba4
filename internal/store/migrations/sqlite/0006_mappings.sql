-- Mappings (contract section 8): what analysts chose that a table's
-- columns hold, keyed by the table's folded header texts. One mapping per
-- header: saving another for the same header replaces it.
CREATE TABLE mappings (
    id         INTEGER PRIMARY KEY,
    header_key TEXT    NOT NULL UNIQUE,
    body       TEXT    NOT NULL,
    saved_by   TEXT    NOT NULL,
    saved_at   BIGINT  NOT NULL
);
