-- Leads (spec 004 leads, spec 001 lead fields) and deals: pipelines, their stages, opportunities and
-- each deal's stage history. Web forms, scoring and routing rules have migrations of their own.

CREATE TABLE leads (
    id                        uuid    NOT NULL PRIMARY KEY,
    first_name                varchar(100)        NULL,
    last_name                 varchar(100)        NULL,
    email                     varchar(254)        NULL,
    email_normalized          text        NULL,
    phone                     varchar(50)        NULL,
    phone_key                 text        NULL,
    company                   varchar(200)        NULL,
    job_title                 varchar(200)        NULL,
    country                   varchar(2)        NULL CHECK (length(country) = 2),
    source_type               text    NOT NULL CHECK (source_type IN ('website', 'phone', 'walk_in', 'referral', 'social', 'email', 'api', 'other')),
    source_detail             varchar(500)        NULL,
    form_id                   uuid        NULL,
    utm_source                varchar(200)        NULL,
    utm_medium                varchar(200)        NULL,
    utm_campaign              varchar(200)        NULL,
    utm_term                  varchar(200)        NULL,
    utm_content               varchar(200)        NULL,
    landing_page              varchar(2000)        NULL,
    referrer                  varchar(2000)        NULL,
    needs                     text        NULL,
    budget_amount             numeric(15, 2)        NULL,
    budget_currency           varchar(3)        NULL CHECK (length(budget_currency) = 3),
    authority                 text    NOT NULL CHECK (authority IN ('unknown', 'none', 'influencer', 'decision_maker')),
    need                      text    NOT NULL CHECK (need IN ('unknown', 'low', 'medium', 'high')),
    timeline                  text    NOT NULL CHECK (timeline IN ('unknown', 'immediate', 'this_month', 'this_quarter', 'this_year', 'later')),
    urgency                   text    NOT NULL CHECK (urgency IN ('low', 'medium', 'high', 'urgent')),
    score                     integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    score_factors             jsonb    NOT NULL,
    scored_at                 timestamptz     NULL,
    qualification_status      text    NOT NULL CHECK (qualification_status IN ('unqualified', 'qualifying', 'qualified', 'disqualified')),
    qualification_reason      varchar(500)        NULL,
    status                    text    NOT NULL CHECK (status IN ('active', 'converted', 'lost', 'unresponsive')),
    assigned_to               uuid        NULL REFERENCES users (id),
    assigned_at               timestamptz     NULL,
    routing_rule_id           uuid        NULL,
    routing_reason            varchar(500)        NULL,
    connected_at              timestamptz     NULL,
    follow_up_count           integer NOT NULL CHECK (follow_up_count >= 0),
    last_contact_at           timestamptz     NULL,
    next_follow_up_at         timestamptz     NULL,
    lost_reason               varchar(500)        NULL,
    converted_customer_id     uuid        NULL REFERENCES customers (id),
    converted_contact_id      uuid        NULL REFERENCES contacts (id),
    converted_opportunity_id  uuid        NULL,
    converted_at              timestamptz     NULL,
    capture_count             integer NOT NULL CHECK (capture_count >= 1),
    last_captured_at          timestamptz NOT NULL,
    created_by                uuid        NULL REFERENCES users (id),
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    version                   integer NOT NULL,
    deleted_at                timestamptz     NULL,
    CHECK ((status = 'converted') = (converted_customer_id IS NOT NULL))
);
-- Spec 004's indexes: the work queue by status and assignee, the best leads first, follow-ups due.
CREATE INDEX ix_leads_status_assignee ON leads (status, assigned_to, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX ix_leads_score ON leads (score DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX ix_leads_follow_up ON leads (next_follow_up_at, status) WHERE next_follow_up_at IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX ix_leads_created ON leads (created_at DESC, id DESC) WHERE deleted_at IS NULL;
-- Capture deduplicates by address and phone: these make the lookup one index probe at any table size.
CREATE INDEX ix_leads_email ON leads (email_normalized) WHERE email_normalized IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX ix_leads_phone ON leads (phone_key) WHERE phone_key IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE lead_interactions (
    id                uuid    NOT NULL PRIMARY KEY,
    lead_id           uuid    NOT NULL REFERENCES leads (id),
    interaction_type  text    NOT NULL CHECK (interaction_type IN ('email', 'call', 'meeting', 'chat', 'sms', 'social', 'in_person', 'other')),
    direction         text    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    subject           varchar(500)        NULL,
    description       text        NULL,
    occurred_at       timestamptz NOT NULL,
    outcome           text        NULL CHECK (outcome IN ('successful', 'no_answer', 'left_message', 'bounced', 'follow_up_needed', 'completed')),
    created_by        uuid        NULL REFERENCES users (id),
    interaction_id    uuid        NULL REFERENCES interactions (id),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           integer NOT NULL
);
CREATE INDEX ix_lead_interactions_lead ON lead_interactions (lead_id, occurred_at DESC);

CREATE TABLE pipelines (
    id          uuid    NOT NULL PRIMARY KEY,
    name        varchar(100)    NOT NULL CHECK (length(name) >= 1),
    is_default  boolean NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    version     integer NOT NULL,
    deleted_at  timestamptz     NULL
);
CREATE UNIQUE INDEX ux_pipelines_default ON pipelines (is_default) WHERE is_default AND deleted_at IS NULL;

CREATE TABLE pipeline_stages (
    id           uuid    NOT NULL PRIMARY KEY,
    pipeline_id  uuid    NOT NULL REFERENCES pipelines (id),
    name         varchar(100)    NOT NULL CHECK (length(name) >= 1),
    code         varchar(50)    NOT NULL CHECK (length(code) >= 1),
    position     integer NOT NULL,
    probability  integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind         text    NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      integer NOT NULL
);
CREATE UNIQUE INDEX ux_pipeline_stages_code ON pipeline_stages (pipeline_id, code);
CREATE INDEX ix_pipeline_stages_position ON pipeline_stages (pipeline_id, position);

CREATE TABLE opportunities (
    id                    uuid    NOT NULL PRIMARY KEY,
    title                 varchar(255)    NOT NULL CHECK (length(title) >= 1),
    description           text        NULL,
    value                 numeric(15, 2)    NOT NULL,
    currency              varchar(3)    NOT NULL CHECK (length(currency) = 3),
    pipeline_id           uuid    NOT NULL REFERENCES pipelines (id),
    stage_id              uuid    NOT NULL REFERENCES pipeline_stages (id),
    probability_override  integer     NULL CHECK (probability_override BETWEEN 0 AND 100),
    expected_close_on     date        NULL,
    customer_id           uuid    NOT NULL REFERENCES customers (id),
    contact_id            uuid        NULL REFERENCES contacts (id),
    owner_id              uuid        NULL REFERENCES users (id),
    source                varchar(100)        NULL,
    priority              text    NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    status                text    NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    closed_at             timestamptz     NULL,
    close_reason          varchar(500)        NULL,
    lead_id               uuid        NULL REFERENCES leads (id),
    stage_entered_at      timestamptz NOT NULL,
    last_activity_at      timestamptz NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    version               integer NOT NULL,
    deleted_at            timestamptz     NULL,
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX ix_opportunities_stage ON opportunities (stage_id, status) WHERE deleted_at IS NULL;
CREATE INDEX ix_opportunities_customer ON opportunities (customer_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_opportunities_owner_close ON opportunities (owner_id, status, expected_close_on) WHERE deleted_at IS NULL;
CREATE INDEX ix_opportunities_close ON opportunities (status, expected_close_on) WHERE deleted_at IS NULL;
-- A lead converts into at most one deal, however many times the conversion is retried.
CREATE UNIQUE INDEX ux_opportunities_lead ON opportunities (lead_id) WHERE lead_id IS NOT NULL;

CREATE TABLE opportunity_stage_history (
    id              uuid    NOT NULL PRIMARY KEY,
    opportunity_id  uuid    NOT NULL REFERENCES opportunities (id),
    stage_id        uuid    NOT NULL REFERENCES pipeline_stages (id),
    entered_at      timestamptz NOT NULL,
    left_at         timestamptz     NULL,
    moved_by        uuid        NULL REFERENCES users (id)
);
CREATE INDEX ix_opportunity_stage_history_opportunity ON opportunity_stage_history (opportunity_id, entered_at);
CREATE INDEX ix_opportunity_stage_history_stage ON opportunity_stage_history (stage_id, left_at);

-- The default pipeline of spec 001, with the probabilities a sales team would start from.
INSERT INTO pipelines (id, name, is_default, created_at, updated_at, version)
VALUES ('01900000-0000-7000-8000-000000000001', 'Sales', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);
INSERT INTO pipeline_stages (id, pipeline_id, name, code, position, probability, kind, created_at, updated_at, version) VALUES
    ('01900000-0000-7000-8000-000000000011', '01900000-0000-7000-8000-000000000001', 'Initial contact', 'initial_contact', 1, 10, 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000012', '01900000-0000-7000-8000-000000000001', 'Qualified', 'qualified', 2, 25, 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000013', '01900000-0000-7000-8000-000000000001', 'Proposal', 'proposal', 3, 50, 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000014', '01900000-0000-7000-8000-000000000001', 'Negotiation', 'negotiation', 4, 75, 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000015', '01900000-0000-7000-8000-000000000001', 'Closed won', 'closed_won', 5, 100, 'won', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000016', '01900000-0000-7000-8000-000000000001', 'Closed lost', 'closed_lost', 6, 0, 'lost', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);
