-- Issue 19 item 5: notifications for a lead assigned to you, a lead's follow-up coming due, a deal gone stale, and
-- a webhook subscription disabled after a day of failures. SQLite cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE notifications_rebuilt (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('activity_reminder', 'health_alert', 'health_escalation', 'upsell_opportunity',
                                                  'lead_assigned', 'lead_follow_up_due', 'deal_stale', 'webhook_disabled')),
    title        TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
    link         TEXT        NULL,
    activity_id  TEXT        NULL REFERENCES activities (id),
    created_at   INTEGER NOT NULL,
    read_at      INTEGER     NULL
);
INSERT INTO notifications_rebuilt (id, user_id, kind, title, link, activity_id, created_at, read_at)
SELECT id, user_id, kind, title, link, activity_id, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_rebuilt RENAME TO notifications;
CREATE INDEX ix_notifications_user ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX ix_notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- The follow-up time a lead's owner was last reminded of: a reminder goes out once per scheduled follow-up.
ALTER TABLE leads ADD COLUMN follow_up_reminded_for INTEGER NULL;

-- When the owner was told the deal went stale: told again only after new activity and a new quiet spell.
ALTER TABLE opportunities ADD COLUMN stale_notified_at INTEGER NULL;
CREATE INDEX ix_opportunities_activity ON opportunities (status, last_activity_at) WHERE deleted_at IS NULL;
