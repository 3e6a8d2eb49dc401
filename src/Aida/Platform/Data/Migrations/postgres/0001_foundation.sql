-- Aida foundation schema for PostgreSQL 15+: users, customer management (spec 002), audit log, outbox.
-- Enums are their spec spellings (text with CHECK) so both providers share one vocabulary.
-- Unique rules exclude soft-deleted rows, so a deleted record does not block a new one.
-- search_name, the name keys and email_normalized use the "C" collation: prefix ranges and sort order are then byte-wise, as on SQLite,
-- and a prefix search is an index range scan whatever the database's default collation is.

CREATE TABLE users (
    id            uuid         NOT NULL PRIMARY KEY,
    email         varchar(254) NOT NULL,
    display_name  varchar(200) NOT NULL,
    is_active     boolean      NOT NULL DEFAULT true,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    version       integer      NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ux_users_email ON users (email);

INSERT INTO users (id, email, display_name, is_active, created_at, updated_at, version)
VALUES ('00000000-0000-7000-8000-000000000001', 'system@aida.invalid', 'System', true, 'epoch', 'epoch', 1);

CREATE TABLE customers (
    id             uuid         NOT NULL PRIMARY KEY,
    type           text         NOT NULL CHECK (type IN ('individual', 'organization')),
    display_name   varchar(200) NOT NULL CHECK (length(display_name) >= 1),
    status         text         NOT NULL DEFAULT 'prospect' CHECK (status IN ('active', 'inactive', 'prospect', 'churned')),
    source         text             NULL CHECK (source IN ('web', 'referral', 'sales', 'import', 'api')),
    external_id    varchar(200)     NULL,
    owner_id       uuid             NULL REFERENCES users (id),
    parent_id      uuid             NULL REFERENCES customers (id),
    created_by     uuid         NOT NULL REFERENCES users (id),
    created_at     timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL,
    version        integer      NOT NULL,
    deleted_at     timestamptz      NULL,
    search_name    text COLLATE "C" NOT NULL,
    name_key       text         NOT NULL,
    name_phonetic  text         NOT NULL,
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
    id                        uuid         NOT NULL PRIMARY KEY,
    customer_id               uuid         NOT NULL REFERENCES customers (id),
    first_name                varchar(100) NOT NULL CHECK (length(first_name) >= 1),
    last_name                 varchar(100) NOT NULL CHECK (length(last_name) >= 1),
    email                     varchar(254)     NULL,
    phone                     varchar(40)      NULL,
    job_title                 varchar(100)     NULL,
    is_primary                boolean      NOT NULL DEFAULT false,
    status                    text         NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    communication_preference  text         NOT NULL DEFAULT 'any' CHECK (communication_preference IN ('email', 'phone', 'any')),
    do_not_contact            boolean      NOT NULL DEFAULT false,
    created_at                timestamptz  NOT NULL,
    updated_at                timestamptz  NOT NULL,
    version                   integer      NOT NULL,
    deleted_at                timestamptz      NULL,
    first_name_key            text COLLATE "C" NOT NULL,
    last_name_key             text COLLATE "C" NOT NULL,
    email_normalized          text COLLATE "C" NULL,
    email_domain              text             NULL,
    phone_key                 text             NULL
);
CREATE INDEX ix_contacts_customer_id ON contacts (customer_id);
-- Spec 002's indexes on email and (last_name, first_name) are built on the normalised forms that
-- lookups and name search compare: email_normalized and (last_name_key, first_name_key) below.
CREATE UNIQUE INDEX ux_contacts_one_primary_per_customer ON contacts (customer_id) WHERE is_primary AND deleted_at IS NULL;
CREATE INDEX ix_contacts_name_keys ON contacts (last_name_key, first_name_key, id);
CREATE INDEX ix_contacts_first_name_key ON contacts (first_name_key, last_name_key, id);
CREATE INDEX ix_contacts_email_normalized ON contacts (email_normalized, id) WHERE email_normalized IS NOT NULL;
CREATE INDEX ix_contacts_email_domain ON contacts (email_domain) WHERE email_domain IS NOT NULL;
CREATE INDEX ix_contacts_phone_key ON contacts (phone_key) WHERE phone_key IS NOT NULL;

CREATE TABLE accounts (
    id              uuid         NOT NULL PRIMARY KEY,
    customer_id     uuid         NOT NULL REFERENCES customers (id),
    legal_name      varchar(300) NOT NULL CHECK (length(legal_name) >= 1),
    dba_name        varchar(300)     NULL,
    tax_id          varchar(50)      NULL,
    industry        varchar(100)     NULL,
    employee_count  text             NULL CHECK (employee_count IN ('1-10', '11-50', '51-200', '201-500', '501-1000', '1000+')),
    annual_revenue  text             NULL CHECK (annual_revenue IN ('<100K', '100K-1M', '1M-10M', '10M-100M', '100M+')),
    website         varchar(500)     NULL,
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL,
    version         integer      NOT NULL,
    deleted_at      timestamptz      NULL,
    website_domain  text             NULL
);
CREATE UNIQUE INDEX ux_accounts_one_per_customer ON accounts (customer_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_accounts_website_domain ON accounts (website_domain) WHERE website_domain IS NOT NULL;

CREATE TABLE addresses (
    id              uuid          NOT NULL PRIMARY KEY,
    customer_id     uuid          NOT NULL REFERENCES customers (id),
    address_type    text          NOT NULL CHECK (address_type IN ('billing', 'shipping', 'service', 'headquarters', 'other')),
    is_default      boolean       NOT NULL DEFAULT false,
    street_line_1   varchar(200)  NOT NULL CHECK (length(street_line_1) >= 1),
    street_line_2   varchar(200)      NULL,
    city            varchar(100)  NOT NULL CHECK (length(city) >= 1),
    state_province  varchar(100)      NULL,
    postal_code     varchar(20)       NULL,
    country         char(2)       NOT NULL CHECK (country = upper(country)),
    latitude        numeric(9, 6)     NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude       numeric(9, 6)     NULL CHECK (longitude BETWEEN -180 AND 180),
    created_at      timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL,
    version         integer       NOT NULL,
    deleted_at      timestamptz       NULL
);
CREATE INDEX ix_addresses_customer_id_address_type ON addresses (customer_id, address_type);
CREATE INDEX ix_addresses_postal_code ON addresses (postal_code);
CREATE UNIQUE INDEX ux_addresses_one_default_per_type ON addresses (customer_id, address_type) WHERE is_default AND deleted_at IS NULL;

CREATE TABLE relationships (
    id                 uuid           NOT NULL PRIMARY KEY,
    from_customer_id   uuid           NOT NULL REFERENCES customers (id),
    to_customer_id     uuid           NOT NULL REFERENCES customers (id),
    relationship_type  text           NOT NULL CHECK (relationship_type IN ('parent_child', 'partner', 'referral', 'reseller', 'subsidiary')),
    notes              varchar(4000)      NULL,
    start_date         date               NULL,
    end_date           date               NULL,
    created_at         timestamptz    NOT NULL,
    updated_at         timestamptz    NOT NULL,
    version            integer        NOT NULL,
    deleted_at         timestamptz        NULL,
    CONSTRAINT ck_relationships_no_self CHECK (from_customer_id <> to_customer_id),
    CONSTRAINT ck_relationships_dates CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)
);
CREATE UNIQUE INDEX ux_relationships_unique ON relationships (from_customer_id, to_customer_id, relationship_type) WHERE deleted_at IS NULL;
CREATE INDEX ix_relationships_to_customer_id ON relationships (to_customer_id);

CREATE TABLE audit_entries (
    id           uuid          NOT NULL PRIMARY KEY,
    occurred_at  timestamptz   NOT NULL,
    actor_id     uuid          NOT NULL,
    actor_name   varchar(200)  NOT NULL,
    request_id   varchar(128)      NULL,
    entity_type  varchar(50)   NOT NULL,
    entity_id    uuid          NOT NULL,
    customer_id  uuid              NULL,
    action       text          NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    changes      jsonb         NOT NULL,
    context      jsonb             NULL
);
CREATE INDEX ix_audit_entries_entity_id ON audit_entries (entity_id, occurred_at);
CREATE INDEX ix_audit_entries_customer ON audit_entries (customer_id, occurred_at) WHERE customer_id IS NOT NULL;
CREATE INDEX ix_audit_entries_occurred_at ON audit_entries (occurred_at, id);

-- The outbox. Sequence numbers are handed out before commit, so readers order by the writing
-- transaction's id as well (see EventFeed): tx_id defaults to the current transaction's xid8.
CREATE TABLE events (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx_id        xid8          NOT NULL DEFAULT pg_current_xact_id(),
    id           uuid          NOT NULL UNIQUE,
    type         varchar(100)  NOT NULL,
    subject      varchar(200)  NOT NULL,
    occurred_at  timestamptz   NOT NULL,
    actor_id     uuid          NOT NULL,
    request_id   varchar(128)      NULL,
    data         jsonb         NOT NULL
);
CREATE INDEX ix_events_tx_id_seq ON events (tx_id, seq);
CREATE INDEX ix_events_type ON events (type, seq);

-- Idempotency-Key on POST: the first successful response, replayed for retries of the same request for a day.
CREATE TABLE idempotency_keys (
    actor_id      uuid         NOT NULL,
    key           varchar(200) NOT NULL,
    request_hash  text         NOT NULL,
    status_code   integer      NOT NULL,
    location      text             NULL,
    etag          text             NULL,
    body          jsonb            NULL,
    created_at    timestamptz  NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (actor_id, key)
);
CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at);
