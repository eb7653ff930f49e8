-- Limits of API tokens (issue 17): a token may be read-only, limited to
-- named areas of the API (the OpenAPI tags, kept as ",area,area,"; empty:
-- every area), and it ends. Tokens made before this migration end one
-- year after they were made, the longest a new token may last (so one
-- older than a year has ended and must be replaced).
ALTER TABLE api_tokens ADD COLUMN read_only BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN areas TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = created_at + 31536000;
