-- Consents as records: who recorded which consent, how it was given, its
-- scope and expiry, and its withdrawal. Nothing is deleted; a withdrawal is
-- a fact with its own time.
CREATE TABLE consents (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    kind TEXT NOT NULL,
    method TEXT NOT NULL,
    witness TEXT,
    given_on TEXT NOT NULL,
    expires_on TEXT,
    note TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    withdrawn_by BIGINT REFERENCES users(id),
    withdrawal_note TEXT
);
CREATE INDEX consents_participant ON consents(participant_id, kind);

CREATE TABLE consent_organisations (
    consent_id BIGINT NOT NULL REFERENCES consents(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (consent_id, organisation_id)
);
CREATE INDEX consent_organisations_organisation ON consent_organisations(organisation_id);
