-- Placeholder so this branch's 0011 has no gap; the lifecycle-value branch brings the real 0009. Drop at integration.
SELECT 1;
