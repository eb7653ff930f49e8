-- Retention (gallring): a policy per partnership, a hold for records under
-- an archive rule, and when a participant was anonymised.
CREATE TABLE retention_policies (
    partnership_id BIGINT PRIMARY KEY REFERENCES partnerships(id),
    years_after_exit BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);
ALTER TABLE participants ADD COLUMN archive_hold BIGINT NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN anonymised_at BIGINT;
CREATE INDEX participants_exit ON participants(partnership_id, exit_date);
