-- Webhooks (issue 19 item 1; the notification kind webhook_disabled came with 0022): subscriptions an administrator creates, and one delivery row per event per
-- subscription, sent in order per subscription (Platform/Events/Webhooks).
-- The secret signs every delivery, so it is kept as is (a hash could not sign); it is shown once, never
-- audited or logged. feed_cursor is the event feed's position (DatabaseDialect.FormatFeedPosition) up to which
-- the feed has been turned into deliveries for this subscription, read with its owner's access.
CREATE TABLE webhook_subscriptions (
    id                           uuid          NOT NULL PRIMARY KEY,
    url                          varchar(2000) NOT NULL CHECK (length(url) >= 1),
    description                  varchar(500)      NULL,
    event_types                  jsonb         NOT NULL,
    filter_subject               varchar(200)      NULL,
    filter_field                 varchar(200)      NULL,
    filter_equals                varchar(500)      NULL,
    secret                       text          NOT NULL,
    previous_secret              text              NULL,
    previous_secret_expires_at   timestamptz       NULL,
    is_active                    boolean       NOT NULL,
    owner_id                     uuid          NOT NULL REFERENCES users (id),
    feed_cursor                  text          NOT NULL,
    next_ordinal                 bigint        NOT NULL,
    failing_since                timestamptz       NULL,
    disabled_at                  timestamptz       NULL,
    disabled_reason              varchar(500)      NULL,
    created_at                   timestamptz   NOT NULL,
    updated_at                   timestamptz   NOT NULL,
    version                      integer       NOT NULL,
    deleted_at                   timestamptz       NULL
);
CREATE INDEX ix_webhook_subscriptions_active ON webhook_subscriptions (id) WHERE is_active AND deleted_at IS NULL;

-- ordinal orders a subscription's queue: materialised in feed (commit) order, replays and test-sends after.
-- payload is text, not jsonb: the bytes signed are the bytes sent, on every attempt.
CREATE TABLE webhook_deliveries (
    id                uuid          NOT NULL PRIMARY KEY,
    subscription_id   uuid          NOT NULL REFERENCES webhook_subscriptions (id),
    ordinal           bigint        NOT NULL,
    event_id          uuid          NOT NULL,
    event_type        varchar(100)  NOT NULL CHECK (length(event_type) >= 1),
    payload           text          NOT NULL,
    status            text          NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts          integer       NOT NULL CHECK (attempts >= 0),
    next_attempt_at   timestamptz   NOT NULL,
    first_attempt_at  timestamptz       NULL,
    last_attempt_at   timestamptz       NULL,
    delivered_at      timestamptz       NULL,
    response_status   integer           NULL,
    latency_ms        integer           NULL,
    response_excerpt  text              NULL,
    error             varchar(500)      NULL,
    replay_of         uuid              NULL REFERENCES webhook_deliveries (id),
    created_at        timestamptz   NOT NULL
);
CREATE UNIQUE INDEX ux_webhook_deliveries_ordinal ON webhook_deliveries (subscription_id, ordinal);
-- The sender's question: which subscriptions have something to send, and what is at the head of each queue.
CREATE INDEX ix_webhook_deliveries_pending ON webhook_deliveries (subscription_id, ordinal) WHERE status = 'pending';
-- The delivery log, newest first, and replay of a time range.
CREATE INDEX ix_webhook_deliveries_log ON webhook_deliveries (subscription_id, created_at DESC, id DESC);
