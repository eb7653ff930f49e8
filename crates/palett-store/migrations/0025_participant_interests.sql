-- Her occupational interests (occupation areas) from the latest version of
-- her plan, rewritten with each version, so that matching finds who is
-- interested in an area without reading every plan.
CREATE TABLE participant_interests (
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    area TEXT NOT NULL,
    PRIMARY KEY (participant_id, area)
);
CREATE INDEX participant_interests_area ON participant_interests(area, participant_id);
