-- The lifecycle's automatic-rule settings: how long a customer may go without a purchase or an interaction
-- before the inactivity rule moves it to Churned (issue 16 item 3). One row, changed from the stage
-- settings screen; NULL turns the rule off.
CREATE TABLE lifecycle_settings (
    id                 TEXT    NOT NULL PRIMARY KEY,
    churn_after_days   INTEGER     NULL CHECK (churn_after_days BETWEEN 7 AND 3650),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    version            INTEGER NOT NULL
);
INSERT INTO lifecycle_settings (id, churn_after_days, created_at, updated_at, version)
VALUES ('01900000-0000-7000-8000-000000000301', 180, 1767225600000000, 1767225600000000, 1);
