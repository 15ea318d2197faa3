-- The text encoding an import file came in (NULL: UTF-8). Another encoding was decoded into a
-- UTF-8 copy when the file was registered, and the import reads that copy.
ALTER TABLE imports ADD COLUMN encoding TEXT;
