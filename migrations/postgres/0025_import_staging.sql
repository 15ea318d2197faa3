-- An events import in two steps. First every line is checked and matched to its customer as
-- the ingest API does, and the stored form of each valid event is kept here, in file order
-- (appends only, no index while the file is read). Then an index sorts them by customer and
-- they are stored a range of customers at a time, so that the inserts into `events`' indexes
-- and the projection updates walk each B-tree in order instead of hitting a random page per
-- event: what made a large backfill three times slower than this. The rows go once stored.
CREATE TABLE import_staged_events (
    customer_id  TEXT NOT NULL,
    import_id    TEXT NOT NULL,
    row_number   BIGINT NOT NULL,
    event        TEXT NOT NULL
);

-- The step an events import is in (NULL: reading the file; 'storing': storing what it kept),
-- how many events it kept, how many of those it has stored, and the last customer stored.
ALTER TABLE imports ADD COLUMN stage TEXT;
ALTER TABLE imports ADD COLUMN staged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN staged_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN stored_through TEXT;

-- The indexes of `customers` a large customers import sets aside while it loads (one sort to
-- build an index after the load costs a fraction of updating it row by row), recorded in the
-- transaction that drops them: a run that ends in any way builds them again, and so does the
-- next start-up or import after a crash.
CREATE TABLE import_dropped_indexes (
    name        TEXT PRIMARY KEY,
    definition  TEXT NOT NULL
);
