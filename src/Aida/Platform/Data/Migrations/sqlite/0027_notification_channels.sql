-- Issue 19 item 5: notification channels and preferences. A row per user and kind the user changed: whether the
-- kind shows in the app and whether it is emailed. A kind without a row has the defaults (in-app on, email off),
-- so a new kind needs no data change.
CREATE TABLE notification_preferences (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL REFERENCES users (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('activity_reminder', 'health_alert', 'health_escalation', 'upsell_opportunity',
                                                 'lead_assigned', 'lead_follow_up_due', 'deal_stale', 'webhook_disabled')),
    in_app      INTEGER NOT NULL CHECK (in_app IN (0, 1)),
    email       INTEGER NOT NULL CHECK (email IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_notification_preferences_user_kind ON notification_preferences (user_id, kind);

-- The daily digest: whether the user wants it, and when the last one was queued (written in the transaction that
-- queues it, so a user gets one a day however many nodes run the job and however often it restarts).
CREATE TABLE notification_digests (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id),
    enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    last_sent_at  INTEGER     NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_notification_digests_user ON notification_digests (user_id);

-- Emails to a user about their own notifications (the email channel and the digest). Kept apart from
-- communications: they are about nobody's customer and belong on no timeline. The "email.send" job works them
-- with the same SMTP settings; a row is committed 'sending' before the SMTP conversation and 'sent' after it.
CREATE TABLE notification_emails (
    id                  TEXT    NOT NULL PRIMARY KEY,
    user_id             TEXT    NOT NULL REFERENCES users (id),
    to_address          TEXT    NOT NULL CHECK (length(to_address) BETWEEN 3 AND 320),
    subject             TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 1000),
    body_text           TEXT    NOT NULL,
    message_id          TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER     NULL,
    sending_started_at  INTEGER     NULL,
    error               TEXT        NULL CHECK (length(error) <= 1000),
    created_at          INTEGER NOT NULL,
    sent_at             INTEGER     NULL
);
CREATE INDEX ix_notification_emails_queue ON notification_emails (next_attempt_at) WHERE status = 'queued';
CREATE INDEX ix_notification_emails_sending ON notification_emails (sending_started_at) WHERE status = 'sending';
CREATE INDEX ix_notification_emails_user ON notification_emails (user_id, created_at);
