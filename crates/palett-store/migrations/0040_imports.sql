-- Imports from spreadsheets (issue 17): who uploaded which file when, its
-- rows, and while pending the file itself (base64, at most a few MB), so
-- that the commit reads the same file the preview showed. A committed
-- import keeps the participants it created with the version each had, so
-- that undo can tell whether any of them changed since.
CREATE TABLE imports (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content TEXT,
    row_count BIGINT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    committed_at BIGINT,
    undone_at BIGINT
);
CREATE INDEX imports_partnership ON imports (partnership_id, id);

-- The participants an import created (no reference to participants: an
-- undone import keeps the ids it had created).
CREATE TABLE import_participants (
    import_id BIGINT NOT NULL REFERENCES imports(id),
    participant_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (import_id, participant_id)
);
