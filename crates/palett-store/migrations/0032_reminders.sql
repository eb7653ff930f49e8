-- Reminders. The in-app inbox: a message to a user about a referral that
-- came to her partner or that her partner's answer moved on; it names the
-- other partner and the referral, never the woman. Read when she opens it.
CREATE TABLE inbox_messages (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users(id),
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    kind TEXT NOT NULL,
    referral_id BIGINT REFERENCES referrals(id),
    other_organisation_id BIGINT REFERENCES organisations(id),
    state TEXT,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX inbox_messages_user ON inbox_messages (user_id, read_at);

-- The daily e-mail digest: off unless the user turns it on, and the days
-- one went out to her (at most one a day).
ALTER TABLE users ADD COLUMN daily_digest BIGINT NOT NULL DEFAULT 0;
CREATE TABLE digests_sent (
    user_id BIGINT NOT NULL REFERENCES users(id),
    day TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- A user's calendar feed of her sessions: the hash of the secret its
-- address holds. Revoking deletes the row; a new secret replaces it.
CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- Her groups' sessions by day: the worklist and the calendar read them.
CREATE INDEX activity_groups_leader ON activity_groups (leader_user_id);
