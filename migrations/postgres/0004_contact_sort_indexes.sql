-- Sorting search results by phone or email (customers without one last) walks these indexes
-- in order, so a first page of a broad search stops after one page instead of sorting every
-- match. The same expressions appear in the search's ORDER BY.
CREATE INDEX customers_by_phone_sort ON customers ((phone IS NULL), phone, id);
CREATE INDEX customers_by_email_sort ON customers ((email IS NULL), email, id);
