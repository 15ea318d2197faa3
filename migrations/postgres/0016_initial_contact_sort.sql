-- A first-name prefix sorted by email or phone (customers without one last): these walk the
-- customers of the prefix's first letter in contact order, with the full name key at hand to
-- check the rest of the prefix, so a first page stops after one page instead of collecting
-- and sorting every match (~38,000 for one letter at a million customers).
CREATE INDEX customers_by_initial_email
    ON customers (substr(first_name_key, 1, 1), (email IS NULL), email, id, first_name_key);
CREATE INDEX customers_by_initial_phone
    ON customers (substr(first_name_key, 1, 1), (phone IS NULL), phone, id, first_name_key);
