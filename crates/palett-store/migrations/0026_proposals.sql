-- A participant's pipeline for one opening (one per pair: proposed, she
-- agrees or declines, presented to the employer, interview, placed or not)
-- with its current stage, and every step dated and attributed.
CREATE TABLE proposals (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    opening_id BIGINT NOT NULL REFERENCES openings(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    stage TEXT NOT NULL,
    stage_on TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX proposals_pair ON proposals(opening_id, participant_id);
CREATE INDEX proposals_participant ON proposals(participant_id, id);

CREATE TABLE proposal_steps (
    id {id},
    proposal_id BIGINT NOT NULL REFERENCES proposals(id),
    stage TEXT NOT NULL,
    on_date TEXT NOT NULL,
    reason TEXT,
    note TEXT,
    user_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX proposal_steps_proposal ON proposal_steps(proposal_id, id);
