-- Shared goals (målbild): an indicator of the library with a target over a
-- period, for the whole partnership (project_id NULL) or one project.
CREATE TABLE goals (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    project_id BIGINT REFERENCES projects(id),
    indicator TEXT NOT NULL,
    -- The target in thousandths (20 % is 20000; 360 participants 360000).
    target_milli BIGINT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX goals_partnership ON goals(partnership_id, project_id);
-- The pauses the indicators net out, found per participant.
CREATE INDEX status_events_kind ON status_events(kind, participant_id);
