-- The key ring that protects session cookies and antiforgery tokens (issue 19 item 7), in the database so every
-- node reads the same keys: signed in on one node is signed in on all. Earlier versions kept it in <data-dir>/keys.
CREATE TABLE data_protection_keys (
    id             TEXT    NOT NULL PRIMARY KEY,
    friendly_name  TEXT    NOT NULL,
    xml            TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
);
