-- The version of the data the figures are computed from (issue 18). The
-- dashboards and funder reports are kept, once computed, until the data
-- changes; on SQLite every change (a `Change` unit of work) counts itself
-- here, in its own transaction, and a kept figure is given again only
-- while the count is the one it was computed at. PostgreSQL does not use
-- this row: there the version is the reading's own snapshot, because one
-- row that every writer updates would make the writers wait for each
-- other.
CREATE TABLE data_version (
    id BIGINT PRIMARY KEY,
    changes BIGINT NOT NULL
);
INSERT INTO data_version (id, changes) VALUES (1, 0);
