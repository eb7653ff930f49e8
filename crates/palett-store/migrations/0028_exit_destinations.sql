-- Where an exit to a job or studies led: the employer and the placement
-- that led there (an exit to employment), or the school (an exit to
-- studies). Cleared when she is reopened. And when an opening was filled.
ALTER TABLE participants ADD COLUMN exit_employer_id BIGINT REFERENCES employers(id);
ALTER TABLE participants ADD COLUMN exit_placement_id BIGINT REFERENCES placements(id);
ALTER TABLE participants ADD COLUMN exit_school TEXT;
CREATE INDEX participants_exit_placement ON participants(exit_placement_id);

-- The day an opening was marked filled (cleared when it opens again or is
-- closed), for the indicator "openings filled" within a period.
ALTER TABLE openings ADD COLUMN filled_on TEXT;
CREATE INDEX openings_filled ON openings(partnership_id, filled_on);

-- A placement's kind (its opening's: internship, job, study visit, work
-- training), kept on the placement so the indicators on internships and
-- jobs read one table.
ALTER TABLE placements ADD COLUMN kind TEXT;
UPDATE placements SET kind = (SELECT o.kind FROM proposals r JOIN openings o ON o.id = r.opening_id
    WHERE r.id = placements.proposal_id);
CREATE INDEX placements_kind ON placements(participant_id, kind, start_date);
