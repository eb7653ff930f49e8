-- Referrals between partners, a closed loop: who referred her to which
-- partner for what, the sharing consent it relies on, its state and the
-- last day of the receiving partner's answer time (counted in working days
-- when it was sent), and every step dated and attributed. Each partner's
-- agreed routine: its answer time and contact point.
CREATE TABLE referral_routines (
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    answer_days INTEGER NOT NULL,
    contact TEXT,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (partnership_id, organisation_id)
);

CREATE TABLE referrals (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    source TEXT NOT NULL,
    from_organisation_id BIGINT REFERENCES organisations(id),
    to_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    purpose TEXT NOT NULL,
    intervention_id BIGINT REFERENCES interventions(id),
    reason TEXT NOT NULL,
    asked TEXT NOT NULL,
    consent_id BIGINT REFERENCES consents(id),
    state TEXT NOT NULL,
    state_on TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    enrolment_id BIGINT REFERENCES enrolments(id),
    forwarded_to BIGINT REFERENCES referrals(id),
    forwarded_from BIGINT REFERENCES referrals(id),
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX referrals_to ON referrals(partnership_id, to_organisation_id, state, due_on);
CREATE INDEX referrals_from ON referrals(partnership_id, from_organisation_id, state, due_on);
CREATE INDEX referrals_participant ON referrals(participant_id, id);

CREATE TABLE referral_events (
    id {id},
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    state TEXT NOT NULL,
    on_date TEXT NOT NULL,
    reason TEXT,
    note TEXT,
    user_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX referral_events_referral ON referral_events(referral_id, id);
