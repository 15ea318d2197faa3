-- Where a resumed import's current run started: when, its rows then, and how far it was (in
-- millionths), so that its pace (rows a second, time left) counts the running time only, not
-- the time it sat stopped. NULL / 0 for a run from the start.
ALTER TABLE imports ADD COLUMN resumed_at BIGINT;
ALTER TABLE imports ADD COLUMN resumed_rows BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN resumed_share_ppm BIGINT NOT NULL DEFAULT 0;
