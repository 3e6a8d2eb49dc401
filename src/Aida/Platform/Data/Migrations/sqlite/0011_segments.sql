-- Segments (spec 002 Segment, WF-LC-003, spec 004 customer_segments): static and dynamic groupings of
-- customers, their members, a log of every recalculation with its counts, and a daily size snapshot.

CREATE TABLE segments (
    id                  TEXT    NOT NULL PRIMARY KEY,
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description         TEXT        NULL CHECK (length(description) <= 2000),
    type                TEXT    NOT NULL CHECK (type IN ('static', 'dynamic')),
    criteria            TEXT        NULL,
    priority            INTEGER NOT NULL DEFAULT 0,
    exclusion_group     TEXT        NULL CHECK (length(exclusion_group) BETWEEN 1 AND 50),
    is_active           INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    member_count        INTEGER NOT NULL DEFAULT 0,
    conflict_count      INTEGER NOT NULL DEFAULT 0,
    last_calculated_at  INTEGER     NULL,
    last_run_started_at INTEGER     NULL,
    last_full_run_at    INTEGER     NULL,
    needs_full_run      INTEGER NOT NULL CHECK (needs_full_run IN (0, 1)),
    created_by          TEXT    NOT NULL REFERENCES users (id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    version             INTEGER NOT NULL,
    deleted_at          INTEGER     NULL,
    CHECK (type = 'dynamic' OR (criteria IS NULL AND exclusion_group IS NULL)),
    CHECK (type = 'static' OR criteria IS NOT NULL)
);
CREATE UNIQUE INDEX ux_segments_name ON segments (lower(name)) WHERE deleted_at IS NULL;

-- Static members are added by hand; dynamic ones by recalculation only.
CREATE TABLE segment_members (
    segment_id   TEXT    NOT NULL REFERENCES segments (id),
    customer_id  TEXT    NOT NULL REFERENCES customers (id),
    added_at     INTEGER NOT NULL,
    PRIMARY KEY (segment_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX ix_segment_members_customer ON segment_members (customer_id);

-- Every recalculation, scheduled or asked for, with what it looked at and what it changed.
CREATE TABLE segment_runs (
    id            TEXT    NOT NULL PRIMARY KEY,
    segment_id    TEXT    NOT NULL REFERENCES segments (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('full', 'incremental')),
    reason        TEXT    NOT NULL CHECK (reason IN ('created', 'criteria_changed', 'on_demand', 'scheduled', 'relative_dates', 'dependency', 'periodic')),
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER     NULL,
    evaluated     INTEGER NOT NULL DEFAULT 0,
    added         INTEGER NOT NULL DEFAULT 0,
    removed       INTEGER NOT NULL DEFAULT 0,
    member_count  INTEGER NOT NULL DEFAULT 0,
    conflicts     INTEGER NOT NULL DEFAULT 0,
    status        TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    error         TEXT        NULL CHECK (length(error) <= 500)
);
CREATE INDEX ix_segment_runs_segment ON segment_runs (segment_id, started_at DESC);

-- Size over time: the full member count at the end of each day's last run.
CREATE TABLE segment_sizes (
    segment_id    TEXT    NOT NULL REFERENCES segments (id),
    day           TEXT    NOT NULL,
    member_count  INTEGER NOT NULL,
    PRIMARY KEY (segment_id, day)
) WITHOUT ROWID;

-- An incremental run re-evaluates only customers changed since the last one: these find them by range.
CREATE INDEX ix_customer_lifecycles_updated_at ON customer_lifecycles (updated_at);
CREATE INDEX ix_addresses_updated_at ON addresses (updated_at);
CREATE INDEX ix_accounts_updated_at ON accounts (updated_at);
CREATE INDEX ix_contacts_updated_at ON contacts (updated_at);

-- Criteria compare text ignoring case (lower(column) = lower(value)); these let the conditions people filter by
-- most — a country, a city, an industry — start from their few matching rows instead of every customer's.
CREATE INDEX ix_addresses_country_lower ON addresses (lower(country), customer_id);
CREATE INDEX ix_addresses_city_lower ON addresses (lower(city), customer_id);
CREATE INDEX ix_accounts_industry_lower ON accounts (lower(industry), customer_id);
