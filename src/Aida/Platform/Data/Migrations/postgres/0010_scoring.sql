-- Customer scores (spec 002 Score, WF-LC-002; issue 16 item 6): health, engagement, value, churn risk and
-- upsell potential per customer with their factor breakdown, the administrator's scoring rules, the
-- record of scoring runs (resumable from a cursor), the queue of customers whose factors changed, and a
-- daily per-owner, per-grade snapshot of health for the HealthDashboard trend.

CREATE TABLE customer_scores (
    id                 uuid    NOT NULL PRIMARY KEY,
    customer_id        uuid    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    score_type         text    NOT NULL CHECK (score_type IN ('health', 'engagement', 'value', 'churn_risk', 'upsell_potential')),
    score_value        integer NOT NULL CHECK (score_value BETWEEN 0 AND 100),
    grade              varchar(1) NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'F')),
    factors            jsonb   NOT NULL,
    insufficient_data  boolean NOT NULL,
    calculated_at      timestamptz NOT NULL,
    valid_until        timestamptz     NULL
);
CREATE UNIQUE INDEX ux_customer_scores_customer_type ON customer_scores (customer_id, score_type);
-- Spec 002's (score_type, score_value desc), covering what the HealthDashboard counts (grade, stale, no data).
CREATE INDEX ix_customer_scores_type_value ON customer_scores (score_type, score_value DESC, insufficient_data, calculated_at);

-- One row: the factor weights of each score type (JSON, {scoreType: {factor: weight}}) and the thresholds.
CREATE TABLE scoring_rules (
    id              uuid    NOT NULL PRIMARY KEY,
    weights         jsonb   NOT NULL,
    alert_below     integer NOT NULL CHECK (alert_below BETWEEN 0 AND 100),
    escalate_below  integer NOT NULL CHECK (escalate_below BETWEEN 0 AND 100),
    upsell_above    integer NOT NULL CHECK (upsell_above BETWEEN 0 AND 100),
    at_risk_below   integer NOT NULL CHECK (at_risk_below BETWEEN 0 AND 100),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         integer NOT NULL
);
INSERT INTO scoring_rules (id, weights, alert_below, escalate_below, upsell_above, at_risk_below, created_at, updated_at, version) VALUES
    ('01900000-0000-7000-8000-000000000301',
     '{"health":{"interactionRecency":0.2,"interactionFrequency":0.15,"sentiment":0.2,"overdueActivities":0.15,"purchaseRecency":0.15,"dealWinRate":0.15},"engagement":{"interactionRecency":0.4,"interactionFrequency":0.4,"overdueActivities":0.2},"value":{"purchaseRecency":0.2,"purchaseFrequency":0.3,"purchaseMonetary":0.4,"dealWinRate":0.1},"churn_risk":{"interactionRecency":0.35,"sentiment":0.25,"overdueActivities":0.15,"purchaseRecency":0.25},"upsell_potential":{"health":0.5,"value":0.3,"dealWinRate":0.2}}',
     40, 20, 80, 40, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);

CREATE TABLE scoring_runs (
    id                uuid    NOT NULL PRIMARY KEY,
    trigger           text    NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    status            text    NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    started_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    finished_at       timestamptz     NULL,
    started_by        uuid        NULL REFERENCES users (id),
    resume_after      uuid        NULL,
    chunks            integer NOT NULL,
    customers_scored  integer NOT NULL,
    crossings         integer NOT NULL,
    error             varchar(500) NULL
);
CREATE INDEX ix_scoring_runs_started ON scoring_runs (started_at DESC);
-- At most one run at a time: a second start resumes the running one.
CREATE UNIQUE INDEX ux_scoring_runs_running ON scoring_runs (status) WHERE status = 'running';

-- Customers whose factors changed (an interaction, activity, deal or purchase), rescored within seconds.
CREATE TABLE scoring_queue (
    id           uuid    NOT NULL PRIMARY KEY,
    customer_id  uuid    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    queued_at    timestamptz NOT NULL
);
CREATE INDEX ix_scoring_queue_customer ON scoring_queue (customer_id);

CREATE TABLE health_snapshots (
    id              uuid    NOT NULL PRIMARY KEY,
    day             date    NOT NULL,
    owner_id        uuid        NULL REFERENCES users (id),
    grade           varchar(1) NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'F')),
    customer_count  integer NOT NULL
);
CREATE INDEX ix_health_snapshots_day ON health_snapshots (day, owner_id);

-- New notification kinds for threshold crossings.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('activity_reminder', 'health_alert', 'health_escalation', 'upsell_opportunity'));
