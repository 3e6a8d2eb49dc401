-- Customer merges (spec 002 WF-CM-002): what each merge did, exactly enough to undo it within 30 days.
-- A merge keeps one survivor and soft-deletes the others (its sources); every child row it moved, every
-- flag it cleared and every row it soft-deleted is one row of customer_merge_moves; the external ids of
-- the sources stay findable as aliases of the survivor until the merge is undone.

CREATE TABLE customer_merges (
    id               TEXT    NOT NULL PRIMARY KEY,
    survivor_id      TEXT    NOT NULL REFERENCES customers (id),
    performed_by     TEXT    NOT NULL REFERENCES users (id),
    undoable_until   INTEGER NOT NULL,
    undone_at        INTEGER     NULL,
    undone_by        TEXT        NULL REFERENCES users (id),
    survivor_before  TEXT    NOT NULL,
    survivor_after   TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL
);
CREATE INDEX ix_customer_merges_survivor ON customer_merges (survivor_id, created_at DESC);

CREATE TABLE customer_merge_sources (
    merge_id     TEXT NOT NULL REFERENCES customer_merges (id),
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    external_id  TEXT     NULL,
    PRIMARY KEY (merge_id, customer_id)
);
-- A merged-away id redirects to its survivor: found by the source's id.
CREATE INDEX ix_customer_merge_sources_customer ON customer_merge_sources (customer_id);
-- A sync that sends an old external id finds the survivor.
CREATE INDEX ix_customer_merge_sources_external_id ON customer_merge_sources (external_id) WHERE external_id IS NOT NULL;

-- kind: 'reparent' (column held from_customer_id), 'flag' (a true flag was cleared), 'delete' (the row was soft-deleted).
CREATE TABLE customer_merge_moves (
    merge_id          TEXT NOT NULL REFERENCES customer_merges (id),
    table_name        TEXT NOT NULL,
    column_name       TEXT NOT NULL,
    record_id         TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('reparent', 'flag', 'delete')),
    from_customer_id  TEXT     NULL,
    PRIMARY KEY (merge_id, table_name, column_name, record_id)
);
