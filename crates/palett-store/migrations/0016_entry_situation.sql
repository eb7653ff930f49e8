-- Her situation when she entered, for before/after and ESF+ reports; each
-- may be unknown.
ALTER TABLE participants ADD COLUMN entry_labour_status TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE participants ADD COLUMN entry_income_source TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE participants ADD COLUMN entry_months_on_support BIGINT;
