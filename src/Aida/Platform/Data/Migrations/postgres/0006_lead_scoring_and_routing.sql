-- Lead scoring rules (demographic, behavioural, BANT), lead routing rules (by source and territory, to
-- a user or round robin within a team under a per-user cap) and the lead workflow settings (the
-- qualification threshold and the most follow-ups before a lead is unresponsive).

CREATE TABLE lead_scoring_rules (
    id          uuid         NOT NULL PRIMARY KEY,
    name        varchar(100) NOT NULL CHECK (length(name) >= 1),
    category    text         NOT NULL CHECK (category IN ('demographic', 'behavioural', 'bant')),
    field       varchar(50)  NOT NULL CHECK (length(field) >= 1),
    operator    text         NOT NULL CHECK (operator IN ('equals', 'not_equals', 'contains', 'in', 'not_in', 'is_set', 'is_not_set', 'at_least', 'at_most', 'is_true', 'is_false')),
    value       varchar(200)     NULL,
    value_list  jsonb            NULL,
    points      integer      NOT NULL CHECK (points BETWEEN -100 AND 100),
    is_active   boolean      NOT NULL,
    position    integer      NOT NULL,
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL,
    version     integer      NOT NULL,
    deleted_at  timestamptz      NULL
);
CREATE INDEX ix_lead_scoring_rules_position ON lead_scoring_rules (position, id) WHERE deleted_at IS NULL;

CREATE TABLE lead_routing_rules (
    id                     uuid         NOT NULL PRIMARY KEY,
    name                   varchar(100) NOT NULL CHECK (length(name) >= 1),
    position               integer      NOT NULL,
    is_active              boolean      NOT NULL,
    source_types           jsonb        NOT NULL,
    countries              jsonb        NOT NULL,
    action                 text         NOT NULL CHECK (action IN ('assign_user', 'round_robin')),
    user_id                uuid             NULL REFERENCES users (id),
    team_id                uuid             NULL REFERENCES teams (id),
    open_lead_cap          integer          NULL CHECK (open_lead_cap >= 1),
    last_assigned_user_id  uuid             NULL REFERENCES users (id),
    created_at             timestamptz  NOT NULL,
    updated_at             timestamptz  NOT NULL,
    version                integer      NOT NULL,
    deleted_at             timestamptz      NULL,
    CHECK ((action = 'assign_user') = (user_id IS NOT NULL)),
    CHECK ((action = 'round_robin') = (team_id IS NOT NULL))
);
CREATE INDEX ix_lead_routing_rules_position ON lead_routing_rules (position, id) WHERE deleted_at IS NULL;

CREATE TABLE lead_settings (
    id                       uuid        NOT NULL PRIMARY KEY,
    qualification_threshold  integer     NOT NULL CHECK (qualification_threshold BETWEEN 1 AND 100),
    max_follow_ups           integer     NOT NULL CHECK (max_follow_ups BETWEEN 1 AND 50),
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    version                  integer     NOT NULL
);
INSERT INTO lead_settings (id, qualification_threshold, max_follow_ups, created_at, updated_at, version)
VALUES ('01900000-0000-7000-8000-000000000101', 70, 5, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);
