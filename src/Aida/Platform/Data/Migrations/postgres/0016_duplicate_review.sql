-- Duplicate review (issue 17, part 3): likely duplicates found by the background scan, by a create of the
-- medium tier, or by an import, as pairs a manager or admin merges, dismisses or defers. A pair is stored
-- once per record type with its ids in canonical order (first < second), so a dismissed pair is never
-- proposed again. The ids point at customers or leads (record_type says which): no foreign key.
CREATE TABLE duplicate_pairs (
    id              uuid             NOT NULL PRIMARY KEY,
    record_type     text             NOT NULL CHECK (record_type IN ('customer', 'lead')),
    first_id        uuid             NOT NULL,
    second_id       uuid             NOT NULL,
    score           double precision NOT NULL,
    reasons         text             NOT NULL,
    status          text             NOT NULL CHECK (status IN ('open', 'dismissed', 'deferred', 'merged')),
    deferred_until  timestamptz          NULL,
    decided_by      uuid                 NULL REFERENCES users (id),
    decided_at      timestamptz          NULL,
    source          text             NOT NULL CHECK (source IN ('scan', 'create', 'import')),
    created_at      timestamptz      NOT NULL,
    updated_at      timestamptz      NOT NULL,
    CHECK (first_id <> second_id)
);
CREATE UNIQUE INDEX ux_duplicate_pairs_pair ON duplicate_pairs (record_type, first_id, second_id);
CREATE INDEX ix_duplicate_pairs_second ON duplicate_pairs (second_id);
CREATE INDEX ix_duplicate_pairs_status ON duplicate_pairs (record_type, status);

-- Where the scan of each record type stands: the full pass's cursor, then the watermark of the
-- incremental passes (rows changed at or after it are scanned again).
CREATE TABLE duplicate_scan_state (
    record_type       text        NOT NULL PRIMARY KEY CHECK (record_type IN ('customer', 'lead')),
    phase             text        NOT NULL CHECK (phase IN ('full', 'incremental')),
    cursor_id         uuid            NULL,
    watermark         timestamptz     NULL,
    pass_started_at   timestamptz     NULL,
    last_finished_at  timestamptz     NULL,
    records_scanned   bigint      NOT NULL,
    pairs_found       bigint      NOT NULL
);

-- The incremental pass finds customers whose contacts or addresses changed since the watermark by the
-- updated_at indexes of migration 0011.
