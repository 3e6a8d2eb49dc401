-- Duplicate detection looks addresses up by postal code (issue 17, matching quality): "SW1A 1AA",
-- "sw1a1aa" and "SW1A-1AA" are one key, upper case without spaces, hyphens and dots, as
-- Duplicates/AddressMatching.PostalKey computes it for new and changed addresses. Existing rows are
-- backfilled here with the same rule.
ALTER TABLE addresses ADD COLUMN postal_key TEXT NULL;
UPDATE addresses
   SET postal_key = NULLIF(upper(replace(replace(replace(trim(postal_code), ' ', ''), '-', ''), '.', '')), '')
 WHERE postal_code IS NOT NULL;
CREATE INDEX ix_addresses_postal_key ON addresses (postal_key) WHERE postal_key IS NOT NULL AND deleted_at IS NULL;

-- Variants of a name ("Bob Smith", "Robert Smyth") are looked up by a blocking key computed in code
-- (Duplicates/NameMatching.NameBlock: Cologne phonetics of the family name and the formal first initial),
-- which SQL cannot compute: rows stored before this migration keep NULL until the NameBlockBackfill worker,
-- started with the application, fills them; until then they are still found by the older keys.
ALTER TABLE customers ADD COLUMN name_block TEXT NULL;
CREATE INDEX ix_customers_name_block ON customers (name_block) WHERE name_block IS NOT NULL;
CREATE INDEX ix_customers_name_block_missing ON customers (id) WHERE name_block IS NULL;
