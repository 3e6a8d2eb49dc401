-- Lead scoring rules (demographic, behavioural, BANT), lead routing rules (by source and territory, to
-- a user or round robin within a team under a per-user cap) and the lead workflow settings (the
-- qualification threshold and the most follow-ups before a lead is unresponsive).

CREATE TABLE lead_scoring_rules (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    category    TEXT    NOT NULL CHECK (category IN ('demographic', 'behavioural', 'bant')),
    field       TEXT    NOT NULL CHECK (length(field) BETWEEN 1 AND 50),
    operator    TEXT    NOT NULL CHECK (operator IN ('equals', 'not_equals', 'contains', 'in', 'not_in', 'is_set', 'is_not_set', 'at_least', 'at_most', 'is_true', 'is_false')),
    value       TEXT        NULL CHECK (length(value) <= 200),
    value_list  TEXT        NULL,
    points      INTEGER NOT NULL CHECK (points BETWEEN -100 AND 100),
    is_active   INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    position    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    deleted_at  INTEGER     NULL
);
CREATE INDEX ix_lead_scoring_rules_position ON lead_scoring_rules (position, id) WHERE deleted_at IS NULL;

CREATE TABLE lead_routing_rules (
    id                     TEXT    NOT NULL PRIMARY KEY,
    name                   TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    position               INTEGER NOT NULL,
    is_active              INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    source_types           TEXT    NOT NULL,
    countries              TEXT    NOT NULL,
    action                 TEXT    NOT NULL CHECK (action IN ('assign_user', 'round_robin')),
    user_id                TEXT        NULL REFERENCES users (id),
    team_id                TEXT        NULL REFERENCES teams (id),
    open_lead_cap          INTEGER     NULL CHECK (open_lead_cap >= 1),
    last_assigned_user_id  TEXT        NULL REFERENCES users (id),
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    version                INTEGER NOT NULL,
    deleted_at             INTEGER     NULL,
    CHECK ((action = 'assign_user') = (user_id IS NOT NULL)),
    CHECK ((action = 'round_robin') = (team_id IS NOT NULL))
);
CREATE INDEX ix_lead_routing_rules_position ON lead_routing_rules (position, id) WHERE deleted_at IS NULL;

CREATE TABLE lead_settings (
    id                       TEXT    NOT NULL PRIMARY KEY,
    qualification_threshold  INTEGER NOT NULL CHECK (qualification_threshold BETWEEN 1 AND 100),
    max_follow_ups           INTEGER NOT NULL CHECK (max_follow_ups BETWEEN 1 AND 50),
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL,
    version                  INTEGER NOT NULL
);
INSERT INTO lead_settings (id, qualification_threshold, max_follow_ups, created_at, updated_at, version)
VALUES ('01900000-0000-7000-8000-000000000101', 70, 5, 1767225600000000, 1767225600000000, 1);
