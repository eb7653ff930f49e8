-- Log review (loggkontroll): who reviewed which sample of reads, when, and
-- what they concluded.
CREATE TABLE log_reviews (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    reviewer_user_id BIGINT NOT NULL REFERENCES users(id),
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    sample TEXT NOT NULL,
    note TEXT NOT NULL,
    signed_at BIGINT NOT NULL
);
CREATE INDEX log_reviews_partnership ON log_reviews(partnership_id, id);
CREATE INDEX audit_log_action ON audit_log(partnership_id, action, at);
