-- Imports (issue 17 item 1): one row per uploaded file, from upload through mapping, run and revert.
-- The file itself lives under the data directory (imports/<id>.<ext>) so it is streamed, never held
-- in memory or in the database; it is deleted on revert or 30 days after upload.
CREATE TABLE imports (
    id               uuid        NOT NULL PRIMARY KEY,
    owner_id         uuid    NOT NULL REFERENCES users (id),
    entity_type      text    NOT NULL,
    status           text    NOT NULL CHECK (status IN ('uploaded', 'queued', 'running', 'completed', 'failed', 'reverted')),
    source_name      text    NOT NULL,
    file_name        text    NOT NULL,
    file_format      text    NOT NULL,
    file_bytes       bigint  NOT NULL,
    file_deleted     boolean NOT NULL DEFAULT false,
    delimiter        text        NULL,
    encoding         text        NULL,
    headers          text    NOT NULL,
    mapping          text    NOT NULL,
    on_duplicate     text    NOT NULL CHECK (on_duplicate IN ('skip', 'update', 'create')),
    valid_rows_only  boolean NOT NULL DEFAULT false,
    rows_read        bigint  NOT NULL DEFAULT 0,
    created_count    bigint  NOT NULL DEFAULT 0,
    updated_count    bigint  NOT NULL DEFAULT 0,
    skipped_count    bigint  NOT NULL DEFAULT 0,
    failed_count     bigint  NOT NULL DEFAULT 0,
    progress         double precision NOT NULL DEFAULT 0,
    error            text        NULL,
    started_at       timestamptz     NULL,
    heartbeat_at     timestamptz     NULL,
    finished_at      timestamptz     NULL,
    reverted_at      timestamptz     NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX ix_imports_owner ON imports (owner_id, created_at DESC);
CREATE INDEX ix_imports_status ON imports (status);

-- A mapping saved under the name of its source ("Salesforce export"), offered again for the next file from it.
CREATE TABLE import_mappings (
    source_name  text    NOT NULL,
    entity_type  text    NOT NULL,
    mapping      text    NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (source_name, entity_type)
);

-- What an import did to each record, enough to revert it: 'created' (remove it), or 'updated' with the
-- previous and the imported values of the fields it changed (restored only where they still hold the imported value).
CREATE TABLE import_changes (
    import_id  uuid NOT NULL REFERENCES imports (id),
    record_id  uuid NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('created', 'updated')),
    previous   text     NULL,
    imported   text     NULL,
    PRIMARY KEY (import_id, record_id)
);
