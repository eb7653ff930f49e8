-- Events for other systems (issue 17): a partnership's webhook endpoints,
-- the durable outbox of their deliveries, written in the same transaction
-- as the change they tell of, and every attempt made to deliver one.
-- The secret is sealed under the data key; kinds are kept as
-- ",kind,kind," so that one LIKE picks the endpoints of a kind.
CREATE TABLE webhook_endpoints (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    url TEXT NOT NULL,
    description TEXT,
    secret TEXT NOT NULL,
    kinds TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    deactivated_at BIGINT
);
CREATE INDEX webhook_endpoints_partnership ON webhook_endpoints (partnership_id, active);

-- One row per event and endpoint: the payload is made from its columns
-- (ids, kind, time; never personal data). Status: pending (waiting for
-- next_attempt_at), delivered or failed (given up).
CREATE TABLE webhook_outbox (
    id {id},
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints(id),
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    occurred_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_status_code BIGINT,
    last_error TEXT,
    delivered_at BIGINT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
CREATE INDEX webhook_outbox_endpoint ON webhook_outbox (endpoint_id, id);

-- Each attempt: when, and the HTTP status or the error.
CREATE TABLE webhook_attempts (
    id {id},
    delivery_id BIGINT NOT NULL REFERENCES webhook_outbox(id),
    attempted_at BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
