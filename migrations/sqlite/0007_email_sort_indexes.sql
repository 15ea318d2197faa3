-- A name prefix sorted by email: the matches' emails come from these indexes alone (no row
-- lookups), then are sorted. Walking the email index instead is slow because emails start
-- with the name.
CREATE INDEX customers_by_first_email ON customers (first_name_key, email, id);
CREATE INDEX customers_by_last_email ON customers (last_name_key, email, id);
