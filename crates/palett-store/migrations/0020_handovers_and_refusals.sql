-- Moving the responsibility for a participant to another organisation (a
-- handover), kept as her history: from, to, when, why and by whom.
CREATE TABLE responsibility_handovers (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    from_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    to_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    on_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX responsibility_handovers_participant ON responsibility_handovers(participant_id, id);

-- Requests for participant resources refused (404 or 403), counted per user
-- and day (Unix seconds at 00:00 UTC) for the log review. No participant
-- ids: what she could not see is not recorded.
CREATE TABLE refused_access (
    partnership_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    day BIGINT NOT NULL,
    refusals BIGINT NOT NULL,
    PRIMARY KEY (partnership_id, user_id, day)
);
