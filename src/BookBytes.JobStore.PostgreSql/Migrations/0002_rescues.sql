-- A job taken back from a worker that died (its lease expired) is a rescue, not a new attempt: attempts
-- count failures only, rescues have their own bound (Jobs:MaxRescues) against a job that kills its workers.
ALTER TABLE jobs ADD COLUMN rescues integer NOT NULL DEFAULT 0;
