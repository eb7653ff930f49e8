-- Restriction of processing (GDPR art. 18): the record is kept but not
-- processed further until the restriction is lifted.
ALTER TABLE participants ADD COLUMN processing_restricted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN restriction_reason TEXT;
