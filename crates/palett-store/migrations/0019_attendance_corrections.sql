-- A correction of recorded attendance keeps what was recorded before, who
-- recorded it and when, and who changed it to what (issue: records people
-- can trust). Saving a sheet touches only the rows on it.
CREATE TABLE attendance_corrections (
    id {id},
    session_id BIGINT NOT NULL REFERENCES group_sessions(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    old_status TEXT NOT NULL,
    old_minutes BIGINT NOT NULL,
    old_recorded_by BIGINT REFERENCES users(id),
    old_recorded_at BIGINT NOT NULL,
    new_status TEXT NOT NULL,
    new_minutes BIGINT NOT NULL,
    corrected_by BIGINT REFERENCES users(id),
    corrected_at BIGINT NOT NULL
);
CREATE INDEX attendance_corrections_participant ON attendance_corrections(participant_id, id);
