-- Web forms that capture leads (issue 7): an admin defines the fields, the origins allowed to post,
-- and where a visitor goes after submitting; the public key in /f/{key} is random and unguessable.

CREATE TABLE lead_forms (
    id                    TEXT    NOT NULL PRIMARY KEY,
    name                  TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    key                   TEXT    NOT NULL CHECK (length(key) BETWEEN 16 AND 64),
    fields                TEXT    NOT NULL,
    allowed_origins       TEXT    NOT NULL,
    success_redirect_url  TEXT        NULL CHECK (length(success_redirect_url) <= 2000),
    source_type           TEXT    NOT NULL CHECK (source_type IN ('website', 'phone', 'walk_in', 'referral', 'social', 'email', 'api', 'other')),
    source_detail         TEXT        NULL CHECK (length(source_detail) <= 500),
    is_active             INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    submission_count      INTEGER NOT NULL CHECK (submission_count >= 0),
    created_by            TEXT        NULL REFERENCES users (id),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL,
    deleted_at            INTEGER     NULL
);
-- Every submission looks its form up by key: one index probe.
CREATE UNIQUE INDEX ux_lead_forms_key ON lead_forms (key);
CREATE INDEX ix_lead_forms_name ON lead_forms (name) WHERE deleted_at IS NULL;
