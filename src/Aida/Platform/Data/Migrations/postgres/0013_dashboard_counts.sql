-- Counts kept as the data changes, so the AIDA board and the HealthDashboard read a few hundred rows
-- instead of counting a million (issue 16's performance goals). Each is a count table
-- (Platform/Data/CountTables.cs): a key's count is the sum of its rows; writers append +1 and -1 rows
-- and never update one (so concurrent writers never wait on a shared counter row), and a fold replaces
-- a key's rows with their sum. Both are per owner, so a viewer's reach (the owners they see) is a
-- filter on the key.
--
-- A customer's count moves on two tables (its lifecycle or score, and the customer's owner), so the
-- triggers of the two sides take a lock before they read the other: otherwise a stage move and a
-- reassignment committing together would each miss the other's change. A stage move and a reassignment
-- of one customer wait for each other on a per-customer advisory lock (LockName.LifecycleCounts); a
-- reassignment waits for the scoring writer (LockName.CustomerScoring), which reads owners after taking
-- that lock. Locks are taken in that order (scoring, then the customer), so they never wait in a circle.

-- Live customers per owner and lifecycle stage, kept by triggers: a lifecycle placed, moved or removed,
-- and a customer reassigned, deleted or restored.
CREATE TABLE lifecycle_stage_counts (
    id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id   uuid        NULL,
    stage_id   uuid    NOT NULL,
    customers  integer NOT NULL
);
CREATE INDEX ix_lifecycle_stage_counts_owner ON lifecycle_stage_counts (owner_id);

-- Placed by customers_lifecycle_placed as the customer is inserted: nobody else can see the customer yet.
CREATE FUNCTION customer_lifecycles_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lifecycle_stage_counts (owner_id, stage_id, customers)
    SELECT c.owner_id, new.current_stage_id, 1 FROM customers c WHERE c.id = new.customer_id AND c.deleted_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_lifecycles_counted AFTER INSERT ON customer_lifecycles
    FOR EACH ROW EXECUTE FUNCTION customer_lifecycles_counted();

CREATE FUNCTION customer_lifecycles_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(new.customer_id::text, 71782933528594));
    INSERT INTO lifecycle_stage_counts (owner_id, stage_id, customers)
    SELECT c.owner_id, s.stage_id, s.customers
    FROM customers c, (VALUES (old.current_stage_id, -1), (new.current_stage_id, 1)) AS s (stage_id, customers)
    WHERE c.id = new.customer_id AND c.deleted_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_lifecycles_moved AFTER UPDATE OF current_stage_id ON customer_lifecycles
    FOR EACH ROW WHEN (old.current_stage_id <> new.current_stage_id) EXECUTE FUNCTION customer_lifecycles_moved();

CREATE FUNCTION customer_lifecycles_uncounted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(old.customer_id::text, 71782933528594));
    INSERT INTO lifecycle_stage_counts (owner_id, stage_id, customers)
    SELECT c.owner_id, old.current_stage_id, -1 FROM customers c WHERE c.id = old.customer_id AND c.deleted_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_lifecycles_uncounted AFTER DELETE ON customer_lifecycles
    FOR EACH ROW EXECUTE FUNCTION customer_lifecycles_uncounted();

-- Live customers per owner, health grade and whether the health score had too little data. Scoring
-- appends its changes with the scores it writes (Features/Scoring/ScoreCalculator.cs); the trigger below
-- moves a customer's health when the customer is reassigned, deleted or restored.
CREATE TABLE health_grade_counts (
    id                 bigint     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id           uuid           NULL,
    grade              varchar(1) NOT NULL,
    insufficient_data  boolean    NOT NULL,
    customers          integer    NOT NULL
);
CREATE INDEX ix_health_grade_counts_owner ON health_grade_counts (owner_id);

CREATE FUNCTION customers_recounted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(71782933528592);
    PERFORM pg_advisory_xact_lock(hashtextextended(new.id::text, 71782933528594));
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
    RETURN NULL;
END $$;
CREATE TRIGGER customers_recounted AFTER UPDATE OF owner_id, deleted_at ON customers
    FOR EACH ROW WHEN (old.owner_id IS DISTINCT FROM new.owner_id OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL))
    EXECUTE FUNCTION customers_recounted();

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
