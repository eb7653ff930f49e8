-- The employer registry, shared by the partnership: employers with their
-- organisation number (one employer per number and partnership), industry
-- (SNI 2007 section), place, and the partner organisation that owns the
-- relation; their contact people (business contact data only); and the log
-- of contacts with them.
CREATE TABLE employers (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    name TEXT NOT NULL,
    -- The name in lower case, for searching alike on both databases.
    search_name TEXT NOT NULL,
    org_number TEXT NOT NULL,
    industry TEXT NOT NULL,
    municipality TEXT NOT NULL,
    address TEXT,
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    inactive_since TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX employers_org_number ON employers(partnership_id, org_number);
CREATE INDEX employers_name ON employers(partnership_id, search_name);

CREATE TABLE employer_contacts (
    id {id},
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    name TEXT NOT NULL,
    title TEXT,
    phone TEXT,
    email TEXT
);
CREATE INDEX employer_contacts_employer ON employer_contacts(employer_id, id);

CREATE TABLE employer_contact_log (
    id {id},
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    contact_person_id BIGINT REFERENCES employer_contacts(id),
    summary TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX employer_contact_log_employer ON employer_contact_log(employer_id, on_date, id);
