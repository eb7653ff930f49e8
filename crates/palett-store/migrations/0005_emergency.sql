-- Emergency access ("break the glass"): a coordinator opens a record
-- outside her scope for a limited time, stating why.
CREATE TABLE emergency_access (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    reason TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX emergency_access_user ON emergency_access(user_id, participant_id, expires_at);
