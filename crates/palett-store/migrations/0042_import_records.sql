-- What an import of enrolments or time created (issue 17): the
-- enrolments, the groups they named that did not exist yet, and the time
-- recorded (with whose it is, a group no one's), so that undo removes
-- exactly these. No reference to the rows
-- themselves: an undone import keeps the ids it had created.
CREATE TABLE import_records (
    import_id BIGINT NOT NULL REFERENCES imports(id),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    participant_id BIGINT,
    PRIMARY KEY (import_id, entity, entity_id)
);
