-- A first-name prefix of three or more letters sorted by email: emails start with the name, so
-- walking the initial's customers in email order (`customers_by_initial_email`) passed every
-- earlier email of that letter ("daa…" to "dau…" before the first "dav…"). Keyed by the first
-- three letters, the walk starts at the prefix's own customers and stops after one page.
CREATE INDEX customers_by_first3_email
    ON customers (substr(first_name_key, 1, 3), (email IS NULL), email, id, first_name_key);
