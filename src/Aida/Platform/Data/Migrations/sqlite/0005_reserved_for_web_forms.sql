-- Placeholder so this branch's 0006 applies: migrations must be numbered without gaps. The web-form
-- slice owns 0005; when its branch is merged this file is deleted in favour of its real 0005.
SELECT 1;
