-- Email and phone compare byte by byte (as on SQLite), so that prefix searches are index range
-- scans whatever the database's locale, and both databases sort them the same way.
ALTER TABLE customers ALTER COLUMN email TYPE TEXT COLLATE "C";
ALTER TABLE customers ALTER COLUMN phone TYPE TEXT COLLATE "C";
