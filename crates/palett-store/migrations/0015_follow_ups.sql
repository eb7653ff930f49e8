-- Follow-up after exit: scheduled 3 and 6 months after the exit; done
-- when her situation is recorded.
CREATE TABLE follow_ups (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    months_after BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    employment TEXT,
    studies TEXT,
    income_source TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT
);
CREATE UNIQUE INDEX follow_ups_participant ON follow_ups(participant_id, months_after);
-- The caseworkers' list of follow-ups due.
CREATE INDEX follow_ups_due ON follow_ups(due_on) WHERE done_on IS NULL;
