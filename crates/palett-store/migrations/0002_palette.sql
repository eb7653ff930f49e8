-- @note Per backend, a comment only: the first line of this migration as
-- @note applied on PostgreSQL began "(PostgreSQL)"; kept byte for byte.
-- @sqlite
-- The palette of interventions, individual plans, participation periods,
-- @postgres
-- (PostgreSQL) The palette of interventions, individual plans, participation periods,
-- @end
-- enrolments with waiting lists, groups, sessions, attendance and time.
-- Time is kept in whole minutes.
CREATE TABLE interventions (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    course_id BIGINT REFERENCES interventions(id),
    position BIGINT NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    provider_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    description TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '',
    capacity BIGINT,
    group_based BIGINT NOT NULL DEFAULT 0,
    project_id BIGINT REFERENCES projects(id),
    start_date TEXT,
    end_date TEXT,
    retired_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX interventions_partnership ON interventions(partnership_id, retired_on);
CREATE INDEX interventions_course ON interventions(course_id, position);

CREATE TABLE plan_versions (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    author_user_id BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (participant_id, version)
);

ALTER TABLE participants ADD COLUMN planned_end TEXT;
ALTER TABLE status_events ADD COLUMN pause_kind TEXT;

CREATE TABLE period_changes (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    planned_end TEXT NOT NULL,
    reason TEXT,
    author_user_id BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX period_changes_participant ON period_changes(participant_id, id);

CREATE TABLE activity_groups (
    id {id},
    intervention_id BIGINT NOT NULL REFERENCES interventions(id),
    name TEXT NOT NULL,
    leader_user_id BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX activity_groups_intervention ON activity_groups(intervention_id);

CREATE TABLE enrolments (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    intervention_id BIGINT NOT NULL REFERENCES interventions(id),
    group_id BIGINT REFERENCES activity_groups(id),
    status TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    reason TEXT,
    requested_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX enrolments_intervention ON enrolments(intervention_id, status, requested_at);
CREATE INDEX enrolments_participant ON enrolments(participant_id);
CREATE INDEX enrolments_group ON enrolments(group_id);

CREATE TABLE group_sessions (
    id {id},
    group_id BIGINT NOT NULL REFERENCES activity_groups(id),
    on_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    cancel_reason TEXT,
    moved_from TEXT
);
CREATE INDEX group_sessions_group ON group_sessions(group_id, on_date);
CREATE INDEX group_sessions_date ON group_sessions(on_date);

CREATE TABLE attendance (
    session_id BIGINT NOT NULL REFERENCES group_sessions(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    status TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, participant_id)
);
CREATE INDEX attendance_participant ON attendance(participant_id);

CREATE TABLE activity_records (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    intervention_id BIGINT NOT NULL REFERENCES interventions(id),
    on_date TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    note TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX activity_records_participant ON activity_records(participant_id, on_date);
CREATE INDEX activity_records_intervention ON activity_records(intervention_id);
