-- Openings: what an employer of the registry offers (an internship, a job,
-- a study visit, work training), with its occupation (an SSYK 2012 unit
-- group and, for filtering, its occupation area), places, period and weekly
-- minutes, requirements, status and the responsible partner.
CREATE TABLE openings (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    kind TEXT NOT NULL,
    employment_form TEXT,
    title TEXT NOT NULL,
    search_title TEXT NOT NULL,
    ssyk TEXT NOT NULL,
    area TEXT NOT NULL,
    places BIGINT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    minutes_per_week BIGINT,
    swedish_level TEXT,
    driving_licence BIGINT NOT NULL DEFAULT 0,
    physical_demands TEXT,
    working_hours TEXT,
    place TEXT,
    description TEXT,
    status TEXT NOT NULL,
    responsible_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX openings_partnership ON openings(partnership_id, status, kind, area);
CREATE INDEX openings_employer ON openings(employer_id, id);
