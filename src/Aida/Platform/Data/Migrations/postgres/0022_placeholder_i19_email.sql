-- Placeholder on branch i19-email only: migrations are numbered without gaps, and 0022 belongs to another part of
-- issue 19 that is not merged here yet. Delete this file when the real 0022 arrives.
SELECT 1;
