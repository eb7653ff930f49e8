//! Organisations, partnerships and memberships.

use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::model::{Membership, Organisation, Partnership};
use palett_domain::values::OrganisationKind;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

fn organisation(r: &AnyRow) -> Result<Organisation> {
    Ok(Organisation {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        kind: vocab(r, "kind", OrganisationKind::parse)?,
        org_number: opt_text(r, "org_number")?,
    })
}

pub async fn insert_organisation(
    c: &mut AnyConnection,
    name: &str,
    kind: OrganisationKind,
    org_number: Option<&str>,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (name, kind, org_number, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(kind.as_str())
    .bind(org_number)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn organisation_by_id(c: &mut AnyConnection, id: i64) -> Result<Option<Organisation>> {
    sqlx::query("SELECT id, name, kind, org_number FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(organisation)
        .transpose()
}

/// All organisations, by name (a partnership has a handful; admins see all).
pub async fn list_organisations(c: &mut AnyConnection) -> Result<Vec<Organisation>> {
    sqlx::query("SELECT id, name, kind, org_number FROM organisations ORDER BY name, id LIMIT 1000")
        .fetch_all(c)
        .await?
        .iter()
        .map(organisation)
        .collect()
}

pub async fn insert_partnership(
    c: &mut AnyConnection,
    name: &str,
    vision: &str,
    start: Date,
    end: Option<Date>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO partnerships (name, vision, start_date, end_date) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(vision)
    .bind(start.to_string())
    .bind(end.map(|d| d.to_string()))
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn partnership_by_id(c: &mut AnyConnection, id: i64) -> Result<Option<Partnership>> {
    let row = sqlx::query(
        "SELECT id, name, vision, start_date, end_date, require_second_factor FROM partnerships WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?;
    row.map(|r| {
        Ok(Partnership {
            id: i64_(&r, "id")?,
            name: text(&r, "name")?,
            vision: text(&r, "vision")?,
            start_date: date(&r, "start_date")?,
            end_date: opt_date(&r, "end_date")?,
            require_second_factor: flag(&r, "require_second_factor")?,
        })
    })
    .transpose()
}

pub async fn set_require_second_factor(
    c: &mut AnyConnection,
    partnership_id: i64,
    required: bool,
) -> Result<()> {
    sqlx::query("UPDATE partnerships SET require_second_factor = $1 WHERE id = $2")
        .bind(i64::from(required))
        .bind(partnership_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn insert_membership(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
    joined_on: Date,
    left_on: Option<Date>,
    responsibility_areas: &[String],
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO memberships (partnership_id, organisation_id, joined_on, left_on, responsibility_areas) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(partnership_id)
    .bind(organisation_id)
    .bind(joined_on.to_string())
    .bind(left_on.map(|d| d.to_string()))
    .bind(responsibility_areas.join("\n"))
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Every membership period of a partnership, current and past.
pub async fn memberships(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<Membership>> {
    sqlx::query(
        "SELECT m.id, m.partnership_id, m.organisation_id, o.name, o.kind, m.joined_on, m.left_on, \
         m.responsibility_areas FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.partnership_id = $1 ORDER BY o.name, m.joined_on",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Membership {
            id: i64_(r, "id")?,
            partnership_id: i64_(r, "partnership_id")?,
            organisation_id: i64_(r, "organisation_id")?,
            organisation_name: text(r, "name")?,
            organisation_kind: vocab(r, "kind", OrganisationKind::parse)?,
            joined_on: date(r, "joined_on")?,
            left_on: opt_date(r, "left_on")?,
            responsibility_areas: text(r, "responsibility_areas")?
                .lines()
                .map(str::to_string)
                .filter(|s| !s.is_empty())
                .collect(),
        })
    })
    .collect()
}

/// Whether the organisation has ever been a member of the partnership.
pub async fn is_member(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE partnership_id = $1 AND organisation_id = $2",
    )
    .bind(partnership_id)
    .bind(organisation_id)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

/// The organisation's membership periods of the partnership (joined, left).
pub async fn periods_of(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
) -> Result<Vec<(Date, Option<Date>)>> {
    sqlx::query(
        "SELECT joined_on, left_on FROM memberships WHERE partnership_id = $1 AND organisation_id = $2",
    )
    .bind(partnership_id)
    .bind(organisation_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((date(r, "joined_on")?, opt_date(r, "left_on")?)))
    .collect()
}

/// One membership period of the partnership.
pub async fn membership_by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<Membership>> {
    Ok(memberships(c, partnership_id)
        .await?
        .into_iter()
        .find(|m| m.id == id))
}

/// Close an open membership period on `left_on`.
pub async fn end_membership(c: &mut AnyConnection, id: i64, left_on: Date) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE memberships SET left_on = $1 WHERE id = $2 AND left_on IS NULL")
            .bind(left_on.to_string())
            .bind(id)
            .execute(c)
            .await?
            .rows_affected()
            == 1,
    )
}
