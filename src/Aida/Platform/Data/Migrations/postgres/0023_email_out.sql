-- Email out (issue 19 item 4): an outbound message is a communication with a delivery state. The queue is the
-- communications whose delivery_status is 'queued'; a row is committed 'sending' (with its Message-ID) before
-- Aida talks to the SMTP server and 'sent' after the server accepted it, so a restart never sends twice what
-- was accepted: a row found 'sending' after its node stopped becomes 'uncertain' and waits for a person.
ALTER TABLE communications ADD COLUMN delivery_status text NULL
    CHECK (delivery_status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'uncertain'));
ALTER TABLE communications ADD COLUMN delivery_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE communications ADD COLUMN next_attempt_at timestamptz NULL;
ALTER TABLE communications ADD COLUMN sending_started_at timestamptz NULL;
ALTER TABLE communications ADD COLUMN delivery_error varchar(1000) NULL;
ALTER TABLE communications ADD COLUMN recipient_domain varchar(320) NULL;
ALTER TABLE communications ADD COLUMN queued_by uuid NULL REFERENCES users (id);
-- What the send job scans: due messages of the queue, oldest due first.
CREATE INDEX ix_communications_email_queue ON communications (next_attempt_at) WHERE delivery_status = 'queued';
-- The per-domain rate: attempts to a recipient domain in the last minute.
CREATE INDEX ix_communications_email_domain ON communications (recipient_domain, sending_started_at) WHERE sending_started_at IS NOT NULL;
-- Messages left 'sending' by a node that stopped.
CREATE INDEX ix_communications_email_sending ON communications (sending_started_at) WHERE delivery_status = 'sending';

-- Email templates: a subject and a text and/or HTML body with {{placeholders}} (Email/TemplateText).
CREATE TABLE email_templates (
    id          uuid          NOT NULL PRIMARY KEY,
    name        varchar(200)  NOT NULL,
    subject     varchar(1000) NOT NULL,
    body_text   text              NULL,
    body_html   text              NULL,
    created_by  uuid          NOT NULL REFERENCES users (id),
    created_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL,
    version     integer       NOT NULL,
    deleted_at  timestamptz       NULL,
    CHECK (body_text IS NOT NULL OR body_html IS NOT NULL)
);
CREATE UNIQUE INDEX ux_email_templates_name ON email_templates (lower(name)) WHERE deleted_at IS NULL;
