-- Users sign in and carry a role; teams group users under a manager; API tokens act for a user.
-- Record-level access follows a customer's owner (users.team_id), so customers need no new column.

CREATE TABLE teams (
    id          uuid         NOT NULL PRIMARY KEY,
    name        varchar(100) NOT NULL CHECK (length(name) >= 1),
    manager_id  uuid             NULL REFERENCES users (id),
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL,
    version     integer      NOT NULL
);
CREATE UNIQUE INDEX ux_teams_name ON teams (name);
CREATE INDEX ix_teams_manager_id ON teams (manager_id);

ALTER TABLE users
    ADD COLUMN role text NOT NULL DEFAULT 'viewer' CHECK (role IN ('admin', 'manager', 'rep', 'marketing', 'support', 'viewer')),
    ADD COLUMN team_id uuid NULL REFERENCES teams (id),
    ADD COLUMN time_zone varchar(100) NOT NULL DEFAULT 'UTC',
    ADD COLUMN password_hash text NULL,
    ADD COLUMN security_stamp text NOT NULL DEFAULT '',
    ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz NULL,
    ADD COLUMN last_sign_in_at timestamptz NULL;
CREATE INDEX ix_users_team_id ON users (team_id);

-- The built-in system actor acts with full rights (migrations, jobs, the CLI).
UPDATE users SET role = 'admin' WHERE id = '00000000-0000-7000-8000-000000000001';

CREATE TABLE api_tokens (
    id            uuid         NOT NULL PRIMARY KEY,
    user_id       uuid         NOT NULL REFERENCES users (id),
    name          varchar(100) NOT NULL CHECK (length(name) >= 1),
    prefix        text         NOT NULL,
    hash          text         NOT NULL,
    scope         text         NOT NULL CHECK (scope IN ('read', 'write')),
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    version       integer      NOT NULL,
    expires_at    timestamptz      NULL,
    revoked_at    timestamptz      NULL,
    last_used_at  timestamptz      NULL
);
CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens (hash);
CREATE INDEX ix_api_tokens_user_id ON api_tokens (user_id);

-- Who acted through which token, and which customer an event belongs to (so the feed honours access).
ALTER TABLE audit_entries ADD COLUMN actor_token_id uuid NULL;
ALTER TABLE events ADD COLUMN customer_id uuid NULL;
CREATE INDEX ix_events_customer_id ON events (customer_id, seq);
