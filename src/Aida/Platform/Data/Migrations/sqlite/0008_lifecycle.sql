-- Customer lifecycle (spec 002 package "lifecycle", spec 000's four phases): the stages a customer moves
-- through, which moves are allowed, each customer's current stage, the immutable history of its moves,
-- and moves waiting for a manager's approval.

CREATE TABLE lifecycle_stages (
    id             TEXT    NOT NULL PRIMARY KEY,
    name           TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    code           TEXT    NOT NULL CHECK (length(code) BETWEEN 1 AND 50),
    display_order  INTEGER NOT NULL,
    category       TEXT    NOT NULL CHECK (category IN ('pre_customer', 'customer', 'post_customer')),
    phase          TEXT    NOT NULL CHECK (phase IN ('capture', 'connect', 'convert', 'retain')),
    color          TEXT        NULL CHECK (color IS NULL OR length(color) = 7),
    description    TEXT        NULL CHECK (length(description) <= 2000),
    is_active      INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    deleted_at     INTEGER     NULL
);
CREATE UNIQUE INDEX ux_lifecycle_stages_code ON lifecycle_stages (code) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_lifecycle_stages_name ON lifecycle_stages (lower(name)) WHERE deleted_at IS NULL;

-- WF-LC-001's stage_transition_rules: a move not listed here is refused unless an administrator overrides it.
CREATE TABLE stage_transition_rules (
    id                 TEXT    NOT NULL PRIMARY KEY,
    from_stage_id      TEXT    NOT NULL REFERENCES lifecycle_stages (id),
    to_stage_id        TEXT    NOT NULL REFERENCES lifecycle_stages (id),
    requires_approval  INTEGER NOT NULL CHECK (requires_approval IN (0, 1)),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    version            INTEGER NOT NULL,
    CHECK (from_stage_id <> to_stage_id)
);
CREATE UNIQUE INDEX ux_stage_transition_rules_pair ON stage_transition_rules (from_stage_id, to_stage_id);

-- One row per customer, keyed by the customer: a trigger places every new customer, whatever path
-- created it (API, import, lead conversion, seeding), so no customer is ever without a stage.
CREATE TABLE customer_lifecycles (
    customer_id          TEXT    NOT NULL PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    current_stage_id     TEXT    NOT NULL REFERENCES lifecycle_stages (id),
    entered_stage_at     INTEGER NOT NULL,
    previous_stage_id    TEXT        NULL REFERENCES lifecycle_stages (id),
    first_purchase_date  TEXT        NULL,
    last_purchase_date   TEXT        NULL,
    total_revenue        TEXT    NOT NULL DEFAULT '0',
    purchase_count       INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    version              INTEGER NOT NULL
);
CREATE INDEX ix_customer_lifecycles_stage ON customer_lifecycles (current_stage_id, entered_stage_at);

-- AC-1 of LifecycleHistory: no update and no delete, whoever asks.
CREATE TABLE lifecycle_history (
    id              TEXT    NOT NULL PRIMARY KEY,
    customer_id     TEXT    NOT NULL REFERENCES customers (id),
    from_stage_id   TEXT        NULL REFERENCES lifecycle_stages (id),
    to_stage_id     TEXT    NOT NULL REFERENCES lifecycle_stages (id),
    changed_at      INTEGER NOT NULL,
    changed_by      TEXT        NULL REFERENCES users (id),
    approved_by     TEXT        NULL REFERENCES users (id),
    reason          TEXT        NULL CHECK (length(reason) <= 500),
    trigger         TEXT    NOT NULL CHECK (trigger IN ('manual', 'rule', 'api', 'system')),
    rule_name       TEXT        NULL CHECK (length(rule_name) <= 100),
    is_override     INTEGER NOT NULL CHECK (is_override IN (0, 1))
);
CREATE INDEX ix_lifecycle_history_customer ON lifecycle_history (customer_id, changed_at DESC);
CREATE TRIGGER lifecycle_history_no_update BEFORE UPDATE ON lifecycle_history BEGIN
    SELECT RAISE(ABORT, 'lifecycle history is immutable');
END;
CREATE TRIGGER lifecycle_history_no_delete BEFORE DELETE ON lifecycle_history BEGIN
    SELECT RAISE(ABORT, 'lifecycle history is immutable');
END;

-- WF-LC-001 step 3: a move whose rule requires approval waits here for a manager.
CREATE TABLE stage_change_requests (
    id              TEXT    NOT NULL PRIMARY KEY,
    customer_id     TEXT    NOT NULL REFERENCES customers (id),
    from_stage_id   TEXT    NOT NULL REFERENCES lifecycle_stages (id),
    to_stage_id     TEXT    NOT NULL REFERENCES lifecycle_stages (id),
    reason          TEXT        NULL CHECK (length(reason) <= 500),
    trigger         TEXT    NOT NULL CHECK (trigger IN ('manual', 'rule', 'api', 'system')),
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    requested_by    TEXT        NULL REFERENCES users (id),
    decided_by      TEXT        NULL REFERENCES users (id),
    decided_at      INTEGER     NULL,
    decision_note   TEXT        NULL CHECK (length(decision_note) <= 500),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_stage_change_requests_pending ON stage_change_requests (customer_id) WHERE status = 'pending';
CREATE INDEX ix_stage_change_requests_status ON stage_change_requests (status, created_at);

-- Spec 002's seven default stages and spec 004's Advocacy, each in one of spec 000's four phases.
INSERT INTO lifecycle_stages (id, name, code, display_order, category, phase, color, description, is_active, created_at, updated_at, version) VALUES
    ('01900000-0000-7000-8000-000000000101', 'Lead', 'lead', 1, 'pre_customer', 'capture', '#94a3b8', 'Has shown interest; not yet qualified.', 1, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000102', 'Prospect', 'prospect', 2, 'pre_customer', 'connect', '#60a5fa', 'Qualified, in conversation.', 1, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000103', 'Opportunity', 'opportunity', 3, 'pre_customer', 'convert', '#a78bfa', 'A deal is open.', 1, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000104', 'Customer', 'customer', 4, 'customer', 'retain', '#22c55e', 'Has bought.', 1, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000105', 'At Risk', 'at_risk', 5, 'customer', 'retain', '#f59e0b', 'A customer whose health has fallen.', 1, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000106', 'Churned', 'churned', 6, 'post_customer', 'retain', '#ef4444', 'No longer buying.', 1, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000107', 'Won Back', 'won_back', 7, 'customer', 'retain', '#14b8a6', 'Bought again after churning.', 1, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000108', 'Advocacy', 'advocacy', 8, 'customer', 'retain', '#0ea5e9', 'A loyal customer who refers others.', 1, 1767225600000000, 1767225600000000, 1);

-- WF-LC-001's table, with Advocacy's edges added.
INSERT INTO stage_transition_rules (id, from_stage_id, to_stage_id, requires_approval, created_at, updated_at, version) VALUES
    ('01900000-0000-7000-8000-000000000201', '01900000-0000-7000-8000-000000000101', '01900000-0000-7000-8000-000000000102', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000202', '01900000-0000-7000-8000-000000000101', '01900000-0000-7000-8000-000000000106', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000203', '01900000-0000-7000-8000-000000000102', '01900000-0000-7000-8000-000000000103', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000204', '01900000-0000-7000-8000-000000000102', '01900000-0000-7000-8000-000000000101', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000205', '01900000-0000-7000-8000-000000000102', '01900000-0000-7000-8000-000000000106', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000206', '01900000-0000-7000-8000-000000000103', '01900000-0000-7000-8000-000000000104', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000207', '01900000-0000-7000-8000-000000000103', '01900000-0000-7000-8000-000000000102', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000208', '01900000-0000-7000-8000-000000000103', '01900000-0000-7000-8000-000000000106', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000209', '01900000-0000-7000-8000-000000000104', '01900000-0000-7000-8000-000000000105', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000210', '01900000-0000-7000-8000-000000000104', '01900000-0000-7000-8000-000000000106', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000211', '01900000-0000-7000-8000-000000000104', '01900000-0000-7000-8000-000000000108', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000212', '01900000-0000-7000-8000-000000000105', '01900000-0000-7000-8000-000000000104', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000213', '01900000-0000-7000-8000-000000000105', '01900000-0000-7000-8000-000000000106', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000214', '01900000-0000-7000-8000-000000000106', '01900000-0000-7000-8000-000000000107', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000215', '01900000-0000-7000-8000-000000000107', '01900000-0000-7000-8000-000000000104', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000216', '01900000-0000-7000-8000-000000000107', '01900000-0000-7000-8000-000000000106', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000217', '01900000-0000-7000-8000-000000000107', '01900000-0000-7000-8000-000000000108', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000218', '01900000-0000-7000-8000-000000000108', '01900000-0000-7000-8000-000000000104', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000219', '01900000-0000-7000-8000-000000000108', '01900000-0000-7000-8000-000000000105', 0, 1767225600000000, 1767225600000000, 1),
    ('01900000-0000-7000-8000-000000000220', '01900000-0000-7000-8000-000000000108', '01900000-0000-7000-8000-000000000106', 0, 1767225600000000, 1767225600000000, 1);

-- Where a customer starts: its status was the only lifecycle Aida had. A prospect is a Prospect, a
-- churned customer is Churned; active and inactive customers are Customers (inactivity is for the
-- health rules to judge, not for this mapping to guess).
CREATE TRIGGER customers_lifecycle_placed AFTER INSERT ON customers BEGIN
    INSERT INTO customer_lifecycles (customer_id, current_stage_id, entered_stage_at, created_at, updated_at, version)
    VALUES (new.id,
            CASE new.status WHEN 'prospect' THEN '01900000-0000-7000-8000-000000000102'
                            WHEN 'churned' THEN '01900000-0000-7000-8000-000000000106'
                            ELSE '01900000-0000-7000-8000-000000000104' END,
            new.created_at, new.created_at, new.created_at, 1);
END;

INSERT INTO customer_lifecycles (customer_id, current_stage_id, entered_stage_at, created_at, updated_at, version)
SELECT id,
       CASE status WHEN 'prospect' THEN '01900000-0000-7000-8000-000000000102'
                   WHEN 'churned' THEN '01900000-0000-7000-8000-000000000106'
                   ELSE '01900000-0000-7000-8000-000000000104' END,
       created_at, created_at, created_at, 1
FROM customers;
