//! Openings of the registry's employers. Every statement is bound to the
//! partnership, so no other partnership's openings are reached.

use crate::participant::{counted, counted_page, Arg, Sql};
use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::indicators::Period;
use palett_domain::opening::{
    EmploymentForm, Opening, OpeningKind, OpeningSpec, OpeningStatus, PhysicalDemands, WorkingHours,
};
use palett_domain::values::SwedishLevel;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

/// Which openings a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpeningFilter {
    /// A part of the title or of the employer's name.
    pub q: Option<String>,
    /// `None`: every status.
    pub status: Option<OpeningStatus>,
    pub kind: Option<OpeningKind>,
    /// An occupation area's code.
    pub area: Option<String>,
    pub employer_id: Option<i64>,
    /// Only those marked filled within this period (the indicator
    /// "openings filled").
    pub filled_in: Option<Period>,
}

const COLUMNS: &str = "o.id, o.partnership_id, o.employer_id, e.name AS employer_name, \
     e.municipality AS employer_municipality, o.kind, \
     o.employment_form, o.title, o.ssyk, o.area, o.places, o.start_date, o.end_date, \
     o.minutes_per_week, o.swedish_level, o.driving_licence, o.physical_demands, \
     o.working_hours, o.place, o.description, o.status, o.responsible_organisation_id, \
     r.name AS responsible_name";

const FROM: &str = "FROM openings o JOIN employers e ON e.id = o.employer_id \
                    JOIN organisations r ON r.id = o.responsible_organisation_id";

fn opening(r: &AnyRow) -> Result<Opening> {
    Ok(Opening {
        id: i64_(r, "id")?,
        partnership_id: i64_(r, "partnership_id")?,
        employer_id: i64_(r, "employer_id")?,
        employer_name: text(r, "employer_name")?,
        employer_municipality: text(r, "employer_municipality")?,
        kind: vocab(r, "kind", OpeningKind::parse)?,
        employment_form: opt_vocab(r, "employment_form", EmploymentForm::parse)?,
        title: text(r, "title")?,
        ssyk: text(r, "ssyk")?,
        area: text(r, "area")?,
        places: i64_(r, "places")?,
        start_date: opt_date(r, "start_date")?,
        end_date: opt_date(r, "end_date")?,
        minutes_per_week: opt_i64(r, "minutes_per_week")?,
        swedish_level: opt_vocab(r, "swedish_level", SwedishLevel::parse)?,
        driving_licence: flag(r, "driving_licence")?,
        physical_demands: opt_vocab(r, "physical_demands", PhysicalDemands::parse)?,
        working_hours: opt_vocab(r, "working_hours", WorkingHours::parse)?,
        place: opt_text(r, "place")?,
        description: opt_text(r, "description")?,
        status: vocab(r, "status", OpeningStatus::parse)?,
        responsible_organisation_id: i64_(r, "responsible_organisation_id")?,
        responsible_name: text(r, "responsible_name")?,
    })
}

/// The columns an opening's details write, in the order [`bind_spec`]
/// binds them (the INSERT and the UPDATE are built from this list).
const SPEC_COLUMNS: [&str; 17] = [
    "kind",
    "employment_form",
    "title",
    "search_title",
    "ssyk",
    "area",
    "places",
    "start_date",
    "end_date",
    "minutes_per_week",
    "swedish_level",
    "driving_licence",
    "physical_demands",
    "working_hours",
    "place",
    "description",
    "responsible_organisation_id",
];

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_spec<'q>(q: Query<'q>, v: &'q OpeningSpec) -> Query<'q> {
    q.bind(v.kind.as_str())
        .bind(v.employment_form.map(EmploymentForm::as_str))
        .bind(v.title.as_str())
        .bind(v.title.to_lowercase())
        .bind(v.occupation.ssyk.as_str())
        .bind(v.occupation.area.as_str())
        .bind(v.places)
        .bind(v.start_date.map(|d| d.to_string()))
        .bind(v.end_date.map(|d| d.to_string()))
        .bind(v.minutes_per_week)
        .bind(v.swedish_level.map(SwedishLevel::as_str))
        .bind(i64::from(v.driving_licence))
        .bind(v.physical_demands.map(PhysicalDemands::as_str))
        .bind(v.working_hours.map(WorkingHours::as_str))
        .bind(v.place.as_deref())
        .bind(v.description.as_deref())
        .bind(v.responsible_organisation_id)
}

/// Add an opening, open, to an employer of the partnership.
pub async fn insert(
    c: &mut AnyConnection,
    partnership_id: i64,
    employer_id: i64,
    v: &OpeningSpec,
    now: i64,
) -> Result<i64> {
    let n = SPEC_COLUMNS.len();
    let sql = format!(
        "INSERT INTO openings ({}, partnership_id, employer_id, status, created_at) \
         VALUES ({}) RETURNING id",
        SPEC_COLUMNS.join(", "),
        crate::placeholders(1, n + 4)
    );
    let id: i64 = bind_spec(sqlx::query(&sql), v)
        .bind(partnership_id)
        .bind(employer_id)
        .bind(OpeningStatus::Open.as_str())
        .bind(now)
        .fetch_one(c)
        .await
        .and_then(|r| sqlx::Row::try_get(&r, 0))?;
    Ok(id)
}

/// Change an opening's details; `false` when the partnership has none by `id`.
pub async fn update(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
    v: &OpeningSpec,
) -> Result<bool> {
    let n = SPEC_COLUMNS.len();
    let sets: Vec<String> = SPEC_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, col)| format!("{col} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE openings SET {} WHERE id = ${} AND partnership_id = ${}",
        sets.join(", "),
        n + 1,
        n + 2
    );
    let done = bind_spec(sqlx::query(&sql), v)
        .bind(id)
        .bind(partnership_id)
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Set an opening's status; a filled one records the day `on` (cleared by
/// any other status).
pub async fn set_status(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
    status: OpeningStatus,
    on: Date,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE openings SET status = $1, filled_on = $2 WHERE id = $3 AND partnership_id = $4",
    )
    .bind(status.as_str())
    .bind((status == OpeningStatus::Filled).then(|| on.to_string()))
    .bind(id)
    .bind(partnership_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(c: &mut AnyConnection, partnership_id: i64, id: i64) -> Result<Option<Opening>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE o.id = $1 AND o.partnership_id = $2"
    ))
    .bind(id)
    .bind(partnership_id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(opening)
    .transpose()
}

/// One page of the partnership's openings, those starting first first
/// (undated last), and how many match.
pub async fn list(
    c: &mut AnyConnection,
    partnership_id: i64,
    f: &OpeningFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Opening>, i64)> {
    let w = filter(partnership_id, f);
    let filter = w.conditions();
    let (rows, total) = counted_page(
        c,
        &format!("SELECT COUNT(*) {COUNTED} WHERE {filter}"),
        &format!(
            "SELECT {COLUMNS} {FROM} WHERE {filter} \
             ORDER BY CASE WHEN o.start_date IS NULL THEN 1 ELSE 0 END, o.start_date, o.id \
             LIMIT {} OFFSET {}",
            limit.max(0),
            offset.max(0)
        ),
        &w.args,
    )
    .await?;
    Ok((rows.iter().map(opening).collect::<Result<_>>()?, total))
}

/// How many of the partnership's openings `f` matches. One statement.
pub async fn count(c: &mut AnyConnection, partnership_id: i64, f: &OpeningFilter) -> Result<i64> {
    let w = filter(partnership_id, f);
    let sql = format!("SELECT COUNT(*) {COUNTED} WHERE {}", w.conditions());
    counted(c, &sql, &w.args).await
}

/// The tables a count of openings reads (the text search looks at the
/// employer's name too).
const COUNTED: &str = "FROM openings o JOIN employers e ON e.id = o.employer_id";

/// The conditions of `f` on `openings o` joined with `employers e`.
fn filter(partnership_id: i64, f: &OpeningFilter) -> Sql {
    let mut w = Sql::new("o.partnership_id = $1", Arg::Int(partnership_id));
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.push(
            |n| {
                format!(
                    "(o.search_title LIKE ${n} ESCAPE '\\' OR e.search_name LIKE ${n} ESCAPE '\\')"
                )
            },
            Arg::Text(like_contains(&q.to_lowercase())),
        );
    }
    if let Some(s) = f.status {
        w.push(|n| format!("o.status = ${n}"), Arg::Text(s.as_str().into()));
    }
    if let Some(k) = f.kind {
        w.push(|n| format!("o.kind = ${n}"), Arg::Text(k.as_str().into()));
    }
    if let Some(a) = &f.area {
        w.push(|n| format!("o.area = ${n}"), Arg::Text(a.clone()));
    }
    if let Some(e) = f.employer_id {
        w.push(|n| format!("o.employer_id = ${n}"), Arg::Int(e));
    }
    if let Some(p) = f.filled_in {
        w.push_period("o.filled_on", p);
    }
    w
}

/// What matching needs of one open opening.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenFacts {
    pub id: i64,
    /// Its occupation area's code.
    pub area: String,
    /// The Swedish it asks for.
    pub swedish_level: Option<SwedishLevel>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    /// Its employer's municipality.
    pub municipality: String,
}

/// What matching needs of each open opening of the partnership. One light
/// statement.
pub async fn open_facts(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<OpenFacts>> {
    sqlx::query(
        "SELECT o.id, o.area, o.swedish_level, o.start_date, o.end_date, e.municipality \
         FROM openings o JOIN employers e ON e.id = o.employer_id \
         WHERE o.partnership_id = $1 AND o.status = 'open'",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(OpenFacts {
            id: i64_(r, "id")?,
            area: text(r, "area")?,
            swedish_level: opt_vocab(r, "swedish_level", SwedishLevel::parse)?,
            start_date: opt_date(r, "start_date")?,
            end_date: opt_date(r, "end_date")?,
            municipality: text(r, "municipality")?,
        })
    })
    .collect()
}

/// The partnership's openings with these ids, in no particular order.
pub async fn by_ids(
    c: &mut AnyConnection,
    partnership_id: i64,
    ids: &[i64],
) -> Result<Vec<Opening>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE o.partnership_id = $1 AND o.id IN ({})",
        crate::placeholders(2, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(partnership_id);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(c).await?.iter().map(opening).collect()
}
