-- A follow-up closed because she could not be reached (issue 16): the day
-- it was tried and a short note of what was tried. A follow-up is open
-- while both done_on and not_reached_on are empty; recording it done later
-- clears these. Rows already done stay done (she was reached).
ALTER TABLE follow_ups ADD COLUMN not_reached_on TEXT;
ALTER TABLE follow_ups ADD COLUMN not_reached_note TEXT;
-- The list of follow-ups due leaves out those closed as not reached.
DROP INDEX follow_ups_due;
CREATE INDEX follow_ups_due ON follow_ups(due_on) WHERE done_on IS NULL AND not_reached_on IS NULL;
