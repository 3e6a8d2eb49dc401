-- Imports (issue 17 item 1): one row per uploaded file, from upload through mapping, run and revert.
-- The file itself lives under the data directory (imports/<id>.<ext>) so it is streamed, never held
-- in memory or in the database; it is deleted on revert or 30 days after upload.
CREATE TABLE imports (
    id               TEXT    NOT NULL PRIMARY KEY,
    owner_id         TEXT    NOT NULL REFERENCES users (id),
    entity_type      TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('uploaded', 'queued', 'running', 'completed', 'failed', 'reverted')),
    source_name      TEXT    NOT NULL,
    file_name        TEXT    NOT NULL,
    file_format      TEXT    NOT NULL,
    file_bytes       INTEGER NOT NULL,
    file_deleted     INTEGER NOT NULL DEFAULT 0 CHECK (file_deleted IN (0, 1)),
    delimiter        TEXT        NULL,
    encoding         TEXT        NULL,
    headers          TEXT    NOT NULL,
    mapping          TEXT    NOT NULL,
    on_duplicate     TEXT    NOT NULL CHECK (on_duplicate IN ('skip', 'update', 'create')),
    valid_rows_only  INTEGER NOT NULL DEFAULT 0 CHECK (valid_rows_only IN (0, 1)),
    rows_read        INTEGER NOT NULL DEFAULT 0,
    created_count    INTEGER NOT NULL DEFAULT 0,
    updated_count    INTEGER NOT NULL DEFAULT 0,
    skipped_count    INTEGER NOT NULL DEFAULT 0,
    failed_count     INTEGER NOT NULL DEFAULT 0,
    progress         REAL    NOT NULL DEFAULT 0,
    error            TEXT        NULL,
    started_at       INTEGER     NULL,
    heartbeat_at     INTEGER     NULL,
    finished_at      INTEGER     NULL,
    reverted_at      INTEGER     NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX ix_imports_owner ON imports (owner_id, created_at DESC);
CREATE INDEX ix_imports_status ON imports (status);

-- A mapping saved under the name of its source ("Salesforce export"), offered again for the next file from it.
CREATE TABLE import_mappings (
    source_name  TEXT    NOT NULL,
    entity_type  TEXT    NOT NULL,
    mapping      TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (source_name, entity_type)
);

-- What an import did to each record, enough to revert it: 'created' (remove it), or 'updated' with the
-- previous and the imported values of the fields it changed (restored only where they still hold the imported value).
CREATE TABLE import_changes (
    import_id  TEXT NOT NULL REFERENCES imports (id),
    record_id  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'updated')),
    previous   TEXT     NULL,
    imported   TEXT     NULL,
    PRIMARY KEY (import_id, record_id)
);
