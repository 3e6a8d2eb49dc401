-- Event publishers (issue 19 item 2): how far each publisher that copies the outbox elsewhere (the NATS
-- JetStream publisher, 'nats') has got, so it resumes after a restart or an outage where it stopped.
-- The position is the feed cursor of the last event the destination acknowledged, in the dialect's text
-- form (EventFeed); it is written only after the acknowledgements, so nothing is skipped.
CREATE TABLE event_publishers (
    name            TEXT    NOT NULL PRIMARY KEY,
    position        TEXT    NOT NULL,
    published_count INTEGER NOT NULL DEFAULT 0,
    published_at    INTEGER     NULL,
    error           TEXT        NULL,
    error_at        INTEGER     NULL,
    updated_at      INTEGER NOT NULL
);
