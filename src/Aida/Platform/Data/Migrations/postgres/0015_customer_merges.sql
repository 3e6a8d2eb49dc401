-- Customer merges (spec 002 WF-CM-002): what each merge did, exactly enough to undo it within 30 days.
-- A merge keeps one survivor and soft-deletes the others (its sources); every child row it moved, every
-- flag it cleared and every row it soft-deleted is one row of customer_merge_moves; the external ids of
-- the sources stay findable as aliases of the survivor until the merge is undone.

CREATE TABLE customer_merges (
    id               uuid        NOT NULL PRIMARY KEY,
    survivor_id      uuid        NOT NULL REFERENCES customers (id),
    performed_by     uuid        NOT NULL REFERENCES users (id),
    undoable_until   timestamptz NOT NULL,
    undone_at        timestamptz     NULL,
    undone_by        uuid            NULL REFERENCES users (id),
    survivor_before  text        NOT NULL,
    survivor_after   text        NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    version          integer     NOT NULL
);
CREATE INDEX ix_customer_merges_survivor ON customer_merges (survivor_id, created_at DESC);

CREATE TABLE customer_merge_sources (
    merge_id     uuid NOT NULL REFERENCES customer_merges (id),
    customer_id  uuid NOT NULL REFERENCES customers (id),
    external_id  text     NULL,
    PRIMARY KEY (merge_id, customer_id)
);
-- A merged-away id redirects to its survivor: found by the source's id.
CREATE INDEX ix_customer_merge_sources_customer ON customer_merge_sources (customer_id);
-- A sync that sends an old external id finds the survivor.
CREATE INDEX ix_customer_merge_sources_external_id ON customer_merge_sources (external_id) WHERE external_id IS NOT NULL;

-- kind: 'reparent' (column held from_customer_id), 'flag' (a true flag was cleared), 'delete' (the row was soft-deleted).
CREATE TABLE customer_merge_moves (
    merge_id          uuid NOT NULL REFERENCES customer_merges (id),
    table_name        text NOT NULL,
    column_name       text NOT NULL,
    record_id         uuid NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('reparent', 'flag', 'delete')),
    from_customer_id  uuid     NULL,
    PRIMARY KEY (merge_id, table_name, column_name, record_id)
);
