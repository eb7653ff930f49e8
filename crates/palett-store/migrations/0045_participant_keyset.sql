-- The participant list pages by keyset (issue 18): a page is found by
-- walking this index from the last participant of the page before, in
-- name order with the id last, so that the page's depth costs nothing and
-- two women of the same name keep their order on both databases. The
-- responsible organisation rides along, so that the commonest scope (her
-- own organisation's participants) is decided from the index alone while
-- the walk and the bounded count go through it.
DROP INDEX participants_partnership_name;
CREATE INDEX participants_partnership_name_id
    ON participants(partnership_id, family_name, given_name, id, responsible_organisation_id);
