-- Customer lifecycle (spec 002 package "lifecycle", spec 000's four phases): the stages a customer moves
-- through, which moves are allowed, each customer's current stage, the immutable history of its moves,
-- and moves waiting for a manager's approval.

CREATE TABLE lifecycle_stages (
    id             uuid    NOT NULL PRIMARY KEY,
    name           varchar(100) NOT NULL CHECK (length(name) >= 1),
    code           varchar(50) NOT NULL CHECK (length(code) >= 1),
    display_order  integer NOT NULL,
    category       text    NOT NULL CHECK (category IN ('pre_customer', 'customer', 'post_customer')),
    phase          text    NOT NULL CHECK (phase IN ('capture', 'connect', 'convert', 'retain')),
    color          varchar(7)  NULL CHECK (color IS NULL OR length(color) = 7),
    description    varchar(2000) NULL,
    is_active      boolean NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        integer NOT NULL,
    deleted_at     timestamptz     NULL
);
CREATE UNIQUE INDEX ux_lifecycle_stages_code ON lifecycle_stages (code) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_lifecycle_stages_name ON lifecycle_stages (lower(name)) WHERE deleted_at IS NULL;

-- WF-LC-001's stage_transition_rules: a move not listed here is refused unless an administrator overrides it.
CREATE TABLE stage_transition_rules (
    id                 uuid    NOT NULL PRIMARY KEY,
    from_stage_id      uuid    NOT NULL REFERENCES lifecycle_stages (id),
    to_stage_id        uuid    NOT NULL REFERENCES lifecycle_stages (id),
    requires_approval  boolean NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    version            integer NOT NULL,
    CHECK (from_stage_id <> to_stage_id)
);
CREATE UNIQUE INDEX ux_stage_transition_rules_pair ON stage_transition_rules (from_stage_id, to_stage_id);

-- One row per customer, keyed by the customer: a trigger places every new customer, whatever path
-- created it (API, import, lead conversion, seeding), so no customer is ever without a stage.
CREATE TABLE customer_lifecycles (
    customer_id          uuid    NOT NULL PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    current_stage_id     uuid    NOT NULL REFERENCES lifecycle_stages (id),
    entered_stage_at     timestamptz NOT NULL,
    previous_stage_id    uuid        NULL REFERENCES lifecycle_stages (id),
    first_purchase_date  date        NULL,
    last_purchase_date   date        NULL,
    total_revenue        numeric(15, 2) NOT NULL DEFAULT 0,
    purchase_count       integer NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              integer NOT NULL
);
CREATE INDEX ix_customer_lifecycles_stage ON customer_lifecycles (current_stage_id, entered_stage_at);

-- AC-1 of LifecycleHistory: no update and no delete, whoever asks.
CREATE TABLE lifecycle_history (
    id              uuid    NOT NULL PRIMARY KEY,
    customer_id     uuid    NOT NULL REFERENCES customers (id),
    from_stage_id   uuid        NULL REFERENCES lifecycle_stages (id),
    to_stage_id     uuid    NOT NULL REFERENCES lifecycle_stages (id),
    changed_at      timestamptz NOT NULL,
    changed_by      uuid        NULL REFERENCES users (id),
    approved_by     uuid        NULL REFERENCES users (id),
    reason          varchar(500) NULL,
    trigger         text    NOT NULL CHECK (trigger IN ('manual', 'rule', 'api', 'system')),
    rule_name       varchar(100) NULL,
    is_override     boolean NOT NULL
);
CREATE INDEX ix_lifecycle_history_customer ON lifecycle_history (customer_id, changed_at DESC);
CREATE FUNCTION lifecycle_history_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'lifecycle history is immutable';
END $$;
CREATE TRIGGER lifecycle_history_immutable BEFORE UPDATE OR DELETE ON lifecycle_history
    FOR EACH ROW EXECUTE FUNCTION lifecycle_history_immutable();
-- TRUNCATE skips row triggers; refuse it as well.
CREATE TRIGGER lifecycle_history_not_truncated BEFORE TRUNCATE ON lifecycle_history
    FOR EACH STATEMENT EXECUTE FUNCTION lifecycle_history_immutable();

-- WF-LC-001 step 3: a move whose rule requires approval waits here for a manager.
CREATE TABLE stage_change_requests (
    id              uuid    NOT NULL PRIMARY KEY,
    customer_id     uuid    NOT NULL REFERENCES customers (id),
    from_stage_id   uuid    NOT NULL REFERENCES lifecycle_stages (id),
    to_stage_id     uuid    NOT NULL REFERENCES lifecycle_stages (id),
    reason          varchar(500) NULL,
    trigger         text    NOT NULL CHECK (trigger IN ('manual', 'rule', 'api', 'system')),
    status          text    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    requested_by    uuid        NULL REFERENCES users (id),
    decided_by      uuid        NULL REFERENCES users (id),
    decided_at      timestamptz     NULL,
    decision_note   varchar(500) NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         integer NOT NULL
);
CREATE UNIQUE INDEX ux_stage_change_requests_pending ON stage_change_requests (customer_id) WHERE status = 'pending';
CREATE INDEX ix_stage_change_requests_status ON stage_change_requests (status, created_at);

-- Spec 002's seven default stages and spec 004's Advocacy, each in one of spec 000's four phases.
INSERT INTO lifecycle_stages (id, name, code, display_order, category, phase, color, description, is_active, created_at, updated_at, version) VALUES
    ('01900000-0000-7000-8000-000000000101', 'Lead', 'lead', 1, 'pre_customer', 'capture', '#94a3b8', 'Has shown interest; not yet qualified.', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000102', 'Prospect', 'prospect', 2, 'pre_customer', 'connect', '#60a5fa', 'Qualified, in conversation.', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000103', 'Opportunity', 'opportunity', 3, 'pre_customer', 'convert', '#a78bfa', 'A deal is open.', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000104', 'Customer', 'customer', 4, 'customer', 'retain', '#22c55e', 'Has bought.', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000105', 'At Risk', 'at_risk', 5, 'customer', 'retain', '#f59e0b', 'A customer whose health has fallen.', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000106', 'Churned', 'churned', 6, 'post_customer', 'retain', '#ef4444', 'No longer buying.', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000107', 'Won Back', 'won_back', 7, 'customer', 'retain', '#14b8a6', 'Bought again after churning.', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000108', 'Advocacy', 'advocacy', 8, 'customer', 'retain', '#0ea5e9', 'A loyal customer who refers others.', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);

-- WF-LC-001's table, with Advocacy's edges added.
INSERT INTO stage_transition_rules (id, from_stage_id, to_stage_id, requires_approval, created_at, updated_at, version) VALUES
    ('01900000-0000-7000-8000-000000000201', '01900000-0000-7000-8000-000000000101', '01900000-0000-7000-8000-000000000102', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000202', '01900000-0000-7000-8000-000000000101', '01900000-0000-7000-8000-000000000106', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000203', '01900000-0000-7000-8000-000000000102', '01900000-0000-7000-8000-000000000103', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000204', '01900000-0000-7000-8000-000000000102', '01900000-0000-7000-8000-000000000101', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000205', '01900000-0000-7000-8000-000000000102', '01900000-0000-7000-8000-000000000106', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000206', '01900000-0000-7000-8000-000000000103', '01900000-0000-7000-8000-000000000104', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000207', '01900000-0000-7000-8000-000000000103', '01900000-0000-7000-8000-000000000102', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000208', '01900000-0000-7000-8000-000000000103', '01900000-0000-7000-8000-000000000106', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000209', '01900000-0000-7000-8000-000000000104', '01900000-0000-7000-8000-000000000105', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000210', '01900000-0000-7000-8000-000000000104', '01900000-0000-7000-8000-000000000106', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000211', '01900000-0000-7000-8000-000000000104', '01900000-0000-7000-8000-000000000108', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000212', '01900000-0000-7000-8000-000000000105', '01900000-0000-7000-8000-000000000104', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000213', '01900000-0000-7000-8000-000000000105', '01900000-0000-7000-8000-000000000106', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000214', '01900000-0000-7000-8000-000000000106', '01900000-0000-7000-8000-000000000107', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000215', '01900000-0000-7000-8000-000000000107', '01900000-0000-7000-8000-000000000104', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000216', '01900000-0000-7000-8000-000000000107', '01900000-0000-7000-8000-000000000106', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000217', '01900000-0000-7000-8000-000000000107', '01900000-0000-7000-8000-000000000108', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000218', '01900000-0000-7000-8000-000000000108', '01900000-0000-7000-8000-000000000104', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000219', '01900000-0000-7000-8000-000000000108', '01900000-0000-7000-8000-000000000105', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),
    ('01900000-0000-7000-8000-000000000220', '01900000-0000-7000-8000-000000000108', '01900000-0000-7000-8000-000000000106', false, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);

-- Where a customer starts: its status was the only lifecycle Aida had. A prospect is a Prospect, a
-- churned customer is Churned; active and inactive customers are Customers (inactivity is for the
-- health rules to judge, not for this mapping to guess).
CREATE FUNCTION customers_lifecycle_placed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_lifecycles (customer_id, current_stage_id, entered_stage_at, created_at, updated_at, version)
    VALUES (new.id,
            CASE new.status WHEN 'prospect' THEN '01900000-0000-7000-8000-000000000102'::uuid
                            WHEN 'churned' THEN '01900000-0000-7000-8000-000000000106'::uuid
                            ELSE '01900000-0000-7000-8000-000000000104'::uuid END,
            new.created_at, new.created_at, new.created_at, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER customers_lifecycle_placed AFTER INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_lifecycle_placed();

INSERT INTO customer_lifecycles (customer_id, current_stage_id, entered_stage_at, created_at, updated_at, version)
SELECT id,
       CASE status WHEN 'prospect' THEN '01900000-0000-7000-8000-000000000102'::uuid
                   WHEN 'churned' THEN '01900000-0000-7000-8000-000000000106'::uuid
                   ELSE '01900000-0000-7000-8000-000000000104'::uuid END,
       created_at, created_at, created_at, 1
FROM customers;
