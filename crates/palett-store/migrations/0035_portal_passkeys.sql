-- Passkeys in the participant portal: the state of a WebAuthn ceremony
-- between its challenge and the authenticator's answer, kept server side
-- for a few minutes and taken once; and the random user handle her
-- passkeys carry instead of any id of hers.
CREATE TABLE portal_ceremonies (
    id_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    state TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
ALTER TABLE portal_accounts ADD COLUMN user_handle TEXT;
