-- Notes about a participant, each with a visibility: the author's own
-- organisation only, or shared with the partners her consent covers.
CREATE TABLE notes (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    author_user_id BIGINT NOT NULL REFERENCES users(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    visibility TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notes_participant ON notes(participant_id, id);

-- Rectification keeps history: the profile as it was before each change.
CREATE TABLE participant_versions (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    version BIGINT NOT NULL,
    profile TEXT NOT NULL,
    changed_by BIGINT REFERENCES users(id),
    changed_at BIGINT NOT NULL
);
CREATE INDEX participant_versions_participant ON participant_versions(participant_id, version);
