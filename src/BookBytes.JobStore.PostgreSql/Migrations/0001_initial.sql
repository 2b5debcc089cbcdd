CREATE TABLE jobs (
    id                uuid        NOT NULL PRIMARY KEY,
    type              text        NOT NULL,
    status            text        NOT NULL,
    payload           text        NOT NULL,
    progress          integer     NOT NULL DEFAULT 0,
    current_step      text,
    attempt           integer     NOT NULL DEFAULT 0,
    max_attempts      integer     NOT NULL,
    error_code        text,
    error_message     text,
    not_before        timestamptz NOT NULL,
    lease_owner       text,
    lease_token       uuid,
    lease_expires_at  timestamptz,
    llm_input_tokens  bigint      NOT NULL DEFAULT 0,
    llm_output_tokens bigint      NOT NULL DEFAULT 0,
    tts_characters    bigint      NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    started_at        timestamptz,
    completed_at      timestamptz
);

-- The claim: due pending jobs by due time then creation, and processing jobs by lease expiry.
CREATE INDEX ix_jobs_pending_due ON jobs (not_before, created_at) WHERE status = 'Pending';
CREATE INDEX ix_jobs_processing_lease ON jobs (lease_expires_at) WHERE status = 'Processing';
-- Listing and counting by status, oldest first.
CREATE INDEX ix_jobs_status_created ON jobs (status, created_at, id);
CREATE INDEX ix_jobs_created ON jobs (created_at, id);

CREATE TABLE editions (
    id                uuid    NOT NULL PRIMARY KEY,
    isbn13            text    UNIQUE,
    title             text    NOT NULL,
    authors           jsonb   NOT NULL,
    language          text    NOT NULL,
    publisher         text,
    publish_year      integer,
    page_count        integer,
    cover_url         text,
    description       text,
    subjects          jsonb   NOT NULL,
    table_of_contents jsonb   NOT NULL
);

CREATE TABLE audiobooks (
    id                     uuid             NOT NULL PRIMARY KEY,
    edition_id             uuid             NOT NULL UNIQUE REFERENCES editions (id),
    status                 text             NOT NULL,
    version                integer          NOT NULL,
    pending_version        integer,
    voice                  text             NOT NULL,
    total_duration_seconds double precision NOT NULL,
    error_message          text,
    llm_input_tokens       bigint           NOT NULL,
    llm_output_tokens      bigint           NOT NULL,
    tts_characters         bigint           NOT NULL,
    created_at             timestamptz      NOT NULL,
    updated_at             timestamptz      NOT NULL
);

CREATE INDEX ix_audiobooks_created ON audiobooks (created_at DESC, id DESC);

CREATE TABLE chapters (
    audiobook_id      uuid             NOT NULL,
    version           integer          NOT NULL,
    number            integer          NOT NULL,
    title             text             NOT NULL,
    status            text             NOT NULL,
    summary           text,
    word_count        integer,
    audio_key         text,
    audio_size_bytes  bigint,
    duration_seconds  double precision,
    error_message     text,
    llm_input_tokens  bigint           NOT NULL,
    llm_output_tokens bigint           NOT NULL,
    tts_characters    bigint           NOT NULL,
    updated_at        timestamptz      NOT NULL,
    PRIMARY KEY (audiobook_id, version, number)
);

CREATE TABLE audiobook_jobs (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id       uuid   NOT NULL UNIQUE,
    audiobook_id uuid   NOT NULL
);

CREATE INDEX ix_audiobook_jobs_audiobook ON audiobook_jobs (audiobook_id, seq);
