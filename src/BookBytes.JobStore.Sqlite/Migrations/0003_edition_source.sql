-- Editions read from an uploaded document: where they came from, and the stored file and parsed text (JSON).
ALTER TABLE editions ADD COLUMN source TEXT NOT NULL DEFAULT 'Catalog';
ALTER TABLE editions ADD COLUMN document TEXT;
