-- Email out (issue 19 item 4): an outbound message is a communication with a delivery state. The queue is the
-- communications whose delivery_status is 'queued'; a row is committed 'sending' (with its Message-ID) before
-- Aida talks to the SMTP server and 'sent' after the server accepted it, so a restart never sends twice what
-- was accepted: a row found 'sending' after its node stopped becomes 'uncertain' and waits for a person.
ALTER TABLE communications ADD COLUMN delivery_status TEXT NULL
    CHECK (delivery_status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'uncertain'));
ALTER TABLE communications ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE communications ADD COLUMN next_attempt_at INTEGER NULL;
ALTER TABLE communications ADD COLUMN sending_started_at INTEGER NULL;
ALTER TABLE communications ADD COLUMN delivery_error TEXT NULL CHECK (length(delivery_error) <= 1000);
ALTER TABLE communications ADD COLUMN recipient_domain TEXT NULL CHECK (length(recipient_domain) <= 320);
ALTER TABLE communications ADD COLUMN queued_by TEXT NULL REFERENCES users (id);
-- What the send job scans: due messages of the queue, oldest due first.
CREATE INDEX ix_communications_email_queue ON communications (next_attempt_at) WHERE delivery_status = 'queued';
-- The per-domain rate: attempts to a recipient domain in the last minute.
CREATE INDEX ix_communications_email_domain ON communications (recipient_domain, sending_started_at) WHERE sending_started_at IS NOT NULL;
-- Messages left 'sending' by a node that stopped.
CREATE INDEX ix_communications_email_sending ON communications (sending_started_at) WHERE delivery_status = 'sending';

-- Email templates: a subject and a text and/or HTML body with {{placeholders}} (Email/TemplateText).
CREATE TABLE email_templates (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    subject     TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 1000),
    body_text   TEXT        NULL,
    body_html   TEXT        NULL,
    created_by  TEXT    NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    deleted_at  INTEGER     NULL,
    CHECK (body_text IS NOT NULL OR body_html IS NOT NULL)
);
CREATE UNIQUE INDEX ux_email_templates_name ON email_templates (lower(name)) WHERE deleted_at IS NULL;
