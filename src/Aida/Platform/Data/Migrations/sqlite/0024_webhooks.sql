-- Webhooks (issue 19 item 1; the notification kind webhook_disabled came with 0022): subscriptions an administrator creates, and one delivery row per event per
-- subscription, sent in order per subscription (Platform/Events/Webhooks).
-- The secret signs every delivery, so it is kept as is (a hash could not sign); it is shown once, never
-- audited or logged. feed_cursor is the event feed's position (DatabaseDialect.FormatFeedPosition) up to which
-- the feed has been turned into deliveries for this subscription, read with its owner's access.
CREATE TABLE webhook_subscriptions (
    id                           TEXT    NOT NULL PRIMARY KEY,
    url                          TEXT    NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    description                  TEXT        NULL CHECK (length(description) <= 500),
    event_types                  TEXT    NOT NULL,
    filter_subject               TEXT        NULL CHECK (length(filter_subject) <= 200),
    filter_field                 TEXT        NULL CHECK (length(filter_field) <= 200),
    filter_equals                TEXT        NULL CHECK (length(filter_equals) <= 500),
    secret                       TEXT    NOT NULL,
    previous_secret              TEXT        NULL,
    previous_secret_expires_at   INTEGER     NULL,
    is_active                    INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    owner_id                     TEXT    NOT NULL REFERENCES users (id),
    feed_cursor                  TEXT    NOT NULL,
    next_ordinal                 INTEGER NOT NULL,
    failing_since                INTEGER     NULL,
    disabled_at                  INTEGER     NULL,
    disabled_reason              TEXT        NULL CHECK (length(disabled_reason) <= 500),
    created_at                   INTEGER NOT NULL,
    updated_at                   INTEGER NOT NULL,
    version                      INTEGER NOT NULL,
    deleted_at                   INTEGER     NULL
);
CREATE INDEX ix_webhook_subscriptions_active ON webhook_subscriptions (id) WHERE is_active = 1 AND deleted_at IS NULL;

-- ordinal orders a subscription's queue: materialised in feed (commit) order, replays and test-sends after.
CREATE TABLE webhook_deliveries (
    id                TEXT    NOT NULL PRIMARY KEY,
    subscription_id   TEXT    NOT NULL REFERENCES webhook_subscriptions (id),
    ordinal           INTEGER NOT NULL,
    event_id          TEXT    NOT NULL,
    event_type        TEXT    NOT NULL CHECK (length(event_type) BETWEEN 1 AND 100),
    payload           TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts          INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at   INTEGER NOT NULL,
    first_attempt_at  INTEGER     NULL,
    last_attempt_at   INTEGER     NULL,
    delivered_at      INTEGER     NULL,
    response_status   INTEGER     NULL,
    latency_ms        INTEGER     NULL,
    response_excerpt  TEXT        NULL,
    error             TEXT        NULL CHECK (length(error) <= 500),
    replay_of         TEXT        NULL REFERENCES webhook_deliveries (id),
    created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_webhook_deliveries_ordinal ON webhook_deliveries (subscription_id, ordinal);
-- The sender's question: which subscriptions have something to send, and what is at the head of each queue.
CREATE INDEX ix_webhook_deliveries_pending ON webhook_deliveries (subscription_id, ordinal) WHERE status = 'pending';
-- The delivery log, newest first, and replay of a time range.
CREATE INDEX ix_webhook_deliveries_log ON webhook_deliveries (subscription_id, created_at DESC, id DESC);
