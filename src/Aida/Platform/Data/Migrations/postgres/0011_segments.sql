-- Segments (spec 002 Segment, WF-LC-003, spec 004 customer_segments): static and dynamic groupings of
-- customers, their members, a log of every recalculation with its counts, and a daily size snapshot.

CREATE TABLE segments (
    id                  uuid          NOT NULL PRIMARY KEY,
    name                varchar(100)  NOT NULL CHECK (length(name) >= 1),
    description         varchar(2000)     NULL,
    type                text          NOT NULL CHECK (type IN ('static', 'dynamic')),
    criteria            jsonb             NULL,
    priority            integer       NOT NULL DEFAULT 0,
    exclusion_group     varchar(50)       NULL CHECK (length(exclusion_group) >= 1),
    is_active           boolean       NOT NULL,
    member_count        integer       NOT NULL DEFAULT 0,
    conflict_count      integer       NOT NULL DEFAULT 0,
    last_calculated_at  timestamptz       NULL,
    last_run_started_at timestamptz       NULL,
    last_full_run_at    timestamptz       NULL,
    needs_full_run      boolean       NOT NULL,
    created_by          uuid          NOT NULL REFERENCES users (id),
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    version             integer       NOT NULL,
    deleted_at          timestamptz       NULL,
    CHECK (type = 'dynamic' OR (criteria IS NULL AND exclusion_group IS NULL)),
    CHECK (type = 'static' OR criteria IS NOT NULL)
);
CREATE UNIQUE INDEX ux_segments_name ON segments (lower(name)) WHERE deleted_at IS NULL;

-- Static members are added by hand; dynamic ones by recalculation only.
CREATE TABLE segment_members (
    segment_id   uuid        NOT NULL REFERENCES segments (id),
    customer_id  uuid        NOT NULL REFERENCES customers (id),
    added_at     timestamptz NOT NULL,
    PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX ix_segment_members_customer ON segment_members (customer_id);

-- Every recalculation, scheduled or asked for, with what it looked at and what it changed.
CREATE TABLE segment_runs (
    id            uuid         NOT NULL PRIMARY KEY,
    segment_id    uuid         NOT NULL REFERENCES segments (id),
    kind          text         NOT NULL CHECK (kind IN ('full', 'incremental')),
    reason        text         NOT NULL CHECK (reason IN ('created', 'criteria_changed', 'on_demand', 'scheduled', 'relative_dates', 'dependency', 'periodic')),
    started_at    timestamptz  NOT NULL,
    finished_at   timestamptz      NULL,
    evaluated     integer      NOT NULL DEFAULT 0,
    added         integer      NOT NULL DEFAULT 0,
    removed       integer      NOT NULL DEFAULT 0,
    member_count  integer      NOT NULL DEFAULT 0,
    conflicts     integer      NOT NULL DEFAULT 0,
    status        text         NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    error         varchar(500)     NULL
);
CREATE INDEX ix_segment_runs_segment ON segment_runs (segment_id, started_at DESC);

-- Size over time: the full member count at the end of each day's last run.
CREATE TABLE segment_sizes (
    segment_id    uuid     NOT NULL REFERENCES segments (id),
    day           date     NOT NULL,
    member_count  integer  NOT NULL,
    PRIMARY KEY (segment_id, day)
);

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
