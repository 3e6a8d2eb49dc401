-- Web forms that capture leads (issue 7): an admin defines the fields, the origins allowed to post,
-- and where a visitor goes after submitting; the public key in /f/{key} is random and unguessable.

CREATE TABLE lead_forms (
    id                    uuid          NOT NULL PRIMARY KEY,
    name                  varchar(200)  NOT NULL CHECK (length(name) >= 1),
    key                   varchar(64)   NOT NULL CHECK (length(key) >= 16),
    fields                jsonb         NOT NULL,
    allowed_origins       jsonb         NOT NULL,
    success_redirect_url  varchar(2000)     NULL,
    source_type           text          NOT NULL CHECK (source_type IN ('website', 'phone', 'walk_in', 'referral', 'social', 'email', 'api', 'other')),
    source_detail         varchar(500)      NULL,
    is_active             boolean       NOT NULL,
    submission_count      integer       NOT NULL CHECK (submission_count >= 0),
    created_by            uuid              NULL REFERENCES users (id),
    created_at            timestamptz   NOT NULL,
    updated_at            timestamptz   NOT NULL,
    version               integer       NOT NULL,
    deleted_at            timestamptz       NULL
);
-- Every submission looks its form up by key: one index probe.
CREATE UNIQUE INDEX ux_lead_forms_key ON lead_forms (key);
CREATE INDEX ix_lead_forms_name ON lead_forms (name) WHERE deleted_at IS NULL;
