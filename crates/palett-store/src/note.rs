//! Notes about a participant, and the profile's earlier versions.

use crate::row::*;
use crate::sealing::Sealer;
use crate::Result;
use jiff::Timestamp;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub participant_id: i64,
    pub author: String,
    pub organisation_id: i64,
    pub organisation: String,
    /// `own_organisation` or `shared`.
    pub visibility: String,
    pub body: String,
    pub created_at: Timestamp,
}

pub async fn insert(
    c: &mut AnyConnection,
    participant_id: i64,
    author: i64,
    organisation_id: i64,
    visibility: &str,
    body: &str,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO notes (participant_id, author_user_id, organisation_id, visibility, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(participant_id)
    .bind(author)
    .bind(organisation_id)
    .bind(visibility)
    .bind(body)
    .bind(now)
    .fetch_one(c)
    .await?;
    i64_(&row, "id")
}

const NOTE_COLUMNS: &str = "n.id, n.participant_id, COALESCE(u.display_name, '') AS author, \
     n.organisation_id, o.name AS organisation, n.visibility, n.body, n.created_at FROM notes n \
     LEFT JOIN users u ON u.id = n.author_user_id JOIN organisations o ON o.id = n.organisation_id";

fn note(r: &sqlx::any::AnyRow) -> Result<Note> {
    Ok(Note {
        id: i64_(r, "id")?,
        participant_id: i64_(r, "participant_id")?,
        author: text(r, "author")?,
        organisation_id: i64_(r, "organisation_id")?,
        organisation: text(r, "organisation")?,
        visibility: text(r, "visibility")?,
        body: text(r, "body")?,
        created_at: moment(r, "created_at")?,
    })
}

/// The notes a caller of `organisation_id` may read: her organisation's,
/// and those shared. Newest first.
pub async fn visible(
    c: &mut AnyConnection,
    participant_id: i64,
    organisation_id: i64,
) -> Result<Vec<Note>> {
    sqlx::query(&format!(
        "SELECT {NOTE_COLUMNS} \
         WHERE n.participant_id = $1 AND (n.organisation_id = $2 OR n.visibility = 'shared') \
         ORDER BY n.id DESC LIMIT 1000"
    ))
    .bind(participant_id)
    .bind(organisation_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(note)
    .collect()
}

/// The notes a referral carries, oldest first.
pub async fn attached_to_referral(c: &mut AnyConnection, referral_id: i64) -> Result<Vec<Note>> {
    sqlx::query(&format!(
        "SELECT {NOTE_COLUMNS} JOIN referral_notes rn ON rn.note_id = n.id \
         WHERE rn.referral_id = $1 ORDER BY n.id LIMIT 100"
    ))
    .bind(referral_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(note)
    .collect()
}

/// Keep the profile as it was before a change.
/// The profile snapshots hold the identity number and the restricted
/// fields, so each is sealed whole.
const SNAPSHOT: &str = "participant_versions.profile";

/// Keep the profile as it was before a change (sealed).
pub async fn insert_version(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    participant_id: i64,
    version: i64,
    profile: &str,
    by: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO participant_versions (participant_id, version, profile, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(participant_id)
    .bind(version)
    .bind(s.seal(SNAPSHOT, profile)?)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// An earlier version of a participant's profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileVersion {
    pub version: i64,
    /// The profile as it was, JSON (opened from its sealed form).
    pub profile: String,
    /// Who changed it (display name; empty if the account is gone).
    pub changed_by: String,
    pub changed_at: Timestamp,
}

/// Earlier versions of the profile, newest first.
pub async fn versions(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    participant_id: i64,
) -> Result<Vec<ProfileVersion>> {
    sqlx::query(
        "SELECT v.version, v.profile, COALESCE(u.display_name, '') AS by_name, v.changed_at \
         FROM participant_versions v LEFT JOIN users u ON u.id = v.changed_by \
         WHERE v.participant_id = $1 ORDER BY v.version DESC LIMIT 500",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(ProfileVersion {
            version: i64_(r, "version")?,
            profile: s.open(SNAPSHOT, &text(r, "profile")?)?,
            changed_by: text(r, "by_name")?,
            changed_at: moment(r, "changed_at")?,
        })
    })
    .collect()
}

/// Seal the profile snapshots still stored in clear; returns how many.
pub(crate) async fn seal_legacy_versions(c: &mut AnyConnection, s: &dyn Sealer) -> Result<u64> {
    let rows = sqlx::query(
        "SELECT participant_id, version, profile FROM participant_versions \
         WHERE profile NOT LIKE 'enc1:%'",
    )
    .fetch_all(&mut *c)
    .await?;
    for r in &rows {
        sqlx::query(
            "UPDATE participant_versions SET profile = $1 WHERE participant_id = $2 AND version = $3",
        )
        .bind(s.seal(SNAPSHOT, &text(r, "profile")?)?)
        .bind(i64_(r, "participant_id")?)
        .bind(i64_(r, "version")?)
        .execute(&mut *c)
        .await?;
    }
    Ok(rows.len() as u64)
}
