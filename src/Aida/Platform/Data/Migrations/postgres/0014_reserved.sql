-- Placeholder for the number another branch takes (merge branch uses 0015); drop at integration.
SELECT 1;
