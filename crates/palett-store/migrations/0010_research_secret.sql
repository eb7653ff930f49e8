-- A server-held secret per partnership, combined with the evaluator's export
-- key, so research pseudonyms cannot be recomputed from the key alone.
ALTER TABLE partnerships ADD COLUMN research_secret TEXT;
