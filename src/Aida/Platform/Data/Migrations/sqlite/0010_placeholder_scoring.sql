-- Placeholder so this branch's 0011 has no gap; the scoring branch brings the real 0010. Drop at integration.
SELECT 1;
