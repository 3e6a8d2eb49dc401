-- Users sign in and carry a role; teams group users under a manager; API tokens act for a user.
-- Record-level access follows a customer's owner (users.team_id), so customers need no new column.

CREATE TABLE teams (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    manager_id  TEXT        NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_teams_name ON teams (name);
CREATE INDEX ix_teams_manager_id ON teams (manager_id);

ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'viewer' CHECK (role IN ('admin', 'manager', 'rep', 'marketing', 'support', 'viewer'));
ALTER TABLE users ADD COLUMN team_id TEXT NULL REFERENCES teams (id);
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE users ADD COLUMN password_hash TEXT NULL;
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until INTEGER NULL;
ALTER TABLE users ADD COLUMN last_sign_in_at INTEGER NULL;
CREATE INDEX ix_users_team_id ON users (team_id);

-- The built-in system actor acts with full rights (migrations, jobs, the CLI).
UPDATE users SET role = 'admin' WHERE id = '00000000-0000-7000-8000-000000000001';

CREATE TABLE api_tokens (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id),
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix        TEXT    NOT NULL,
    hash          TEXT    NOT NULL,
    scope         TEXT    NOT NULL CHECK (scope IN ('read', 'write')),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    expires_at    INTEGER     NULL,
    revoked_at    INTEGER     NULL,
    last_used_at  INTEGER     NULL
);
CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens (hash);
CREATE INDEX ix_api_tokens_user_id ON api_tokens (user_id);

-- Who acted through which token, and which customer an event belongs to (so the feed honours access).
ALTER TABLE audit_entries ADD COLUMN actor_token_id TEXT NULL;
ALTER TABLE events ADD COLUMN customer_id TEXT NULL;
CREATE INDEX ix_events_customer_id ON events (customer_id, seq);
