-- The participant portal: her own account (one per participant, a login
-- name printed on her invitation), the invitations her caseworker makes
-- (only the code's SHA-256 kept), her sessions and passkeys, the months of
-- time she confirmed, and which entries are her own.
CREATE TABLE portal_accounts (
    participant_id BIGINT PRIMARY KEY REFERENCES participants(id),
    login_name TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    lang TEXT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE TABLE portal_invitations (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    code_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX portal_invitations_participant ON portal_invitations (participant_id);
CREATE TABLE portal_sessions (
    id_hash TEXT PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX portal_sessions_participant ON portal_sessions (participant_id);
CREATE TABLE portal_passkeys (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    credential_id TEXT NOT NULL UNIQUE,
    passkey TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX portal_passkeys_participant ON portal_passkeys (participant_id);
-- A month of her time that she confirmed in her portal: the minutes she
-- saw, so a month changed afterwards shows as changed.
CREATE TABLE time_confirmations (
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    month TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    confirmed_at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, month)
);
-- Her own entries: a self-assessment she filled in, a consent she withdrew.
ALTER TABLE self_assessments ADD COLUMN by_participant BIGINT NOT NULL DEFAULT 0;
ALTER TABLE consents ADD COLUMN withdrawn_by_participant BIGINT NOT NULL DEFAULT 0;
-- An inbox message about one participant (she withdrew a consent).
ALTER TABLE inbox_messages ADD COLUMN participant_id BIGINT REFERENCES participants(id);
