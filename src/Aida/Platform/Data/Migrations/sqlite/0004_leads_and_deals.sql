-- Leads (spec 004 leads, spec 001 lead fields) and deals: pipelines, their stages, opportunities and
-- each deal's stage history. Web forms, scoring and routing rules have migrations of their own.

CREATE TABLE leads (
    id                        TEXT    NOT NULL PRIMARY KEY,
    first_name                TEXT        NULL CHECK (length(first_name) <= 100),
    last_name                 TEXT        NULL CHECK (length(last_name) <= 100),
    email                     TEXT        NULL CHECK (length(email) <= 254),
    email_normalized          TEXT        NULL,
    phone                     TEXT        NULL CHECK (length(phone) <= 50),
    phone_key                 TEXT        NULL,
    company                   TEXT        NULL CHECK (length(company) <= 200),
    job_title                 TEXT        NULL CHECK (length(job_title) <= 200),
    country                   TEXT        NULL CHECK (length(country) = 2),
    source_type               TEXT    NOT NULL CHECK (source_type IN ('website', 'phone', 'walk_in', 'referral', 'social', 'email', 'api', 'other')),
    source_detail             TEXT        NULL CHECK (length(source_detail) <= 500),
    form_id                   TEXT        NULL,
    utm_source                TEXT        NULL CHECK (length(utm_source) <= 200),
    utm_medium                TEXT        NULL CHECK (length(utm_medium) <= 200),
    utm_campaign              TEXT        NULL CHECK (length(utm_campaign) <= 200),
    utm_term                  TEXT        NULL CHECK (length(utm_term) <= 200),
    utm_content               TEXT        NULL CHECK (length(utm_content) <= 200),
    landing_page              TEXT        NULL CHECK (length(landing_page) <= 2000),
    referrer                  TEXT        NULL CHECK (length(referrer) <= 2000),
    needs                     TEXT        NULL,
    budget_amount             TEXT        NULL,
    budget_currency           TEXT        NULL CHECK (length(budget_currency) = 3),
    authority                 TEXT    NOT NULL CHECK (authority IN ('unknown', 'none', 'influencer', 'decision_maker')),
    need                      TEXT    NOT NULL CHECK (need IN ('unknown', 'low', 'medium', 'high')),
    timeline                  TEXT    NOT NULL CHECK (timeline IN ('unknown', 'immediate', 'this_month', 'this_quarter', 'this_year', 'later')),
    urgency                   TEXT    NOT NULL CHECK (urgency IN ('low', 'medium', 'high', 'urgent')),
    score                     INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    score_factors             TEXT    NOT NULL,
    scored_at                 INTEGER     NULL,
    qualification_status      TEXT    NOT NULL CHECK (qualification_status IN ('unqualified', 'qualifying', 'qualified', 'disqualified')),
    qualification_reason      TEXT        NULL CHECK (length(qualification_reason) <= 500),
    status                    TEXT    NOT NULL CHECK (status IN ('active', 'converted', 'lost', 'unresponsive')),
    assigned_to               TEXT        NULL REFERENCES users (id),
    assigned_at               INTEGER     NULL,
    routing_rule_id           TEXT        NULL,
    routing_reason            TEXT        NULL CHECK (length(routing_reason) <= 500),
    connected_at              INTEGER     NULL,
    follow_up_count           INTEGER NOT NULL CHECK (follow_up_count >= 0),
    last_contact_at           INTEGER     NULL,
    next_follow_up_at         INTEGER     NULL,
    lost_reason               TEXT        NULL CHECK (length(lost_reason) <= 500),
    converted_customer_id     TEXT        NULL REFERENCES customers (id),
    converted_contact_id      TEXT        NULL REFERENCES contacts (id),
    converted_opportunity_id  TEXT        NULL,
    converted_at              INTEGER     NULL,
    capture_count             INTEGER NOT NULL CHECK (capture_count >= 1),
    last_captured_at          INTEGER NOT NULL,
    created_by                TEXT        NULL REFERENCES users (id),
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    version                   INTEGER NOT NULL,
    deleted_at                INTEGER     NULL,
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
    id                TEXT    NOT NULL PRIMARY KEY,
    lead_id           TEXT    NOT NULL REFERENCES leads (id),
    interaction_type  TEXT    NOT NULL CHECK (interaction_type IN ('email', 'call', 'meeting', 'chat', 'sms', 'social', 'in_person', 'other')),
    direction         TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    subject           TEXT        NULL CHECK (length(subject) <= 500),
    description       TEXT        NULL,
    occurred_at       INTEGER NOT NULL,
    outcome           TEXT        NULL CHECK (outcome IN ('successful', 'no_answer', 'left_message', 'bounced', 'follow_up_needed', 'completed')),
    created_by        TEXT        NULL REFERENCES users (id),
    interaction_id    TEXT        NULL REFERENCES interactions (id),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    version           INTEGER NOT NULL
);
CREATE INDEX ix_lead_interactions_lead ON lead_interactions (lead_id, occurred_at DESC);

CREATE TABLE pipelines (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    is_default  INTEGER NOT NULL CHECK (is_default IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    deleted_at  INTEGER     NULL
);
CREATE UNIQUE INDEX ux_pipelines_default ON pipelines (is_default) WHERE is_default = 1 AND deleted_at IS NULL;

CREATE TABLE pipeline_stages (
    id           TEXT    NOT NULL PRIMARY KEY,
    pipeline_id  TEXT    NOT NULL REFERENCES pipelines (id),
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    code         TEXT    NOT NULL CHECK (length(code) BETWEEN 1 AND 50),
    position     INTEGER NOT NULL,
    probability  INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind         TEXT    NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_pipeline_stages_code ON pipeline_stages (pipeline_id, code);
CREATE INDEX ix_pipeline_stages_position ON pipeline_stages (pipeline_id, position);

CREATE TABLE opportunities (
    id                    TEXT    NOT NULL PRIMARY KEY,
    title                 TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 255),
    description           TEXT        NULL,
    value                 TEXT    NOT NULL,
    currency              TEXT    NOT NULL CHECK (length(currency) = 3),
    pipeline_id           TEXT    NOT NULL REFERENCES pipelines (id),
    stage_id              TEXT    NOT NULL REFERENCES pipeline_stages (id),
    probability_override  INTEGER     NULL CHECK (probability_override BETWEEN 0 AND 100),
    expected_close_on     TEXT        NULL,
    customer_id           TEXT    NOT NULL REFERENCES customers (id),
    contact_id            TEXT        NULL REFERENCES contacts (id),
    owner_id              TEXT        NULL REFERENCES users (id),
    source                TEXT        NULL CHECK (length(source) <= 100),
    priority              TEXT    NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    status                TEXT    NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    closed_at             INTEGER     NULL,
    close_reason          TEXT        NULL CHECK (length(close_reason) <= 500),
    lead_id               TEXT        NULL REFERENCES leads (id),
    stage_entered_at      INTEGER NOT NULL,
    last_activity_at      INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL,
    deleted_at            INTEGER     NULL,
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX ix_opportunities_stage ON opportunities (stage_id, status) WHERE deleted_at IS NULL;
CREATE INDEX ix_opportunities_customer ON opportunities (customer_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_opportunities_owner_close ON opportunities (owner_id, status, expected_close_on) WHERE deleted_at IS NULL;
CREATE INDEX ix_opportunities_close ON opportunities (status, expected_close_on) WHERE deleted_at IS NULL;
-- A lead converts into at most one deal, however many times the conversion is retried.
CREATE UNIQUE INDEX ux_opportunities_lead ON opportunities (lead_id) WHERE lead_id IS NOT NULL;

CREATE TABLE opportunity_stage_history (
    id              TEXT    NOT NULL PRIMARY KEY,
    opportunity_id  TEXT    NOT NULL REFERENCES opportunities (id),
    stage_id        TEXT    NOT NULL REFERENCES pipeline_stages (id),
    entered_at      INTEGER NOT NULL,
    left_at         INTEGER     NULL,
    moved_by        TEXT        NULL REFERENCES users (id)
);
CREATE INDEX ix_opportunity_stage_history_opportunity ON opportunity_stage_history (opportunity_id, entered_at);
CREATE INDEX ix_opportunity_stage_history_stage ON opportunity_stage_history (stage_id, left_at);

-- The default pipeline of spec 001, with the probabilities a sales team would start from.
INSERT INTO pipelines (id, name, is_default, created_at, updated_at, version)
VALUES ('01900000-0000-7000-8000-000000000001', 'Sales', 1, 1767225600000000, 1767225600000000, 1);
INSERT INTO pipeline_stages (id, pipeline_id, name, code, position, probability, kind, created_at, updated_at, version) VALUES
    ('01900000-0000-7000-8000-000000000011', '01900000-0000-7000-8000-000000000001', 'Initial contact', 'initial_contact', 1, 10, 'open', 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000012', '01900000-0000-7000-8000-000000000001', 'Qualified', 'qualified', 2, 25, 'open', 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000013', '01900000-0000-7000-8000-000000000001', 'Proposal', 'proposal', 3, 50, 'open', 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000014', '01900000-0000-7000-8000-000000000001', 'Negotiation', 'negotiation', 4, 75, 'open', 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000015', '01900000-0000-7000-8000-000000000001', 'Closed won', 'closed_won', 5, 100, 'won', 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000016', '01900000-0000-7000-8000-000000000001', 'Closed lost', 'closed_lost', 6, 0, 'lost', 1767225600000000, 1767225600000000, 1);
