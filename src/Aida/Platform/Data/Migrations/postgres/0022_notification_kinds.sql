-- Issue 19 item 5: notifications for a lead assigned to you, a lead's follow-up coming due, a deal gone stale, and
-- a webhook subscription disabled after a day of failures.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('activity_reminder', 'health_alert', 'health_escalation', 'upsell_opportunity',
                    'lead_assigned', 'lead_follow_up_due', 'deal_stale', 'webhook_disabled'));

-- The follow-up time a lead's owner was last reminded of: a reminder goes out once per scheduled follow-up.
ALTER TABLE leads ADD COLUMN follow_up_reminded_for timestamptz NULL;

-- When the owner was told the deal went stale: told again only after new activity and a new quiet spell.
ALTER TABLE opportunities ADD COLUMN stale_notified_at timestamptz NULL;
CREATE INDEX ix_opportunities_activity ON opportunities (status, last_activity_at) WHERE deleted_at IS NULL;
