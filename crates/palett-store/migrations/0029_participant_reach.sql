-- The municipalities she can get to for work, from the latest version of
-- her plan, rewritten with each version: each name as her plan spells it
-- and its key (trimmed, in lower case), which matching compares with the
-- key of an employer's municipality without reading every plan.
CREATE TABLE participant_reach (
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    place_key TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (participant_id, place_key)
);
