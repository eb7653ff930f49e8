-- Identity numbers and the restricted field group are stored sealed
-- (authenticated encryption, "enc1:" prefix) from now on; the keyed hash of
-- the identity number takes over uniqueness and exact-match search, since
-- sealed values differ even for the same number. Existing plaintext is
-- sealed by the application at start-up, where the key is.
ALTER TABLE participants ADD COLUMN identity_hash TEXT;
DROP INDEX participants_identity;
CREATE UNIQUE INDEX participants_identity_hash ON participants(partnership_id, identity_hash);

-- The fingerprint of the data key the database is sealed with, so a
-- different key is refused at start-up instead of mixing two keys.
CREATE TABLE data_key (
    id BIGINT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
