-- A step overwritten in place (a check-in, a reload) gets a new revision; a write building on
-- a step happens only while that step is at the revision the writer read, so an answer racing
-- a check-in cannot drop what the check-in stored.
ALTER TABLE steps ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
