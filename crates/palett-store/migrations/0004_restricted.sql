-- The restricted field group: sensitive categories that only those who
-- need them may see, even when the rest of the record is visible.
ALTER TABLE participants ADD COLUMN health_notes TEXT;
ALTER TABLE participants ADD COLUMN support_needs TEXT;
ALTER TABLE participants ADD COLUMN protected_identity BIGINT NOT NULL DEFAULT 0;
