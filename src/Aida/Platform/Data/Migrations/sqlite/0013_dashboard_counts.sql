-- Counts kept as the data changes, so the AIDA board and the HealthDashboard read a few hundred rows
-- instead of counting a million (issue 16's performance goals). Each is a count table
-- (Platform/Data/CountTables.cs): a key's count is the sum of its rows; writers append +1 and -1 rows
-- and never update one, and a fold replaces a key's rows with their sum. Both are per owner, so a
-- viewer's reach (the owners they see) is a filter on the key.

-- Live customers per owner and lifecycle stage, kept by triggers: a lifecycle placed, moved or removed,
-- and a customer reassigned, deleted or restored.
CREATE TABLE lifecycle_stage_counts (
    id         INTEGER NOT NULL PRIMARY KEY,
    owner_id   TEXT        NULL,
    stage_id   TEXT    NOT NULL,
    customers  INTEGER NOT NULL
);
CREATE INDEX ix_lifecycle_stage_counts_owner ON lifecycle_stage_counts (owner_id);

CREATE TRIGGER customer_lifecycles_counted AFTER INSERT ON customer_lifecycles BEGIN
    INSERT INTO lifecycle_stage_counts (owner_id, stage_id, customers)
    SELECT c.owner_id, new.current_stage_id, 1 FROM customers c WHERE c.id = new.customer_id AND c.deleted_at IS NULL;
END;
CREATE TRIGGER customer_lifecycles_moved AFTER UPDATE OF current_stage_id ON customer_lifecycles
WHEN old.current_stage_id <> new.current_stage_id BEGIN
    INSERT INTO lifecycle_stage_counts (owner_id, stage_id, customers)
    SELECT c.owner_id, old.current_stage_id, -1 FROM customers c WHERE c.id = new.customer_id AND c.deleted_at IS NULL
    UNION ALL
    SELECT c.owner_id, new.current_stage_id, 1 FROM customers c WHERE c.id = new.customer_id AND c.deleted_at IS NULL;
END;
CREATE TRIGGER customer_lifecycles_uncounted AFTER DELETE ON customer_lifecycles BEGIN
    INSERT INTO lifecycle_stage_counts (owner_id, stage_id, customers)
    SELECT c.owner_id, old.current_stage_id, -1 FROM customers c WHERE c.id = old.customer_id AND c.deleted_at IS NULL;
END;

-- Live customers per owner, health grade and whether the health score had too little data. Scoring
-- appends its changes with the scores it writes (Features/Scoring/ScoreCalculator.cs); the trigger below
-- moves a customer's health when the customer is reassigned, deleted or restored.
CREATE TABLE health_grade_counts (
    id                 INTEGER NOT NULL PRIMARY KEY,
    owner_id           TEXT        NULL,
    grade              TEXT    NOT NULL,
    insufficient_data  INTEGER NOT NULL,
    customers          INTEGER NOT NULL
);
CREATE INDEX ix_health_grade_counts_owner ON health_grade_counts (owner_id);

CREATE TRIGGER customers_recounted AFTER UPDATE OF owner_id, deleted_at ON customers
WHEN old.owner_id IS NOT new.owner_id OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN
    INSERT INTO lifecycle_stage_counts (owner_id, stage_id, customers)
    SELECT old.owner_id, l.current_stage_id, -1 FROM customer_lifecycles l WHERE l.customer_id = new.id AND old.deleted_at IS NULL
    UNION ALL
    SELECT new.owner_id, l.current_stage_id, 1 FROM customer_lifecycles l WHERE l.customer_id = new.id AND new.deleted_at IS NULL;
    INSERT INTO health_grade_counts (owner_id, grade, insufficient_data, customers)
    SELECT old.owner_id, s.grade, s.insufficient_data, -1 FROM customer_scores s
    WHERE s.customer_id = new.id AND s.score_type = 'health' AND old.deleted_at IS NULL
    UNION ALL
    SELECT new.owner_id, s.grade, s.insufficient_data, 1 FROM customer_scores s
    WHERE s.customer_id = new.id AND s.score_type = 'health' AND new.deleted_at IS NULL;
END;

-- The counts of the data already there.
INSERT INTO lifecycle_stage_counts (owner_id, stage_id, customers)
SELECT c.owner_id, l.current_stage_id, COUNT(*)
FROM customer_lifecycles l JOIN customers c ON c.id = l.customer_id
WHERE c.deleted_at IS NULL
GROUP BY c.owner_id, l.current_stage_id;

INSERT INTO health_grade_counts (owner_id, grade, insufficient_data, customers)
SELECT c.owner_id, s.grade, s.insufficient_data, COUNT(*)
FROM customer_scores s JOIN customers c ON c.id = s.customer_id
WHERE s.score_type = 'health' AND c.deleted_at IS NULL
GROUP BY c.owner_id, s.grade, s.insufficient_data;

-- With the distribution kept above, the scores' indexes serve lists and ranges, not counts:
-- - the at-risk list (health below a threshold, worst first, keyset-paged on score and customer) and a
--   segment's score condition read (type, value, customer) in order, without touching the table;
-- - the stale count (health not recalculated for a week) and a segment's incremental run (scores
--   recalculated since its last run) read health's calculated_at alone: a customer's five scores are
--   always written together with one calculated_at, so health's stands for all five, in a fifth of the
--   entries every run must rewrite.
DROP INDEX ix_customer_scores_type_value;
CREATE INDEX ix_customer_scores_type_value ON customer_scores (score_type, score_value, customer_id, insufficient_data);
CREATE INDEX ix_customer_scores_health_calculated ON customer_scores (score_type, calculated_at) WHERE score_type = 'health';
