-- palett foundation schema ({backend}). Dates are ISO text (YYYY-MM-DD),
-- moments are Unix seconds, flags are 0/1: the same on both databases.
CREATE TABLE organisations (
    id {id},
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    org_number TEXT UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE partnerships (
    id {id},
    name TEXT NOT NULL,
    vision TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT
);

CREATE TABLE memberships (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    joined_on TEXT NOT NULL,
    left_on TEXT,
    responsibility_areas TEXT NOT NULL DEFAULT ''
);
CREATE INDEX memberships_partnership ON memberships(partnership_id, organisation_id);

CREATE TABLE projects (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    name TEXT NOT NULL,
    funder TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    participant_target BIGINT,
    job_or_studies_target_permille BIGINT
);
CREATE INDEX projects_partnership ON projects(partnership_id);

CREATE TABLE users (
    id {id},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_organisation ON users(organisation_id);

CREATE TABLE role_grants (
    user_id BIGINT NOT NULL REFERENCES users(id),
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, partnership_id, role)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_attempts (
    id {id},
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL,
    success BIGINT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts(email, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);

CREATE TABLE participants (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    identity_kind TEXT NOT NULL,
    identity_number TEXT,
    birth_date TEXT NOT NULL,
    gender TEXT NOT NULL,
    country_of_birth TEXT,
    arrival_year BIGINT,
    languages TEXT NOT NULL DEFAULT '',
    interpreter_needed BIGINT NOT NULL DEFAULT 0,
    phone TEXT,
    email TEXT,
    address TEXT,
    education_level TEXT NOT NULL,
    swedish_level TEXT NOT NULL,
    referral_source TEXT NOT NULL,
    responsible_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    referred_on TEXT NOT NULL,
    intake_date TEXT,
    exit_date TEXT,
    exit_outcome TEXT,
    last_change_on TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX participants_partnership_name ON participants(partnership_id, family_name, given_name);
CREATE INDEX participants_partnership_status ON participants(partnership_id, status);
CREATE INDEX participants_responsible ON participants(responsible_organisation_id);
CREATE UNIQUE INDEX participants_identity ON participants(partnership_id, identity_number);

CREATE TABLE participant_caseworkers (
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (participant_id, user_id)
);
CREATE INDEX participant_caseworkers_user ON participant_caseworkers(user_id);

CREATE TABLE participant_projects (
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    project_id BIGINT NOT NULL REFERENCES projects(id),
    PRIMARY KEY (participant_id, project_id)
);
CREATE INDEX participant_projects_project ON participant_projects(project_id);

CREATE TABLE status_events (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    on_date TEXT NOT NULL,
    reason TEXT,
    exit_outcome TEXT,
    actor_user_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX status_events_participant ON status_events(participant_id, id);

CREATE TABLE audit_log (
    id {id},
    at BIGINT NOT NULL,
    user_id BIGINT,
    organisation_id BIGINT,
    roles TEXT NOT NULL,
    partnership_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    participant_id BIGINT,
    ip TEXT NOT NULL
);
CREATE INDEX audit_log_partnership_at ON audit_log(partnership_id, id);
CREATE INDEX audit_log_participant ON audit_log(participant_id, id);
CREATE INDEX audit_log_user ON audit_log(user_id, id);

-- @note Per backend: the audit log refuses change in each dialect's own
-- @note trigger form. SQLite raises from a trigger body per statement kind;
-- @note PostgreSQL's triggers call a PL/pgSQL function, and it also refuses
-- @note TRUNCATE, which SQLite does not have.
-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- @postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- @end
