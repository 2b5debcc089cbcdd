-- Editions read from an uploaded document: where they came from, and the stored file and parsed text.
ALTER TABLE editions ADD COLUMN source text NOT NULL DEFAULT 'Catalog',
                     ADD COLUMN document jsonb;
