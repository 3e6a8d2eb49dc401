-- The one scheduler's jobs (issue 19 item 6): a row per background job with its lease, so that with several
-- nodes each job runs on one node at a time and is taken over when that node stops renewing it.
CREATE TABLE jobs (
    name                  TEXT    NOT NULL PRIMARY KEY,
    lease_owner           TEXT        NULL,
    lease_expires_at      INTEGER     NULL,
    next_run_at           INTEGER NOT NULL,
    run_requested_at      INTEGER     NULL,
    last_started_at       INTEGER     NULL,
    last_finished_at      INTEGER     NULL,
    last_duration_ms      INTEGER     NULL,
    last_items            INTEGER     NULL,
    last_succeeded        INTEGER     NULL CHECK (last_succeeded IN (0, 1)),
    last_error            TEXT        NULL,
    last_node             TEXT        NULL,
    runs                  INTEGER NOT NULL DEFAULT 0,
    failures              INTEGER NOT NULL DEFAULT 0,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0
);
