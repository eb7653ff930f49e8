-- TOTP second factor: the confirmed secret, a secret awaiting its first
-- code, and the last time step used (a code is accepted once). A
-- partnership may require it for staff who read sensitive data.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE partnerships ADD COLUMN require_second_factor BIGINT NOT NULL DEFAULT 0;
