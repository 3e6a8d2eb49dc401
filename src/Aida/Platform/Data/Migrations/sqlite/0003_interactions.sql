-- Interaction tracking (spec 002): interactions, notes, activities, communications, notifications,
-- and the full-text search index over customers, contacts, interactions and notes.

CREATE TABLE interactions (
    id                TEXT    NOT NULL PRIMARY KEY,
    customer_id       TEXT    NOT NULL REFERENCES customers (id),
    contact_id        TEXT        NULL REFERENCES contacts (id),
    interaction_type  TEXT    NOT NULL CHECK (interaction_type IN ('email', 'call', 'meeting', 'chat', 'sms', 'social', 'in_person', 'other')),
    direction         TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    subject           TEXT        NULL CHECK (length(subject) <= 500),
    description       TEXT        NULL,
    occurred_at       INTEGER NOT NULL,
    duration_minutes  INTEGER     NULL CHECK (duration_minutes BETWEEN 0 AND 10080),
    outcome           TEXT        NULL CHECK (outcome IN ('successful', 'no_answer', 'left_message', 'bounced', 'follow_up_needed', 'completed')),
    sentiment         TEXT        NULL CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    source            TEXT    NOT NULL CHECK (source IN ('manual', 'email_sync', 'phone_integration', 'calendar_sync', 'api')),
    external_id       TEXT        NULL CHECK (length(external_id) <= 200),
    related_type      TEXT        NULL CHECK (related_type IN ('opportunity', 'case', 'work_order', 'lead')),
    related_id        TEXT        NULL,
    activity_id       TEXT        NULL,
    created_by        TEXT    NOT NULL REFERENCES users (id),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    deleted_at        INTEGER     NULL,
    CHECK ((related_type IS NULL) = (related_id IS NULL))
);
CREATE INDEX ix_interactions_customer_occurred ON interactions (customer_id, occurred_at DESC, id DESC);
CREATE INDEX ix_interactions_contact_occurred ON interactions (contact_id, occurred_at DESC) WHERE contact_id IS NOT NULL;
CREATE INDEX ix_interactions_type_occurred ON interactions (interaction_type, occurred_at);
-- A synced interaction is stored once, even after it was deleted: a re-sync must not bring it back.
CREATE UNIQUE INDEX ux_interactions_external_id ON interactions (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX ix_interactions_related ON interactions (related_type, related_id) WHERE related_id IS NOT NULL;

CREATE TABLE notes (
    id            TEXT    NOT NULL PRIMARY KEY,
    customer_id   TEXT    NOT NULL REFERENCES customers (id),
    related_type  TEXT        NULL CHECK (related_type IN ('contact', 'interaction', 'opportunity', 'case', 'lead')),
    related_id    TEXT        NULL,
    title         TEXT        NULL CHECK (length(title) <= 200),
    content       TEXT    NOT NULL CHECK (length(content) BETWEEN 1 AND 100000),
    is_pinned     INTEGER NOT NULL DEFAULT 0 CHECK (is_pinned IN (0, 1)),
    visibility    TEXT    NOT NULL DEFAULT 'team' CHECK (visibility IN ('private', 'team', 'all')),
    pii_review    INTEGER NOT NULL DEFAULT 0 CHECK (pii_review IN (0, 1)),
    pii_kinds     TEXT        NULL,
    created_by    TEXT    NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    deleted_at    INTEGER     NULL,
    CHECK ((related_type IS NULL) = (related_id IS NULL))
);
CREATE INDEX ix_notes_customer_created ON notes (customer_id, created_at DESC, id DESC);
CREATE INDEX ix_notes_related ON notes (related_type, related_id) WHERE related_id IS NOT NULL;

CREATE TABLE activities (
    id                     TEXT    NOT NULL PRIMARY KEY,
    customer_id            TEXT        NULL REFERENCES customers (id),
    contact_id             TEXT        NULL REFERENCES contacts (id),
    activity_type          TEXT    NOT NULL CHECK (activity_type IN ('call', 'email', 'meeting', 'task', 'follow_up', 'demo')),
    subject                TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    description            TEXT        NULL,
    due_date               INTEGER NOT NULL,
    reminder_at            INTEGER     NULL,
    reminder_sent_at       INTEGER     NULL,
    priority               TEXT    NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status                 TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'cancelled')),
    completed_at           INTEGER     NULL,
    assigned_to            TEXT    NOT NULL REFERENCES users (id),
    created_by             TEXT    NOT NULL REFERENCES users (id),
    source_interaction_id  TEXT        NULL REFERENCES interactions (id),
    result_interaction_id  TEXT        NULL REFERENCES interactions (id),
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    version                INTEGER NOT NULL,
    deleted_at             INTEGER     NULL
);
CREATE INDEX ix_activities_assignee_status_due ON activities (assigned_to, status, due_date);
CREATE INDEX ix_activities_customer_due ON activities (customer_id, due_date) WHERE customer_id IS NOT NULL;
CREATE INDEX ix_activities_pending_due ON activities (due_date) WHERE status = 'pending';
CREATE INDEX ix_activities_customer_completed ON activities (customer_id, completed_at DESC) WHERE completed_at IS NOT NULL;
-- What the reminder job scans: reminders not yet sent, on open activities.
CREATE INDEX ix_activities_reminders_due ON activities (reminder_at)
    WHERE reminder_sent_at IS NULL AND reminder_at IS NOT NULL AND status IN ('pending', 'in_progress') AND deleted_at IS NULL;

CREATE TABLE communications (
    id              TEXT    NOT NULL PRIMARY KEY,
    interaction_id  TEXT        NULL REFERENCES interactions (id),
    customer_id     TEXT        NULL REFERENCES customers (id),
    contact_id      TEXT        NULL REFERENCES contacts (id),
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'chat')),
    direction       TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    match_status    TEXT    NOT NULL CHECK (match_status IN ('matched', 'unmatched')),
    from_address    TEXT    NOT NULL CHECK (length(from_address) BETWEEN 1 AND 320),
    to_addresses    TEXT    NOT NULL,
    cc_addresses    TEXT    NOT NULL,
    subject         TEXT        NULL CHECK (length(subject) <= 1000),
    body_text       TEXT        NULL,
    body_html       TEXT        NULL,
    message_id      TEXT        NULL CHECK (length(message_id) <= 998),
    in_reply_to     TEXT        NULL CHECK (length(in_reply_to) <= 998),
    thread_id       TEXT    NOT NULL,
    sent_at         INTEGER NOT NULL,
    opened_at       INTEGER     NULL,
    clicked_at      INTEGER     NULL,
    bounced         INTEGER NOT NULL DEFAULT 0 CHECK (bounced IN (0, 1)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_communications_message_id ON communications (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX ix_communications_thread ON communications (thread_id, sent_at);
CREATE INDEX ix_communications_unmatched ON communications (created_at) WHERE match_status = 'unmatched';
CREATE INDEX ix_communications_interaction ON communications (interaction_id) WHERE interaction_id IS NOT NULL;

-- Every message id a communication names in In-Reply-To or References: how a thread is found again
-- when its messages arrive out of order.
CREATE TABLE communication_references (
    communication_id  TEXT NOT NULL REFERENCES communications (id),
    message_id        TEXT NOT NULL,
    PRIMARY KEY (communication_id, message_id)
);
CREATE INDEX ix_communication_references_message_id ON communication_references (message_id);

CREATE TABLE notifications (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('activity_reminder')),
    title        TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
    link         TEXT        NULL,
    activity_id  TEXT        NULL REFERENCES activities (id),
    created_at   INTEGER NOT NULL,
    read_at      INTEGER     NULL
);
CREATE INDEX ix_notifications_user ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX ix_notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- A hard bounce marks the contact's address as undeliverable (Communication AC-3) until it changes.
ALTER TABLE contacts ADD COLUMN email_bounced_at INTEGER NULL;

-- Events about a record with its own visibility (a note) name it, so the feed shows them only to those who may read it.
ALTER TABLE events ADD COLUMN note_id TEXT NULL;

-- Full-text search (Platform/Search). search_documents holds one row per searchable record, kept
-- current by the triggers below in the transaction of the write, whatever path wrote it (API, import,
-- bulk load). search_fts is an FTS5 index over it (external content: the text is stored once).
-- seq orders documents by when they were first indexed, the cheap signal broad searches sort by.
CREATE TABLE search_documents (
    seq          INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('customer', 'contact', 'interaction', 'note')),
    record_id    TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_search_documents_record ON search_documents (record_id);

-- kind, record_id and customer_id are not indexed, only readable, so one query over search_fts yields
-- what the access rules need without a join (a join would stop FTS5 from streaming matches in seq order).
-- Prefix indexes for 2 to 6 characters: FTS5 streams a prefix query through one, but without one it first
-- gathers the rows of every term with that prefix. Measured at 1,000,000 interactions: "smith"* 35–65 ms
-- each time it is evaluated (a search evaluates its query several times), 0.2 ms with a 5-character
-- index; the index is 60% larger (446 MB against 279 MB) and takes 2.4 times as long to build. Longer
-- prefixes of very common words (a 9-letter word in a quarter of the rows: 35 ms) still gather.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, kind UNINDEXED, record_id UNINDEXED, customer_id UNINDEXED,
    content = 'search_documents', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6');

CREATE TRIGGER search_documents_inserted AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_fts (rowid, title, body, kind, record_id, customer_id)
    VALUES (new.seq, new.title, new.body, new.kind, new.record_id, new.customer_id);
END;
CREATE TRIGGER search_documents_deleted AFTER DELETE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, kind, record_id, customer_id)
    VALUES ('delete', old.seq, old.title, old.body, old.kind, old.record_id, old.customer_id);
END;
CREATE TRIGGER search_documents_updated AFTER UPDATE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, kind, record_id, customer_id)
    VALUES ('delete', old.seq, old.title, old.body, old.kind, old.record_id, old.customer_id);
    INSERT INTO search_fts (rowid, title, body, kind, record_id, customer_id)
    VALUES (new.seq, new.title, new.body, new.kind, new.record_id, new.customer_id);
END;

-- Customers: the name and the external id.
CREATE TRIGGER customers_search_inserted AFTER INSERT ON customers WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_documents (kind, record_id, customer_id, title, body)
    VALUES ('customer', new.id, new.id, new.display_name, coalesce(new.external_id, ''));
END;
CREATE TRIGGER customers_search_updated AFTER UPDATE OF display_name, external_id, deleted_at ON customers BEGIN
    DELETE FROM search_documents WHERE record_id = new.id AND new.deleted_at IS NOT NULL;
    INSERT INTO search_documents (kind, record_id, customer_id, title, body)
    SELECT 'customer', new.id, new.id, new.display_name, coalesce(new.external_id, '') WHERE new.deleted_at IS NULL
    ON CONFLICT (record_id) DO UPDATE SET title = excluded.title, body = excluded.body;
END;
CREATE TRIGGER customers_search_removed AFTER DELETE ON customers BEGIN
    DELETE FROM search_documents WHERE record_id = old.id;
END;

-- Contacts: the name, then email and job title.
CREATE TRIGGER contacts_search_inserted AFTER INSERT ON contacts WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_documents (kind, record_id, customer_id, title, body)
    VALUES ('contact', new.id, new.customer_id, new.first_name || ' ' || new.last_name,
            trim(coalesce(new.email, '') || ' ' || coalesce(new.job_title, '')));
END;
CREATE TRIGGER contacts_search_updated AFTER UPDATE OF first_name, last_name, email, job_title, customer_id, deleted_at ON contacts BEGIN
    DELETE FROM search_documents WHERE record_id = new.id AND new.deleted_at IS NOT NULL;
    INSERT INTO search_documents (kind, record_id, customer_id, title, body)
    SELECT 'contact', new.id, new.customer_id, new.first_name || ' ' || new.last_name,
           trim(coalesce(new.email, '') || ' ' || coalesce(new.job_title, '')) WHERE new.deleted_at IS NULL
    ON CONFLICT (record_id) DO UPDATE SET customer_id = excluded.customer_id, title = excluded.title, body = excluded.body;
END;
CREATE TRIGGER contacts_search_removed AFTER DELETE ON contacts BEGIN
    DELETE FROM search_documents WHERE record_id = old.id;
END;

-- Interactions: subject and description (AC-3).
CREATE TRIGGER interactions_search_inserted AFTER INSERT ON interactions WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_documents (kind, record_id, customer_id, title, body)
    VALUES ('interaction', new.id, new.customer_id, coalesce(new.subject, ''), coalesce(new.description, ''));
END;
CREATE TRIGGER interactions_search_updated AFTER UPDATE OF subject, description, customer_id, deleted_at ON interactions BEGIN
    DELETE FROM search_documents WHERE record_id = new.id AND new.deleted_at IS NOT NULL;
    INSERT INTO search_documents (kind, record_id, customer_id, title, body)
    SELECT 'interaction', new.id, new.customer_id, coalesce(new.subject, ''), coalesce(new.description, '') WHERE new.deleted_at IS NULL
    ON CONFLICT (record_id) DO UPDATE SET customer_id = excluded.customer_id, title = excluded.title, body = excluded.body;
END;
CREATE TRIGGER interactions_search_removed AFTER DELETE ON interactions BEGIN
    DELETE FROM search_documents WHERE record_id = old.id;
END;

-- Notes: title and content (AC-1). Who may read a note is decided at query time (NoteAccess).
CREATE TRIGGER notes_search_inserted AFTER INSERT ON notes WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_documents (kind, record_id, customer_id, title, body)
    VALUES ('note', new.id, new.customer_id, coalesce(new.title, ''), new.content);
END;
CREATE TRIGGER notes_search_updated AFTER UPDATE OF title, content, customer_id, deleted_at ON notes BEGIN
    DELETE FROM search_documents WHERE record_id = new.id AND new.deleted_at IS NOT NULL;
    INSERT INTO search_documents (kind, record_id, customer_id, title, body)
    SELECT 'note', new.id, new.customer_id, coalesce(new.title, ''), new.content WHERE new.deleted_at IS NULL
    ON CONFLICT (record_id) DO UPDATE SET customer_id = excluded.customer_id, title = excluded.title, body = excluded.body;
END;
CREATE TRIGGER notes_search_removed AFTER DELETE ON notes BEGIN
    DELETE FROM search_documents WHERE record_id = old.id;
END;

-- Customers and contacts that existed before this migration.
INSERT INTO search_documents (kind, record_id, customer_id, title, body)
SELECT 'customer', id, id, display_name, coalesce(external_id, '') FROM customers WHERE deleted_at IS NULL;
INSERT INTO search_documents (kind, record_id, customer_id, title, body)
SELECT 'contact', id, customer_id, first_name || ' ' || last_name, trim(coalesce(email, '') || ' ' || coalesce(job_title, ''))
FROM contacts WHERE deleted_at IS NULL;
