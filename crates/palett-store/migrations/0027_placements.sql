-- Placements: the internship or job a pipeline led to, under an
-- intervention of the palette, with the employer's supervisor, period,
-- weekly minutes and result; reviews with the employer; and the activity
-- records of its hours (which count in her time and the ESF+ hours like
-- any other activity) marked with the placement.
CREATE TABLE placements (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    proposal_id BIGINT NOT NULL REFERENCES proposals(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    intervention_id BIGINT NOT NULL REFERENCES interventions(id),
    supervisor_id BIGINT REFERENCES employer_contacts(id),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    minutes_per_week BIGINT,
    result TEXT,
    result_on TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX placements_proposal ON placements(proposal_id);
CREATE INDEX placements_participant ON placements(participant_id, id);

CREATE TABLE placement_reviews (
    id {id},
    placement_id BIGINT NOT NULL REFERENCES placements(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    attendance BIGINT NOT NULL,
    tasks BIGINT NOT NULL,
    swedish BIGINT NOT NULL,
    readiness BIGINT NOT NULL,
    comment TEXT,
    user_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX placement_reviews_placement ON placement_reviews(placement_id, id);

ALTER TABLE activity_records ADD COLUMN placement_id BIGINT REFERENCES placements(id);
CREATE INDEX activity_records_placement ON activity_records(placement_id);
