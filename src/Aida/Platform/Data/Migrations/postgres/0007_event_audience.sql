-- Who may read an event in the feed (issue 14: user.created and token.created reached every viewer):
-- 'customer' — those who reach its customer; 'all_customers' — those who reach every customer (leads,
-- pipelines, imports, customer-less activities, unmatched messages); 'admins' — administrators, and for a
-- token's events its holder (user_id). The default is 'admins': an event nobody classified reaches no one else.

ALTER TABLE events ADD COLUMN audience text NOT NULL DEFAULT 'admins' CHECK (audience IN ('customer', 'all_customers', 'admins'));
ALTER TABLE events ADD COLUMN user_id uuid NULL;

UPDATE events SET audience = 'customer' WHERE customer_id IS NOT NULL;
UPDATE events SET audience = 'all_customers'
WHERE customer_id IS NULL
  AND (subject LIKE 'leads/%' OR subject LIKE 'pipelines/%' OR subject LIKE 'imports/%'
       OR subject LIKE 'activities/%' OR subject LIKE 'communications/%');
-- "users/<36-character id>/tokens/<id>"
UPDATE events SET user_id = substring(subject from 7 for 36)::uuid WHERE subject LIKE 'users/%/tokens/%';
