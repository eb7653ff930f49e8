-- Attested time per participant (issue 16): her responsible caseworker
-- attests an ended month of her time digitally, instead of a signed paper.
-- The minutes attested are kept; an attested month is locked, and a later
-- change to its time needs a reason, kept as a correction.
CREATE TABLE month_attestations (
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    month TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    attested_by BIGINT REFERENCES users(id),
    attested_at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, month)
);

-- A change to the time of an attested month: why, by whom and when, and
-- the month's minutes before and after the change.
CREATE TABLE time_corrections (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    month TEXT NOT NULL,
    reason TEXT NOT NULL,
    minutes_before BIGINT NOT NULL,
    minutes_after BIGINT NOT NULL,
    corrected_by BIGINT REFERENCES users(id),
    corrected_at BIGINT NOT NULL
);
CREATE INDEX time_corrections_participant ON time_corrections (participant_id, month);
