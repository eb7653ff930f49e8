-- Attested time: a partner's coordinator signs each ended month of the
-- time recorded in the interventions her partner provides (attendance and
-- activities), as funders' time reports ask. The minutes attested are kept,
-- so a month whose time changed after it was signed shows as changed.
CREATE TABLE time_attestations (
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    attested_by BIGINT REFERENCES users(id),
    attested_at BIGINT NOT NULL,
    PRIMARY KEY (partnership_id, organisation_id, month)
);
