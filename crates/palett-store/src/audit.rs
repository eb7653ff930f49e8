//! The audit log: append-only (the schema's triggers refuse UPDATE and
//! DELETE; this module has no such path). Rows are written inside the
//! transaction of the change they record, so a failed audit write fails the
//! change.

use crate::row::*;
use crate::Result;
use jiff::Timestamp;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry<'a> {
    pub at: i64,
    pub user_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub roles: &'a str,
    pub partnership_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub ip: &'a str,
}

pub async fn append(c: &mut AnyConnection, e: &NewEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, organisation_id, roles, partnership_id, action, entity, \
         entity_id, participant_id, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(e.at)
    .bind(e.user_id)
    .bind(e.organisation_id)
    .bind(e.roles)
    .bind(e.partnership_id)
    .bind(e.action)
    .bind(e.entity)
    .bind(e.entity_id)
    .bind(e.participant_id)
    .bind(e.ip)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: Timestamp,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub organisation_name: Option<String>,
    pub roles: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub ip: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub participant_id: Option<i64>,
    pub user_id: Option<i64>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub to: Option<i64>,
}

/// Newest first, one page; also the total that match.
pub async fn list(
    c: &mut AnyConnection,
    partnership_id: i64,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Entry>, i64)> {
    // Fixed placeholders; a NULL argument switches its filter off.
    let cond = "a.partnership_id = $1 AND ($2 IS NULL OR a.participant_id = $2) \
                AND ($3 IS NULL OR a.user_id = $3) AND ($4 IS NULL OR a.at >= $4) \
                AND ($5 IS NULL OR a.at < $5)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM audit_log a WHERE {cond}"))
        .bind(partnership_id)
        .bind(f.participant_id)
        .bind(f.user_id)
        .bind(f.from)
        .bind(f.to)
        .fetch_one(&mut *c)
        .await?;
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.at, a.user_id, u.display_name, o.name AS org_name, a.roles, a.action, a.entity, \
         a.entity_id, a.participant_id, a.ip FROM audit_log a \
         LEFT JOIN users u ON u.id = a.user_id LEFT JOIN organisations o ON o.id = a.organisation_id \
         WHERE {cond} ORDER BY a.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(partnership_id)
    .bind(f.participant_id)
    .bind(f.user_id)
    .bind(f.from)
    .bind(f.to)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *c)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Entry {
                id: i64_(r, "id")?,
                at: moment(r, "at")?,
                user_id: opt_i64(r, "user_id")?,
                user_name: opt_text(r, "display_name")?,
                organisation_name: opt_text(r, "org_name")?,
                roles: text(r, "roles")?,
                action: text(r, "action")?,
                entity: text(r, "entity")?,
                entity_id: opt_i64(r, "entity_id")?,
                participant_id: opt_i64(r, "participant_id")?,
                ip: text(r, "ip")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((items, total))
}
