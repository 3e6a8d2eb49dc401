-- Customer value and journey (issue 16 items 4 and 5; spec 004 customer_value_metrics, spec 002 Journey):
-- purchases recorded by an accounting or booking system, the currency of a customer's purchase figures,
-- and the milestones of a customer's journey.

-- One row per purchase, refunds as negative amounts. The external id is the sending system's own (an
-- invoice or booking number) and unique per customer: a repeat of the same purchase is recognised without
-- revealing whether another customer, perhaps out of the sender's reach, has a purchase with that number.
CREATE TABLE purchases (
    id            TEXT    NOT NULL PRIMARY KEY,
    customer_id   TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    amount        TEXT    NOT NULL CHECK (CAST(amount AS REAL) <> 0),
    currency      TEXT    NOT NULL CHECK (length(currency) = 3),
    purchased_on  TEXT    NOT NULL,
    external_id   TEXT    NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
    is_renewal    INTEGER NOT NULL CHECK (is_renewal IN (0, 1)),
    description   TEXT        NULL CHECK (length(description) <= 500),
    created_by    TEXT        NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_purchases_customer_external_id ON purchases (customer_id, external_id);
CREATE INDEX ix_purchases_customer_purchased ON purchases (customer_id, purchased_on DESC, id DESC);

-- The figures beside it (total_revenue and the rest) are in this currency: the first purchase's. Amounts
-- of different currencies are never added, so a purchase in another currency is refused.
ALTER TABLE customer_lifecycles ADD COLUMN purchase_currency TEXT NULL CHECK (length(purchase_currency) = 3);
-- High-value customers, one currency at a time, by revenue. SQLite has no decimal type (the column is
-- text), so revenue is ranked as a number: the query casts it the same way, which this index serves.
CREATE INDEX ix_customer_lifecycles_value ON customer_lifecycles (purchase_currency, CAST(total_revenue AS REAL) DESC, customer_id DESC)
    WHERE purchase_currency IS NOT NULL;

-- Spec 002 Journey: a customer's milestones, recorded by Aida where it knows them and by the API.
CREATE TABLE journey_milestones (
    id              TEXT    NOT NULL PRIMARY KEY,
    customer_id     TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    milestone_type  TEXT    NOT NULL CHECK (milestone_type IN ('first_contact', 'first_purchase', 'onboarding_complete', 'renewal', 'upsell',
                                                               'referral_made', 'support_escalation', 'churn_signal', 'win_back')),
    occurred_at     INTEGER NOT NULL,
    details         TEXT        NULL,
    note            TEXT        NULL CHECK (length(note) <= 500),
    recorded_by     TEXT        NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX ix_journey_milestones_customer ON journey_milestones (customer_id, occurred_at DESC, id DESC);
CREATE INDEX ix_journey_milestones_type ON journey_milestones (milestone_type, occurred_at);
-- A customer is first contacted, and first buys, once.
CREATE UNIQUE INDEX ux_journey_milestones_firsts ON journey_milestones (customer_id, milestone_type)
    WHERE milestone_type IN ('first_contact', 'first_purchase');

-- Customers contacted before milestones existed: their first interaction is their first contact. The
-- milestone takes that interaction's id (a UUIDv7 already unique), since SQL has no UUIDv7 of its own here.
INSERT INTO journey_milestones (id, customer_id, milestone_type, occurred_at, details, note, recorded_by, created_at, updated_at, version)
SELECT i.id, i.customer_id, 'first_contact', i.occurred_at, json_object('interactionId', i.id), NULL, NULL, i.created_at, i.created_at, 1
FROM interactions i
WHERE NOT EXISTS (SELECT 1 FROM interactions e
                  WHERE e.customer_id = i.customer_id
                    AND (e.occurred_at < i.occurred_at OR (e.occurred_at = i.occurred_at AND e.id < i.id)));
