-- Self-assessment (självskattning): her own scores, 1 to 5, on a fixed set
-- of statements, at intake and along the way.
CREATE TABLE self_assessments (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    on_date TEXT NOT NULL,
    swedish BIGINT NOT NULL,
    health BIGINT NOT NULL,
    confidence BIGINT NOT NULL,
    work_readiness BIGINT NOT NULL,
    network BIGINT NOT NULL,
    everyday_life BIGINT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX self_assessments_participant ON self_assessments(participant_id, on_date);

-- Kept on her record, recounted whenever one is recorded: how many she has
-- made, and the change in total from her first to her latest.
ALTER TABLE participants ADD COLUMN self_assessments BIGINT NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN self_assessment_change BIGINT;
