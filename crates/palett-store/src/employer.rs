//! The employer registry: employers, their contact people and the log of
//! contacts with them. Every function takes the partnership (or an
//! employer the caller already found in it), so no statement reaches
//! another partnership's registry.

use crate::participant::{counted, counted_page, Arg, Sql};
use crate::row::*;
use crate::Result;
use palett_domain::employer::{
    ContactEntry, ContactEntrySpec, ContactKind, ContactPerson, ContactPersonSpec, Employer,
    EmployerSpec, Industry,
};
use palett_domain::indicators::Period;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

/// Which employers a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmployerFilter {
    /// A part of the name or of the organisation number.
    pub q: Option<String>,
    pub industry: Option<Industry>,
    /// Inactive employers too (by default only active ones).
    pub include_inactive: bool,
    /// Only those active with the partnership within this period: a
    /// contact logged, or a placement running (the indicator "active
    /// employers"; registered-inactive ones too).
    pub active_in: Option<Period>,
}

const COLUMNS: &str = "e.id, e.partnership_id, e.name, e.org_number, e.industry, \
                       e.municipality, e.address, e.owner_organisation_id, \
                       o.name AS owner_name, e.inactive_since";

const FROM: &str = "FROM employers e JOIN organisations o ON o.id = e.owner_organisation_id";

fn employer(r: &AnyRow) -> Result<Employer> {
    Ok(Employer {
        id: i64_(r, "id")?,
        partnership_id: i64_(r, "partnership_id")?,
        name: text(r, "name")?,
        org_number: text(r, "org_number")?,
        industry: vocab(r, "industry", Industry::parse)?,
        municipality: text(r, "municipality")?,
        address: opt_text(r, "address")?,
        owner_organisation_id: i64_(r, "owner_organisation_id")?,
        owner_name: text(r, "owner_name")?,
        inactive_since: opt_date(r, "inactive_since")?,
    })
}

fn search_name(name: &str) -> String {
    name.to_lowercase()
}

pub async fn insert(
    c: &mut AnyConnection,
    partnership_id: i64,
    v: &EmployerSpec,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO employers (partnership_id, name, search_name, org_number, industry, \
         municipality, address, owner_organisation_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(partnership_id)
    .bind(&v.name)
    .bind(search_name(&v.name))
    .bind(v.org_number.as_str())
    .bind(v.industry.as_str())
    .bind(&v.municipality)
    .bind(v.address.as_deref())
    .bind(v.owner_organisation_id)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Change an employer of the partnership; `false` when it has none by `id`.
pub async fn update(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
    v: &EmployerSpec,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE employers SET name = $1, search_name = $2, org_number = $3, industry = $4, \
         municipality = $5, address = $6, owner_organisation_id = $7 \
         WHERE id = $8 AND partnership_id = $9",
    )
    .bind(&v.name)
    .bind(search_name(&v.name))
    .bind(v.org_number.as_str())
    .bind(v.industry.as_str())
    .bind(&v.municipality)
    .bind(v.address.as_deref())
    .bind(v.owner_organisation_id)
    .bind(id)
    .bind(partnership_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The municipalities the partnership's active employers are in, each
/// spelling once, alphabetically (at most `limit`).
pub async fn municipalities(
    c: &mut AnyConnection,
    partnership_id: i64,
    limit: i64,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT municipality FROM employers \
         WHERE partnership_id = $1 AND inactive_since IS NULL ORDER BY municipality LIMIT $2",
    )
    .bind(partnership_id)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// Mark an employer inactive from `since`, or active again (`None`).
pub async fn set_inactive_since(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
    since: Option<jiff::civil::Date>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE employers SET inactive_since = $1 WHERE id = $2 AND partnership_id = $3",
    )
    .bind(since.map(|d| d.to_string()))
    .bind(id)
    .bind(partnership_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<Employer>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE e.id = $1 AND e.partnership_id = $2"
    ))
    .bind(id)
    .bind(partnership_id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(employer)
    .transpose()
}

/// The employer of the partnership registered under `org_number`
/// (`NNNNNN-NNNN`), if any.
pub async fn id_by_org_number(
    c: &mut AnyConnection,
    partnership_id: i64,
    org_number: &str,
) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT id FROM employers WHERE partnership_id = $1 AND org_number = $2",
        )
        .bind(partnership_id)
        .bind(org_number)
        .fetch_optional(c)
        .await?,
    )
}

/// The conditions of `f` on `employers e`.
fn filter(partnership_id: i64, f: &EmployerFilter) -> Sql {
    let mut w = Sql::new("e.partnership_id = $1", Arg::Int(partnership_id));
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.push(
            |n| {
                format!(
                    "(e.search_name LIKE ${n} ESCAPE '\\' OR e.org_number LIKE ${n} ESCAPE '\\')"
                )
            },
            Arg::Text(like_contains(&q.to_lowercase())),
        );
    }
    if let Some(i) = f.industry {
        w.push(
            |n| format!("e.industry = ${n}"),
            Arg::Text(i.as_str().into()),
        );
    }
    if let Some(p) = f.active_in {
        let start = w.arg(Arg::Text(p.start.to_string()));
        let end = w.arg(Arg::Text(p.end.to_string()));
        w.clauses.push(format!(
            "(EXISTS (SELECT 1 FROM employer_contact_log al WHERE al.employer_id = e.id \
             AND al.on_date >= ${start} AND al.on_date <= ${end}) \
             OR EXISTS (SELECT 1 FROM placements ap JOIN proposals ar ON ar.id = ap.proposal_id \
             JOIN openings ao ON ao.id = ar.opening_id WHERE ao.employer_id = e.id \
             AND ap.start_date <= ${end} AND ap.end_date >= ${start}))"
        ));
    } else if !f.include_inactive {
        w.clauses.push("e.inactive_since IS NULL".into());
    }
    w
}

/// How many of the partnership's employers `f` matches. One statement.
pub async fn count(c: &mut AnyConnection, partnership_id: i64, f: &EmployerFilter) -> Result<i64> {
    let w = filter(partnership_id, f);
    let sql = format!("SELECT COUNT(*) FROM employers e WHERE {}", w.conditions());
    counted(c, &sql, &w.args).await
}

/// One page of the partnership's employers by name, and how many match.
pub async fn list(
    c: &mut AnyConnection,
    partnership_id: i64,
    f: &EmployerFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Employer>, i64)> {
    let w = filter(partnership_id, f);
    let filter = w.conditions();
    let (rows, total) = counted_page(
        c,
        &format!("SELECT COUNT(*) FROM employers e WHERE {filter}"),
        &format!(
            "SELECT {COLUMNS} {FROM} WHERE {filter} ORDER BY e.search_name, e.id LIMIT {} OFFSET {}",
            limit.max(0),
            offset.max(0)
        ),
        &w.args,
    )
    .await?;
    Ok((rows.iter().map(employer).collect::<Result<_>>()?, total))
}

fn contact_person(r: &AnyRow) -> Result<ContactPerson> {
    Ok(ContactPerson {
        id: i64_(r, "id")?,
        employer_id: i64_(r, "employer_id")?,
        name: text(r, "name")?,
        title: opt_text(r, "title")?,
        phone: opt_text(r, "phone")?,
        email: opt_text(r, "email")?,
    })
}

/// The employer's contact people (at most 200), in the order added.
pub async fn contacts(c: &mut AnyConnection, employer_id: i64) -> Result<Vec<ContactPerson>> {
    sqlx::query(
        "SELECT id, employer_id, name, title, phone, email FROM employer_contacts \
         WHERE employer_id = $1 ORDER BY id LIMIT 200",
    )
    .bind(employer_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(contact_person)
    .collect()
}

pub async fn insert_contact(
    c: &mut AnyConnection,
    employer_id: i64,
    v: &ContactPersonSpec,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO employer_contacts (employer_id, name, title, phone, email) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(employer_id)
    .bind(&v.name)
    .bind(v.title.as_deref())
    .bind(v.phone.as_deref())
    .bind(v.email.as_ref().map(|e| e.as_str()))
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Remove a contact person and her details; the contacts logged with her
/// stay, without her name. `false` when the employer has no such person.
pub async fn delete_contact(
    c: &mut AnyConnection,
    employer_id: i64,
    contact_id: i64,
) -> Result<bool> {
    sqlx::query(
        "UPDATE employer_contact_log SET contact_person_id = NULL \
         WHERE employer_id = $1 AND contact_person_id = $2",
    )
    .bind(employer_id)
    .bind(contact_id)
    .execute(&mut *c)
    .await?;
    let done = sqlx::query("DELETE FROM employer_contacts WHERE employer_id = $1 AND id = $2")
        .bind(employer_id)
        .bind(contact_id)
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn entry(r: &AnyRow) -> Result<ContactEntry> {
    Ok(ContactEntry {
        id: i64_(r, "id")?,
        employer_id: i64_(r, "employer_id")?,
        kind: vocab(r, "kind", ContactKind::parse)?,
        on: date(r, "on_date")?,
        contact_person_id: opt_i64(r, "contact_person_id")?,
        contact_person_name: opt_text(r, "person_name")?,
        summary: text(r, "summary")?,
        recorded_by: opt_text(r, "user_name")?,
        recorded_at: moment(r, "at")?,
    })
}

/// One page of the employer's contact log, latest first, and its length.
pub async fn log(
    c: &mut AnyConnection,
    employer_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ContactEntry>, i64)> {
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM employer_contact_log WHERE employer_id = $1")
            .bind(employer_id)
            .fetch_one(&mut *c)
            .await?;
    let rows = sqlx::query(&format!(
        "SELECT l.id, l.employer_id, l.kind, l.on_date, l.contact_person_id, \
         p.name AS person_name, l.summary, u.display_name AS user_name, l.at \
         FROM employer_contact_log l \
         LEFT JOIN employer_contacts p ON p.id = l.contact_person_id \
         LEFT JOIN users u ON u.id = l.user_id \
         WHERE l.employer_id = $1 ORDER BY l.on_date DESC, l.id DESC LIMIT {} OFFSET {}",
        limit.max(0),
        offset.max(0)
    ))
    .bind(employer_id)
    .fetch_all(c)
    .await?;
    Ok((rows.iter().map(entry).collect::<Result<_>>()?, total))
}

pub async fn insert_log(
    c: &mut AnyConnection,
    employer_id: i64,
    v: &ContactEntrySpec,
    user_id: Option<i64>,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO employer_contact_log \
         (employer_id, kind, on_date, contact_person_id, summary, user_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(employer_id)
    .bind(v.kind.as_str())
    .bind(v.on.to_string())
    .bind(v.contact_person_id)
    .bind(&v.summary)
    .bind(user_id)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}
