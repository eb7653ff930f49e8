//! Encryption at rest for the columns that hold a personal identity number
//! or the restricted field group. The store decides *which* columns are
//! sealed; the cipher itself lives with the caller (palett-app holds the key
//! from configuration) behind [`Sealer`], so this crate stays SQL only.
//!
//! A sealed value is text that starts with [`SEALED_PREFIX`]; anything else
//! is a legacy plaintext value, still readable, and sealed again by
//! [`crate::participant::seal_legacy`] at start-up.

use crate::row::text;
use crate::{Result, StoreError};
use sqlx::AnyConnection;

/// The prefix of every sealed value (format version 1).
pub const SEALED_PREFIX: &str = "enc1:";

/// Seals and opens column values, and computes the keyed hash that stands
/// in for a personal identity number wherever the database must compare it
/// (uniqueness, exact-match search).
pub trait Sealer: Send + Sync {
    /// `plain` encrypted and authenticated for `column`; starts with
    /// [`SEALED_PREFIX`].
    fn seal(&self, column: &str, plain: &str) -> Result<String>;
    /// The plaintext of a stored value: opened when sealed, as it is when
    /// legacy plaintext. Fails when the value was sealed under another key
    /// or for another column, or has been altered.
    fn open(&self, column: &str, stored: &str) -> Result<String>;
    /// A keyed hash of a normalised identity number within one partnership
    /// (the same person in two partnerships gets unrelated hashes).
    fn identity_hash(&self, partnership_id: i64, number: &str) -> String;
    /// A fingerprint of the key, stored once, so that starting with a
    /// different key is refused instead of writing under two keys.
    fn fingerprint(&self) -> String;
}

/// Whether a stored value is already sealed.
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(SEALED_PREFIX)
}

pub(crate) fn seal_opt(s: &dyn Sealer, column: &str, v: Option<&str>) -> Result<Option<String>> {
    v.map(|v| s.seal(column, v)).transpose()
}

pub(crate) fn open_opt(s: &dyn Sealer, column: &str, v: Option<String>) -> Result<Option<String>> {
    v.map(|v| s.open(column, &v)).transpose()
}

/// Record the key's fingerprint on first use; refuse a key whose
/// fingerprint differs from the recorded one.
pub async fn check_key(c: &mut AnyConnection, s: &dyn Sealer) -> Result<()> {
    let ours = s.fingerprint();
    let stored = sqlx::query("SELECT fingerprint FROM data_key WHERE id = 1")
        .fetch_optional(&mut *c)
        .await?;
    match stored {
        Some(r) if text(&r, "fingerprint")? == ours => Ok(()),
        Some(_) => Err(StoreError::Sealing(
            "the data key is not the one this database was sealed with".into(),
        )),
        None => {
            sqlx::query("INSERT INTO data_key (id, fingerprint) VALUES (1, $1)")
                .bind(ours)
                .execute(&mut *c)
                .await?;
            Ok(())
        }
    }
}

/// Whether a key's fingerprint is recorded: the database has been sealed
/// with a key, and a missing key must not be replaced by a new one.
pub async fn key_recorded(c: &mut AnyConnection) -> Result<bool> {
    Ok(sqlx::query("SELECT fingerprint FROM data_key WHERE id = 1")
        .fetch_optional(&mut *c)
        .await?
        .is_some())
}
