-- An edition has one audiobook per mode (its summaries, or its text narrated) instead of one in all: the
-- unique key moves from edition_id to (edition_id, mode). SQLite cannot drop a column's UNIQUE, so the
-- table is rebuilt. It runs inside the migration transaction, where PRAGMA foreign_keys cannot change;
-- that is safe because no table references audiobooks (chapters and audiobook_jobs hold its id without a
-- foreign key), so DROP TABLE deletes nothing another row needs, and the copied rows still reference
-- their editions. Audiobooks made before are summaries of what the model knows, with the default words.
CREATE TABLE audiobooks_new (
    id                     TEXT    NOT NULL PRIMARY KEY,
    edition_id             TEXT    NOT NULL REFERENCES editions (id),
    mode                   TEXT    NOT NULL DEFAULT 'Summary',
    grounding              TEXT    NOT NULL DEFAULT 'Model',
    summary_words          INTEGER,
    status                 TEXT    NOT NULL,
    version                INTEGER NOT NULL,
    pending_version        INTEGER,
    voice                  TEXT    NOT NULL,
    total_duration_seconds REAL    NOT NULL,
    error_message          TEXT,
    llm_input_tokens       INTEGER NOT NULL,
    llm_output_tokens      INTEGER NOT NULL,
    tts_characters         INTEGER NOT NULL,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    UNIQUE (edition_id, mode)
);

INSERT INTO audiobooks_new (id, edition_id, status, version, pending_version, voice, total_duration_seconds, error_message,
                            llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at)
SELECT id, edition_id, status, version, pending_version, voice, total_duration_seconds, error_message,
       llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at
FROM audiobooks;

DROP TABLE audiobooks;
ALTER TABLE audiobooks_new RENAME TO audiobooks;

CREATE INDEX ix_audiobooks_created ON audiobooks (created_at DESC, id DESC);
