-- Duplicate detection also looks addresses up by street (issue 17, matching quality): house number, the
-- Cologne code of the street with abbreviations spelled out, and the city (Duplicates/AddressMatching.StreetKey).
-- It finds the same address when the postal code was mistyped, which the postal-code key cannot. SQL cannot
-- compute the key: rows stored before this migration keep NULL until the BlockingKeyBackfill worker, started
-- with the application, fills them (the empty string where an address has no number, street or place).
ALTER TABLE addresses ADD COLUMN street_key text NULL;
CREATE INDEX ix_addresses_street_key ON addresses (street_key) WHERE street_key IS NOT NULL AND street_key <> '' AND deleted_at IS NULL;
CREATE INDEX ix_addresses_street_key_missing ON addresses (id) WHERE street_key IS NULL;
