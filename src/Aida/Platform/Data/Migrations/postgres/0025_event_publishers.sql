-- Event publishers (issue 19 item 2): how far each publisher that copies the outbox elsewhere (the NATS
-- JetStream publisher, 'nats') has got, so it resumes after a restart or an outage where it stopped.
-- The position is the feed cursor of the last event the destination acknowledged, in the dialect's text
-- form (EventFeed); it is written only after the acknowledgements, so nothing is skipped.
CREATE TABLE event_publishers (
    name            text        NOT NULL PRIMARY KEY,
    position        text        NOT NULL,
    published_count bigint      NOT NULL DEFAULT 0,
    published_at    timestamptz     NULL,
    error           text            NULL,
    error_at        timestamptz     NULL,
    updated_at      timestamptz NOT NULL
);
