-- Timestamps are UTC ticks (100 ns since 0001-01-01), so they round-trip exactly; ids are GUID text.
CREATE TABLE jobs (
    id               TEXT    NOT NULL PRIMARY KEY,
    type             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    progress         INTEGER NOT NULL DEFAULT 0,
    current_step     TEXT,
    attempt          INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    error_code       TEXT,
    error_message    TEXT,
    not_before       INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_token      TEXT,
    lease_expires_at INTEGER,
    llm_input_tokens  INTEGER NOT NULL DEFAULT 0,
    llm_output_tokens INTEGER NOT NULL DEFAULT 0,
    tts_characters    INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    started_at       INTEGER,
    completed_at     INTEGER
);

-- The claim: due pending jobs by due time then creation, and processing jobs by lease expiry.
CREATE INDEX ix_jobs_pending_due ON jobs (not_before, created_at) WHERE status = 'Pending';
CREATE INDEX ix_jobs_processing_lease ON jobs (lease_expires_at) WHERE status = 'Processing';
-- Listing and counting by status, oldest first.
CREATE INDEX ix_jobs_status_created ON jobs (status, created_at, id);
CREATE INDEX ix_jobs_created ON jobs (created_at, id);

CREATE TABLE editions (
    id                TEXT NOT NULL PRIMARY KEY,
    isbn13            TEXT UNIQUE,
    title             TEXT NOT NULL,
    authors           TEXT NOT NULL,
    language          TEXT NOT NULL,
    publisher         TEXT,
    publish_year      INTEGER,
    page_count        INTEGER,
    cover_url         TEXT,
    description       TEXT,
    subjects          TEXT NOT NULL,
    table_of_contents TEXT NOT NULL
);

CREATE TABLE audiobooks (
    id                     TEXT    NOT NULL PRIMARY KEY,
    edition_id             TEXT    NOT NULL UNIQUE REFERENCES editions (id),
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
    updated_at             INTEGER NOT NULL
);

CREATE INDEX ix_audiobooks_created ON audiobooks (created_at DESC, id DESC);

CREATE TABLE chapters (
    audiobook_id      TEXT    NOT NULL,
    version           INTEGER NOT NULL,
    number            INTEGER NOT NULL,
    title             TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    summary           TEXT,
    word_count        INTEGER,
    audio_key         TEXT,
    audio_size_bytes  INTEGER,
    duration_seconds  REAL,
    error_message     TEXT,
    llm_input_tokens  INTEGER NOT NULL,
    llm_output_tokens INTEGER NOT NULL,
    tts_characters    INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (audiobook_id, version, number)
) WITHOUT ROWID;

CREATE TABLE audiobook_jobs (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id       TEXT NOT NULL UNIQUE,
    audiobook_id TEXT NOT NULL
);

CREATE INDEX ix_audiobook_jobs_audiobook ON audiobook_jobs (audiobook_id, seq);
