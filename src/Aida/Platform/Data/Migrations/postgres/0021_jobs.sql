-- The one scheduler's jobs (issue 19 item 6): a row per background job with its lease, so that with several
-- nodes each job runs on one node at a time and is taken over when that node stops renewing it.
CREATE TABLE jobs (
    name                  text        NOT NULL PRIMARY KEY,
    lease_owner           text            NULL,
    lease_expires_at      timestamptz     NULL,
    next_run_at           timestamptz NOT NULL,
    run_requested_at      timestamptz     NULL,
    last_started_at       timestamptz     NULL,
    last_finished_at      timestamptz     NULL,
    last_duration_ms      bigint          NULL,
    last_items            integer         NULL,
    last_succeeded        boolean         NULL,
    last_error            varchar(1000)   NULL,
    last_node             text            NULL,
    runs                  bigint      NOT NULL DEFAULT 0,
    failures              bigint      NOT NULL DEFAULT 0,
    consecutive_failures  integer     NOT NULL DEFAULT 0
);
