-- Duplicates and merges. A customer's email and phone identifiers get a match key, the form
-- that finds likely duplicates: an email without dots or a +suffix in its local part, the last
-- nine characters of a phone number (the same number written with or without a national
-- prefix). A merge moves everything of one customer (the absorbed) to another (the survivor)
-- and keeps in `customer_merges` what undoing it needs; `customer_redirects` sends the
-- absorbed customer's id (its address, the ingest API) to the survivor.

ALTER TABLE customer_identifiers ADD COLUMN match_key TEXT;
UPDATE customer_identifiers SET match_key =
    replace(CASE WHEN instr(substr(normalized, 1, instr(normalized, '@') - 1), '+') > 0
                 THEN substr(normalized, 1, instr(normalized, '+') - 1)
                 ELSE substr(normalized, 1, instr(normalized, '@') - 1) END, '.', '')
    || '@' || substr(normalized, instr(normalized, '@') + 1)
WHERE kind = 'email' AND instr(normalized, '@') > 0;
UPDATE customer_identifiers SET match_key = substr(normalized, -9) WHERE kind = 'phone';
CREATE INDEX customer_identifiers_by_match_key
    ON customer_identifiers (match_key, kind, customer_id) WHERE match_key IS NOT NULL;

CREATE TABLE customer_merges (
    customer_id  TEXT NOT NULL,
    id           TEXT NOT NULL,
    absorbed_id  TEXT NOT NULL,
    merged_at    INTEGER NOT NULL,
    merged_by    TEXT NOT NULL,
    undone_at    INTEGER,
    undone_by    TEXT,
    summary      TEXT NOT NULL,
    restore      TEXT,
    PRIMARY KEY (customer_id, id)
);
CREATE INDEX customer_merges_by_absorbed ON customer_merges (absorbed_id);

CREATE TABLE customer_redirects (
    customer_id  TEXT NOT NULL PRIMARY KEY,
    survivor_id  TEXT NOT NULL,
    merge_id     TEXT NOT NULL
);

-- Supervisors and admins may merge.
INSERT INTO user_permissions (user_id, permission)
    SELECT id, 'customers.merge' FROM users WHERE role IN ('admin', 'supervisor');

-- Same name and date of birth: found for one customer, and listed page by page.
CREATE INDEX customers_by_name_and_birth
    ON customers (last_name_key, first_name_key, date_of_birth);
