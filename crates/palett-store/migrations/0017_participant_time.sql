-- Each participant's attendance and time, kept per project (project_key is
-- the project's id, 0 for ordinary operations) and recounted in the same
-- transaction as the attendance or activity that changes them, so that
-- attendance rate and hours per participant read one row per participant
-- instead of millions of attendance rows.
CREATE TABLE participant_time (
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    project_key BIGINT NOT NULL,
    present_sessions BIGINT NOT NULL,
    recorded_sessions BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    PRIMARY KEY (participant_id, project_key)
);

INSERT INTO participant_time (participant_id, project_key, present_sessions, recorded_sessions, minutes)
SELECT t.participant_id, t.project_key, SUM(t.present), SUM(t.recorded), SUM(t.minutes) FROM (
    SELECT a.participant_id, COALESCE(i.project_id, 0) AS project_key,
           CASE WHEN a.status = 'present' THEN 1 ELSE 0 END AS present, 1 AS recorded,
           CASE WHEN a.status = 'present' THEN a.minutes ELSE 0 END AS minutes
    FROM attendance a JOIN group_sessions s ON s.id = a.session_id AND s.status = 'scheduled'
    JOIN activity_groups g ON g.id = s.group_id JOIN interventions i ON i.id = g.intervention_id
    UNION ALL
    SELECT r.participant_id, COALESCE(i.project_id, 0), 0, 0, r.minutes
    FROM activity_records r JOIN interventions i ON i.id = r.intervention_id
) t GROUP BY t.participant_id, t.project_key;

-- The day her first individual plan was written (for "share with a plan
-- within N days of intake").
ALTER TABLE participants ADD COLUMN first_plan_on TEXT;
UPDATE participants SET first_plan_on = (
-- @note Per backend: Unix seconds to an ISO date has no common spelling
-- @note (SQLite's date(..., 'unixepoch') gives the UTC day, PostgreSQL
-- @note formats the Stockholm day), and PostgreSQL lacks julianday(), which
-- @note the participant filters call, so it gets a function of that name.
-- @sqlite
    SELECT date(MIN(v.created_at), 'unixepoch') FROM plan_versions v WHERE v.participant_id = participants.id);
-- @postgres
    SELECT to_char(to_timestamp(MIN(v.created_at)) AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD')
    FROM plan_versions v WHERE v.participant_id = participants.id);

-- SQLite's julianday() for ISO dates, so that one statement counts days
-- between two dates on both databases.
CREATE FUNCTION julianday(d TEXT) RETURNS DOUBLE PRECISION
    LANGUAGE SQL IMMUTABLE STRICT
    AS $$ SELECT ((d::date - DATE '2000-01-01') + 2451544.5)::double precision $$;
-- @end
