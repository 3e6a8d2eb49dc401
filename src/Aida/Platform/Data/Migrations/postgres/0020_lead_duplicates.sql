-- Duplicate review covers leads too (issue 17 part 3): the background scan blocks open leads by email, phone and
-- the same name keys customers have (Customers/Matching.NameKey, its sound, Duplicates/NameMatching.NameBlock).
-- SQL cannot compute the name keys: rows stored before this migration keep NULL until the BlockingKeyBackfill
-- worker, started with the application, fills them (the empty string where a lead has no name).
ALTER TABLE leads ADD COLUMN name_key text NULL;
ALTER TABLE leads ADD COLUMN name_phonetic text NULL;
ALTER TABLE leads ADD COLUMN name_block text NULL;
-- A lead merged into another (Leads/MergeLeads) is soft-deleted and names the lead that absorbed it, so its id
-- still leads somewhere (the API answers 308 with the survivor's address).
ALTER TABLE leads ADD COLUMN merged_into_id uuid NULL REFERENCES leads (id);
CREATE INDEX ix_leads_name_key ON leads (name_key) WHERE name_key IS NOT NULL AND name_key <> '' AND deleted_at IS NULL;
CREATE INDEX ix_leads_name_phonetic ON leads (name_phonetic) WHERE name_phonetic IS NOT NULL AND name_phonetic <> '' AND deleted_at IS NULL;
CREATE INDEX ix_leads_name_block ON leads (name_block) WHERE name_block IS NOT NULL AND name_block <> '' AND deleted_at IS NULL;
CREATE INDEX ix_leads_name_key_missing ON leads (id) WHERE name_key IS NULL;
CREATE INDEX ix_leads_merged_into ON leads (merged_into_id) WHERE merged_into_id IS NOT NULL;
-- The scan's incremental passes read the leads changed since the last one.
CREATE INDEX ix_leads_updated ON leads (updated_at);

-- One merge of leads (Leads/MergeLeads): who, when, which leads went into the survivor, the survivor's fields before
-- and after, and which touches moved from which lead, so an undo within 30 days gives back what the merge changed
-- and keeps what was changed since.
CREATE TABLE lead_merges (
    id               uuid NOT NULL PRIMARY KEY,
    survivor_id      uuid NOT NULL REFERENCES leads (id),
    performed_by     uuid NOT NULL REFERENCES users (id),
    merged_ids       text NOT NULL,
    survivor_before  text NOT NULL,
    survivor_after   text NOT NULL,
    moved_touches    text NOT NULL,
    undoable_until   timestamptz NOT NULL,
    undone_at        timestamptz NULL,
    undone_by        uuid NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    version          integer NOT NULL
);
CREATE INDEX ix_lead_merges_survivor ON lead_merges (survivor_id, created_at DESC);
