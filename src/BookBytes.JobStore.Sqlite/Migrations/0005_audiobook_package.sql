-- An audiobook's one-file packages (M4B, MP3): the version they were made from, the chapters they hold,
-- whether that is all of them, and the stored files, as one JSON document. Null until the first packaging job.
ALTER TABLE audiobooks ADD COLUMN package TEXT;
