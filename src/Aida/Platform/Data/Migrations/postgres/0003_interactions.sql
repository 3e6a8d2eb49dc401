-- Interaction tracking (spec 002): interactions, notes, activities, communications, notifications,
-- and the full-text search index over customers, contacts, interactions and notes.

CREATE TABLE interactions (
    id                uuid         NOT NULL PRIMARY KEY,
    customer_id       uuid    NOT NULL REFERENCES customers (id),
    contact_id        uuid        NULL REFERENCES contacts (id),
    interaction_type  text    NOT NULL CHECK (interaction_type IN ('email', 'call', 'meeting', 'chat', 'sms', 'social', 'in_person', 'other')),
    direction         text    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    subject           varchar(500)        NULL,
    description       text        NULL,
    occurred_at       timestamptz NOT NULL,
    duration_minutes  integer     NULL CHECK (duration_minutes BETWEEN 0 AND 10080),
    outcome           text        NULL CHECK (outcome IN ('successful', 'no_answer', 'left_message', 'bounced', 'follow_up_needed', 'completed')),
    sentiment         text        NULL CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    source            text    NOT NULL CHECK (source IN ('manual', 'email_sync', 'phone_integration', 'calendar_sync', 'api')),
    external_id       varchar(200)        NULL,
    related_type      text        NULL CHECK (related_type IN ('opportunity', 'case', 'work_order', 'lead')),
    related_id        uuid        NULL,
    activity_id       uuid        NULL,
    created_by        uuid    NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           integer NOT NULL,
    deleted_at        timestamptz     NULL,
    CHECK ((related_type IS NULL) = (related_id IS NULL))
);
CREATE INDEX ix_interactions_customer_occurred ON interactions (customer_id, occurred_at DESC, id DESC);
CREATE INDEX ix_interactions_contact_occurred ON interactions (contact_id, occurred_at DESC) WHERE contact_id IS NOT NULL;
CREATE INDEX ix_interactions_type_occurred ON interactions (interaction_type, occurred_at);
-- A synced interaction is stored once, even after it was deleted: a re-sync must not bring it back.
CREATE UNIQUE INDEX ux_interactions_external_id ON interactions (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX ix_interactions_related ON interactions (related_type, related_id) WHERE related_id IS NOT NULL;

CREATE TABLE notes (
    id            uuid         NOT NULL PRIMARY KEY,
    customer_id   uuid    NOT NULL REFERENCES customers (id),
    related_type  text        NULL CHECK (related_type IN ('contact', 'interaction', 'opportunity', 'case', 'lead')),
    related_id    uuid        NULL,
    title         varchar(200)        NULL,
    content       text    NOT NULL CHECK (length(content) BETWEEN 1 AND 100000),
    is_pinned     boolean      NOT NULL DEFAULT false,
    visibility    text    NOT NULL DEFAULT 'team' CHECK (visibility IN ('private', 'team', 'all')),
    pii_review    boolean      NOT NULL DEFAULT false,
    pii_kinds     text        NULL,
    created_by    uuid    NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       integer NOT NULL,
    deleted_at    timestamptz     NULL,
    CHECK ((related_type IS NULL) = (related_id IS NULL))
);
CREATE INDEX ix_notes_customer_created ON notes (customer_id, created_at DESC, id DESC);
CREATE INDEX ix_notes_related ON notes (related_type, related_id) WHERE related_id IS NOT NULL;

CREATE TABLE activities (
    id                     uuid         NOT NULL PRIMARY KEY,
    customer_id            uuid        NULL REFERENCES customers (id),
    contact_id             uuid        NULL REFERENCES contacts (id),
    activity_type          text    NOT NULL CHECK (activity_type IN ('call', 'email', 'meeting', 'task', 'follow_up', 'demo')),
    subject                varchar(300)    NOT NULL,
    description            text        NULL,
    due_date               timestamptz NOT NULL,
    reminder_at            timestamptz     NULL,
    reminder_sent_at       timestamptz     NULL,
    priority               text    NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status                 text    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'cancelled')),
    completed_at           timestamptz     NULL,
    assigned_to            uuid    NOT NULL REFERENCES users (id),
    created_by             uuid    NOT NULL REFERENCES users (id),
    source_interaction_id  uuid        NULL REFERENCES interactions (id),
    result_interaction_id  uuid        NULL REFERENCES interactions (id),
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    version                integer NOT NULL,
    deleted_at             timestamptz     NULL
);
CREATE INDEX ix_activities_assignee_status_due ON activities (assigned_to, status, due_date);
CREATE INDEX ix_activities_customer_due ON activities (customer_id, due_date) WHERE customer_id IS NOT NULL;
CREATE INDEX ix_activities_pending_due ON activities (due_date) WHERE status = 'pending';
CREATE INDEX ix_activities_customer_completed ON activities (customer_id, completed_at DESC) WHERE completed_at IS NOT NULL;
-- What the reminder job scans: reminders not yet sent, on open activities.
CREATE INDEX ix_activities_reminders_due ON activities (reminder_at)
    WHERE reminder_sent_at IS NULL AND reminder_at IS NOT NULL AND status IN ('pending', 'in_progress') AND deleted_at IS NULL;

CREATE TABLE communications (
    id              uuid         NOT NULL PRIMARY KEY,
    interaction_id  uuid        NULL REFERENCES interactions (id),
    customer_id     uuid        NULL REFERENCES customers (id),
    contact_id      uuid        NULL REFERENCES contacts (id),
    channel         text    NOT NULL CHECK (channel IN ('email', 'sms', 'chat')),
    direction       text    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    match_status    text    NOT NULL CHECK (match_status IN ('matched', 'unmatched')),
    from_address    varchar(320)    NOT NULL,
    to_addresses    text    NOT NULL,
    cc_addresses    text    NOT NULL,
    subject         varchar(1000)        NULL,
    body_text       text        NULL,
    body_html       text        NULL,
    message_id      varchar(998)        NULL,
    in_reply_to     varchar(998)        NULL,
    thread_id       text    NOT NULL,
    sent_at         timestamptz NOT NULL,
    opened_at       timestamptz     NULL,
    clicked_at      timestamptz     NULL,
    bounced         boolean      NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         integer NOT NULL
);
CREATE UNIQUE INDEX ux_communications_message_id ON communications (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX ix_communications_thread ON communications (thread_id, sent_at);
CREATE INDEX ix_communications_unmatched ON communications (created_at) WHERE match_status = 'unmatched';
CREATE INDEX ix_communications_interaction ON communications (interaction_id) WHERE interaction_id IS NOT NULL;

-- Every message id a communication names in In-Reply-To or References: how a thread is found again
-- when its messages arrive out of order.
CREATE TABLE communication_references (
    communication_id  uuid NOT NULL REFERENCES communications (id),
    message_id        text NOT NULL,
    PRIMARY KEY (communication_id, message_id)
);
CREATE INDEX ix_communication_references_message_id ON communication_references (message_id);

CREATE TABLE notifications (
    id           uuid         NOT NULL PRIMARY KEY,
    user_id      uuid    NOT NULL REFERENCES users (id),
    kind         text    NOT NULL CHECK (kind IN ('activity_reminder')),
    title        varchar(400)    NOT NULL,
    link         text        NULL,
    activity_id  uuid        NULL REFERENCES activities (id),
    created_at   timestamptz NOT NULL,
    read_at      timestamptz     NULL
);
CREATE INDEX ix_notifications_user ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX ix_notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- A hard bounce marks the contact's address as undeliverable (Communication AC-3) until it changes.
ALTER TABLE contacts ADD COLUMN email_bounced_at timestamptz NULL;

-- Events about a record with its own visibility (a note) name it, so the feed shows them only to those who may read it.
ALTER TABLE events ADD COLUMN note_id uuid NULL;


-- Full-text search (Platform/Search). search_documents holds one row per searchable record, kept
-- current by the triggers below in the transaction of the write, whatever path wrote it (API, import,
-- binary COPY). document is the weighted tsvector (title A, body B) the GIN index serves; the 'simple'
-- configuration neither stems nor drops stop words, like SQLite's unicode61 tokenizer.
-- seq orders documents by when they were first indexed, the cheap signal broad searches sort by.
CREATE TABLE search_documents (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('customer', 'contact', 'interaction', 'note')),
    record_id    uuid NOT NULL,
    customer_id  uuid NOT NULL,
    title        text NOT NULL,
    body         text NOT NULL,
    document     tsvector NOT NULL GENERATED ALWAYS AS (
                     setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')) STORED
);
CREATE UNIQUE INDEX ux_search_documents_record ON search_documents (record_id);
CREATE INDEX ix_search_documents_document ON search_documents USING gin (document);

CREATE FUNCTION search_index(p_kind text, p_record uuid, p_customer uuid, p_title text, p_body text, p_live boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_live THEN
        INSERT INTO search_documents (kind, record_id, customer_id, title, body)
        VALUES (p_kind, p_record, p_customer, p_title, p_body)
        ON CONFLICT (record_id) DO UPDATE SET customer_id = excluded.customer_id, title = excluded.title, body = excluded.body
        WHERE (search_documents.customer_id, search_documents.title, search_documents.body)
              IS DISTINCT FROM (excluded.customer_id, excluded.title, excluded.body);
    ELSE
        DELETE FROM search_documents WHERE record_id = p_record;
    END IF;
END $$;

CREATE FUNCTION customers_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_documents WHERE record_id = old.id;
        RETURN old;
    END IF;
    PERFORM search_index('customer', new.id, new.id, new.display_name, coalesce(new.external_id, ''), new.deleted_at IS NULL);
    RETURN new;
END $$;
CREATE TRIGGER customers_search AFTER INSERT OR DELETE OR UPDATE OF display_name, external_id, deleted_at ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_search();

CREATE FUNCTION contacts_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_documents WHERE record_id = old.id;
        RETURN old;
    END IF;
    PERFORM search_index('contact', new.id, new.customer_id, new.first_name || ' ' || new.last_name,
                         trim(coalesce(new.email, '') || ' ' || coalesce(new.job_title, '')), new.deleted_at IS NULL);
    RETURN new;
END $$;
CREATE TRIGGER contacts_search AFTER INSERT OR DELETE OR UPDATE OF first_name, last_name, email, job_title, customer_id, deleted_at ON contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_search();

CREATE FUNCTION interactions_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_documents WHERE record_id = old.id;
        RETURN old;
    END IF;
    PERFORM search_index('interaction', new.id, new.customer_id, coalesce(new.subject, ''), coalesce(new.description, ''), new.deleted_at IS NULL);
    RETURN new;
END $$;
CREATE TRIGGER interactions_search AFTER INSERT OR DELETE OR UPDATE OF subject, description, customer_id, deleted_at ON interactions
    FOR EACH ROW EXECUTE FUNCTION interactions_search();

CREATE FUNCTION notes_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_documents WHERE record_id = old.id;
        RETURN old;
    END IF;
    PERFORM search_index('note', new.id, new.customer_id, coalesce(new.title, ''), new.content, new.deleted_at IS NULL);
    RETURN new;
END $$;
CREATE TRIGGER notes_search AFTER INSERT OR DELETE OR UPDATE OF title, content, customer_id, deleted_at ON notes
    FOR EACH ROW EXECUTE FUNCTION notes_search();

-- Customers and contacts that existed before this migration.
INSERT INTO search_documents (kind, record_id, customer_id, title, body)
SELECT 'customer', id, id, display_name, coalesce(external_id, '') FROM customers WHERE deleted_at IS NULL;
INSERT INTO search_documents (kind, record_id, customer_id, title, body)
SELECT 'contact', id, customer_id, first_name || ' ' || last_name, trim(coalesce(email, '') || ' ' || coalesce(job_title, ''))
FROM contacts WHERE deleted_at IS NULL;
