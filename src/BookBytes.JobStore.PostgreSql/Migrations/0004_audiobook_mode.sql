-- An edition has one audiobook per mode (its summaries, or its text narrated) instead of one in all: the
-- unique key moves from edition_id to (edition_id, mode). Audiobooks made before are summaries of what
-- the model knows, with the default words.
ALTER TABLE audiobooks ADD COLUMN mode text NOT NULL DEFAULT 'Summary',
                       ADD COLUMN grounding text NOT NULL DEFAULT 'Model',
                       ADD COLUMN summary_words integer,
                       DROP CONSTRAINT audiobooks_edition_id_key,
                       ADD CONSTRAINT audiobooks_edition_id_mode_key UNIQUE (edition_id, mode);
