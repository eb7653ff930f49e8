-- The notes she agreed to share that a referral carries to the receiving
-- partner.
CREATE TABLE referral_notes (
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    note_id BIGINT NOT NULL REFERENCES notes(id),
    PRIMARY KEY (referral_id, note_id)
);
