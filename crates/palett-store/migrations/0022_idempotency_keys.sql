-- The answers to creating API requests sent with an `Idempotency-Key`
-- header, per user and key, so that a client that retries (after a
-- timeout, a dropped connection) gets the first answer instead of creating
-- the thing twice. `status` is NULL while the first request runs. Kept 24
-- hours (the answer may name a participant), then deleted.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users(id),
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status BIGINT,
    location TEXT,
    body TEXT,
    PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
