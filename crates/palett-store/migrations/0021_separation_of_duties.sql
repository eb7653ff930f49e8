-- A password set by an administrator (or the operator) must be changed by
-- its user at her next sign-in.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- A role that reads participant data, given by one administrator, waits
-- for another administrator's approval. approved: NULL while pending,
-- 1 approved, 0 rejected.
CREATE TABLE role_requests (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users(id),
    requested_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    approved BIGINT
);
CREATE INDEX role_requests_partnership ON role_requests(partnership_id, decided_at);
