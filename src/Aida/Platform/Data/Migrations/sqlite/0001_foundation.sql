-- Aida foundation schema for SQLite: users, customer management (spec 002), audit log, outbox.
-- Conventions: uuids are lower-case text; times are UTC microseconds since the Unix epoch (INTEGER);
-- enums are their spec spellings (TEXT with CHECK); booleans are 0/1; soft delete via deleted_at.
-- Unique rules exclude soft-deleted rows, so a deleted record does not block a new one.

CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ux_users_email ON users (email);

-- The built-in actor for work no person started (migrations, seeding, jobs).
INSERT INTO users (id, email, display_name, is_active, created_at, updated_at, version)
VALUES ('00000000-0000-7000-8000-000000000001', 'system@aida.invalid', 'System', 1, 0, 0, 1);

CREATE TABLE customers (
    id             TEXT    NOT NULL PRIMARY KEY,
    type           TEXT    NOT NULL CHECK (type IN ('individual', 'organization')),
    display_name   TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    status         TEXT    NOT NULL DEFAULT 'prospect' CHECK (status IN ('active', 'inactive', 'prospect', 'churned')),
    source         TEXT        NULL CHECK (source IN ('web', 'referral', 'sales', 'import', 'api')),
    external_id    TEXT        NULL CHECK (length(external_id) <= 200),
    owner_id       TEXT        NULL REFERENCES users (id),
    parent_id      TEXT        NULL REFERENCES customers (id),
    created_by     TEXT    NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    deleted_at     INTEGER     NULL,
    search_name    TEXT    NOT NULL,
    name_key       TEXT    NOT NULL,
    name_phonetic  TEXT    NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
-- Spec 002's btree on display_name is built on its normalised form (search_name below), which is what
-- name search and name sorting read; an index on the raw text would only cost writes.
CREATE UNIQUE INDEX ux_customers_external_id ON customers (external_id) WHERE external_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX ix_customers_owner_status ON customers (owner_id, status);
CREATE INDEX ix_customers_created_at ON customers (created_at, id);
CREATE INDEX ix_customers_updated_at ON customers (updated_at, id);
CREATE INDEX ix_customers_search_name ON customers (search_name, id);
CREATE INDEX ix_customers_name_key ON customers (name_key);
CREATE INDEX ix_customers_name_phonetic ON customers (name_phonetic);
CREATE INDEX ix_customers_parent_id ON customers (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE contacts (
    id                        TEXT    NOT NULL PRIMARY KEY,
    customer_id               TEXT    NOT NULL REFERENCES customers (id),
    first_name                TEXT    NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name                 TEXT    NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    email                     TEXT        NULL CHECK (length(email) <= 254),
    phone                     TEXT        NULL CHECK (length(phone) <= 40),
    job_title                 TEXT        NULL CHECK (length(job_title) <= 100),
    is_primary                INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    status                    TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    communication_preference  TEXT    NOT NULL DEFAULT 'any' CHECK (communication_preference IN ('email', 'phone', 'any')),
    do_not_contact            INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    version                   INTEGER NOT NULL,
    deleted_at                INTEGER     NULL,
    first_name_key            TEXT    NOT NULL,
    last_name_key             TEXT    NOT NULL,
    email_normalized          TEXT        NULL,
    email_domain              TEXT        NULL,
    phone_key                 TEXT        NULL
);
CREATE INDEX ix_contacts_customer_id ON contacts (customer_id);
-- Spec 002's indexes on email and (last_name, first_name) are built on the normalised forms that
-- lookups and name search compare: email_normalized and (last_name_key, first_name_key) below.
CREATE UNIQUE INDEX ux_contacts_one_primary_per_customer ON contacts (customer_id) WHERE is_primary = 1 AND deleted_at IS NULL;
CREATE INDEX ix_contacts_name_keys ON contacts (last_name_key, first_name_key, id);
CREATE INDEX ix_contacts_first_name_key ON contacts (first_name_key, last_name_key, id);
CREATE INDEX ix_contacts_email_normalized ON contacts (email_normalized, id) WHERE email_normalized IS NOT NULL;
CREATE INDEX ix_contacts_email_domain ON contacts (email_domain) WHERE email_domain IS NOT NULL;
CREATE INDEX ix_contacts_phone_key ON contacts (phone_key) WHERE phone_key IS NOT NULL;

CREATE TABLE accounts (
    id              TEXT    NOT NULL PRIMARY KEY,
    customer_id     TEXT    NOT NULL REFERENCES customers (id),
    legal_name      TEXT    NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 300),
    dba_name        TEXT        NULL CHECK (length(dba_name) <= 300),
    tax_id          TEXT        NULL CHECK (length(tax_id) <= 50),
    industry        TEXT        NULL CHECK (length(industry) <= 100),
    employee_count  TEXT        NULL CHECK (employee_count IN ('1-10', '11-50', '51-200', '201-500', '501-1000', '1000+')),
    annual_revenue  TEXT        NULL CHECK (annual_revenue IN ('<100K', '100K-1M', '1M-10M', '10M-100M', '100M+')),
    website         TEXT        NULL CHECK (length(website) <= 500),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    deleted_at      INTEGER     NULL,
    website_domain  TEXT        NULL
);
CREATE UNIQUE INDEX ux_accounts_one_per_customer ON accounts (customer_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_accounts_website_domain ON accounts (website_domain) WHERE website_domain IS NOT NULL;

CREATE TABLE addresses (
    id              TEXT    NOT NULL PRIMARY KEY,
    customer_id     TEXT    NOT NULL REFERENCES customers (id),
    address_type    TEXT    NOT NULL CHECK (address_type IN ('billing', 'shipping', 'service', 'headquarters', 'other')),
    is_default      INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    street_line_1   TEXT    NOT NULL CHECK (length(street_line_1) BETWEEN 1 AND 200),
    street_line_2   TEXT        NULL CHECK (length(street_line_2) <= 200),
    city            TEXT    NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
    state_province  TEXT        NULL CHECK (length(state_province) <= 100),
    postal_code     TEXT        NULL CHECK (length(postal_code) <= 20),
    country         TEXT    NOT NULL CHECK (length(country) = 2 AND country = upper(country)),
    latitude        TEXT        NULL,
    longitude       TEXT        NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    deleted_at      INTEGER     NULL
);
CREATE INDEX ix_addresses_customer_id_address_type ON addresses (customer_id, address_type);
CREATE INDEX ix_addresses_postal_code ON addresses (postal_code);
CREATE UNIQUE INDEX ux_addresses_one_default_per_type ON addresses (customer_id, address_type) WHERE is_default = 1 AND deleted_at IS NULL;

CREATE TABLE relationships (
    id                 TEXT    NOT NULL PRIMARY KEY,
    from_customer_id   TEXT    NOT NULL REFERENCES customers (id),
    to_customer_id     TEXT    NOT NULL REFERENCES customers (id),
    relationship_type  TEXT    NOT NULL CHECK (relationship_type IN ('parent_child', 'partner', 'referral', 'reseller', 'subsidiary')),
    notes              TEXT        NULL CHECK (length(notes) <= 4000),
    start_date         TEXT        NULL,
    end_date           TEXT        NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    version            INTEGER NOT NULL,
    deleted_at         INTEGER     NULL,
    CONSTRAINT ck_relationships_no_self CHECK (from_customer_id <> to_customer_id),
    CONSTRAINT ck_relationships_dates CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)
);
CREATE UNIQUE INDEX ux_relationships_unique ON relationships (from_customer_id, to_customer_id, relationship_type) WHERE deleted_at IS NULL;
CREATE INDEX ix_relationships_to_customer_id ON relationships (to_customer_id);

CREATE TABLE audit_entries (
    id           TEXT    NOT NULL PRIMARY KEY,
    occurred_at  INTEGER NOT NULL,
    actor_id     TEXT    NOT NULL,
    actor_name   TEXT    NOT NULL,
    request_id   TEXT        NULL,
    entity_type  TEXT    NOT NULL,
    entity_id    TEXT    NOT NULL,
    customer_id  TEXT        NULL,
    action       TEXT    NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    changes      TEXT    NOT NULL,
    context      TEXT        NULL
);
CREATE INDEX ix_audit_entries_entity_id ON audit_entries (entity_id, occurred_at);
CREATE INDEX ix_audit_entries_customer ON audit_entries (customer_id, occurred_at) WHERE customer_id IS NOT NULL;
CREATE INDEX ix_audit_entries_occurred_at ON audit_entries (occurred_at, id);

-- The outbox. AUTOINCREMENT: a sequence number is never reused, even after the newest row is gone.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    type         TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    occurred_at  INTEGER NOT NULL,
    actor_id     TEXT    NOT NULL,
    request_id   TEXT        NULL,
    data         TEXT    NOT NULL
);
CREATE INDEX ix_events_type ON events (type, seq);

-- Idempotency-Key on POST: the first successful response, replayed for retries of the same request for a day.
CREATE TABLE idempotency_keys (
    actor_id      TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    status_code   INTEGER NOT NULL,
    location      TEXT        NULL,
    etag          TEXT        NULL,
    body          TEXT        NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (actor_id, key)
);
CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at);
