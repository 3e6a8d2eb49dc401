-- Placeholder on the scoring branch only: 0009 belongs to the purchases/customer value work (lifecycle-value
-- branch). The integrator drops this file when merging that branch's real 0009.
SELECT 1;
