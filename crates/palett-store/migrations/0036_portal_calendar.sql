-- Her calendar feed in the portal: the SHA-256 of the secret its address
-- holds, and when it was made. A new secret replaces the old; revoking
-- clears it.
ALTER TABLE portal_accounts ADD COLUMN calendar_hash TEXT;
ALTER TABLE portal_accounts ADD COLUMN calendar_made_at BIGINT;
CREATE INDEX portal_accounts_calendar ON portal_accounts (calendar_hash);
