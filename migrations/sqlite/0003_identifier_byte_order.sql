-- Twin of the PostgreSQL migration that gives email and phone byte-order collation. SQLite
-- already compares TEXT byte by byte (BINARY), so there is nothing to change here.
SELECT 1;
