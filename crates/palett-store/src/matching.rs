//! What matching reads: her occupational interests (kept from her latest
//! plan), the candidates for an opening within the caller's scope, and
//! whether her employer-contact consent is in force.

use crate::participant::{bind_all, where_clause, Arg, Filter};
use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::lifecycle::Status;
use palett_domain::matching::place_key;
use palett_domain::policy::ParticipantScope;
use palett_domain::values::SwedishLevel;
use sqlx::AnyConnection;

/// Replace her interests with `areas` (from a new version of her plan).
pub async fn set_interests(
    c: &mut AnyConnection,
    participant_id: i64,
    areas: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM participant_interests WHERE participant_id = $1")
        .bind(participant_id)
        .execute(&mut *c)
        .await?;
    for area in areas {
        sqlx::query("INSERT INTO participant_interests (participant_id, area) VALUES ($1, $2)")
            .bind(participant_id)
            .bind(area)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Replace the municipalities she can reach with `names` (from a new
/// version of her plan, each once by its key).
pub async fn set_reach(c: &mut AnyConnection, participant_id: i64, names: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM participant_reach WHERE participant_id = $1")
        .bind(participant_id)
        .execute(&mut *c)
        .await?;
    let mut keys: Vec<String> = Vec::new();
    for name in names {
        let key = place_key(name);
        if keys.contains(&key) {
            continue;
        }
        sqlx::query(
            "INSERT INTO participant_reach (participant_id, place_key, name) VALUES ($1, $2, $3)",
        )
        .bind(participant_id)
        .bind(&key)
        .bind(name.trim())
        .execute(&mut *c)
        .await?;
        keys.push(key);
    }
    Ok(())
}

/// The municipalities she can reach, by name.
pub async fn reach_of(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT name FROM participant_reach WHERE participant_id = $1 ORDER BY place_key",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?)
}

/// Her interests (occupation area codes).
pub async fn interests_of(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT area FROM participant_interests WHERE participant_id = $1 ORDER BY area",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?)
}

/// What matching needs of her: status, Swedish level and planned end.
pub async fn her_facts(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Option<(Status, SwedishLevel, Option<Date>)>> {
    sqlx::query("SELECT status, swedish_level, planned_end FROM participants WHERE id = $1")
        .bind(participant_id)
        .fetch_optional(c)
        .await?
        .map(|r| {
            Ok((
                vocab(&r, "status", Status::parse)?,
                vocab(&r, "swedish_level", SwedishLevel::parse)?,
                opt_date(&r, "planned_end")?,
            ))
        })
        .transpose()
}

/// The SQL condition "her employer-contact consent is in force on `$t`".
fn employer_contact_sql(t: usize) -> String {
    format!(
        "EXISTS (SELECT 1 FROM consents k WHERE k.participant_id = p.id \
         AND k.kind = 'employer_contact' AND {})",
        crate::consent::in_force_sql(&format!("${t}"), &format!("${t}"))
    )
}

/// Whether her employer-contact consent is in force on `today`.
pub async fn employer_contact_in_force(
    c: &mut AnyConnection,
    participant_id: i64,
    today: Date,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM participants p WHERE p.id = $1 AND {}",
        employer_contact_sql(2)
    ))
    .bind(participant_id)
    .bind(today.to_string())
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

/// A participant who may be proposed for an opening, with what matching
/// needs of her.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateRow {
    pub id: i64,
    pub given_name: String,
    pub family_name: String,
    pub status: Status,
    pub swedish_level: SwedishLevel,
    pub planned_end: Option<Date>,
    /// `Some(true)`: interested in the area; `Some(false)`: in others only;
    /// `None`: no interest recorded.
    pub interested: Option<bool>,
    /// `Some(true)`: the employer's municipality is among those she can
    /// reach; `Some(false)`: she can reach others only; `None`: none
    /// recorded.
    pub reach: Option<bool>,
    /// She has had a placement in the area.
    pub earlier_in_area: bool,
    /// A placement of hers overlaps the window asked about.
    pub placed_elsewhere: bool,
    pub responsible_organisation_id: i64,
    pub responsible_organisation_name: String,
    /// She is assigned to the user asking.
    pub assigned_to_caller: bool,
}

/// What of an opening its candidates are read against.
#[derive(Clone, Copy, Debug)]
pub struct Sought<'a> {
    /// Its occupation area's code.
    pub area: &'a str,
    /// Its employer's municipality.
    pub municipality: &'a str,
    /// Its first and last day.
    pub window: (Date, Date),
}

/// Everyone in `scope` who is enrolled, active or paused and whose
/// employer-contact consent is in force on `today`, with her interest in
/// the sought area, an earlier placement in it, whether she can reach the
/// employer's municipality, and a placement of hers overlapping the
/// window. One statement.
pub async fn candidates(
    c: &mut AnyConnection,
    scope: ParticipantScope,
    sought: Sought<'_>,
    today: Date,
    user_id: i64,
) -> Result<Vec<CandidateRow>> {
    let Sought {
        area,
        municipality,
        window,
    } = sought;
    let Some(mut w) = where_clause(scope, &Filter::default()) else {
        return Ok(Vec::new());
    };
    w.args.push(Arg::Text(today.to_string()));
    let t = w.args.len();
    w.clauses.push(employer_contact_sql(t));
    w.clauses
        .push("p.status IN ('enrolled', 'active', 'paused')".into());
    w.args.push(Arg::Text(area.to_string()));
    let a = w.args.len();
    w.args.push(Arg::Text(window.0.to_string()));
    w.args.push(Arg::Text(window.1.to_string()));
    let (from, to) = (a + 1, a + 2);
    w.args.push(Arg::Int(user_id));
    let u = w.args.len();
    w.args.push(Arg::Text(place_key(municipality)));
    let m = w.args.len();
    let sql = format!(
        "SELECT p.id, p.given_name, p.family_name, p.status, p.swedish_level, p.planned_end, \
         p.responsible_organisation_id, o.name AS org_name, \
         CASE WHEN EXISTS (SELECT 1 FROM participant_caseworkers ac \
           WHERE ac.participant_id = p.id AND ac.user_id = ${u}) THEN 1 ELSE 0 END AS assigned, \
         CASE WHEN EXISTS (SELECT 1 FROM participant_interests i \
           WHERE i.participant_id = p.id AND i.area = ${a}) THEN 1 ELSE 0 END AS in_area, \
         CASE WHEN EXISTS (SELECT 1 FROM participant_interests i \
           WHERE i.participant_id = p.id) THEN 1 ELSE 0 END AS any_area, \
         CASE WHEN EXISTS (SELECT 1 FROM participant_reach pr \
           WHERE pr.participant_id = p.id AND pr.place_key = ${m}) THEN 1 ELSE 0 END AS reaches, \
         CASE WHEN EXISTS (SELECT 1 FROM participant_reach pr \
           WHERE pr.participant_id = p.id) THEN 1 ELSE 0 END AS any_place, \
         CASE WHEN EXISTS (SELECT 1 FROM placements pe JOIN proposals rp ON rp.id = pe.proposal_id \
           JOIN openings op ON op.id = rp.opening_id \
           WHERE pe.participant_id = p.id AND op.area = ${a}) THEN 1 ELSE 0 END AS earlier, \
         CASE WHEN EXISTS (SELECT 1 FROM placements po WHERE po.participant_id = p.id \
           AND po.start_date <= ${to} AND po.end_date >= ${from}) THEN 1 ELSE 0 END AS busy \
         FROM participants p JOIN organisations o ON o.id = p.responsible_organisation_id \
         WHERE {}",
        w.clauses.join(" AND ")
    );
    let rows = bind_all(sqlx::query(&sql), &w.args).fetch_all(c).await?;
    rows.iter()
        .map(|r| {
            let in_area = flag(r, "in_area")?;
            let any = flag(r, "any_area")?;
            let reaches = flag(r, "reaches")?;
            let any_place = flag(r, "any_place")?;
            Ok(CandidateRow {
                id: i64_(r, "id")?,
                given_name: text(r, "given_name")?,
                family_name: text(r, "family_name")?,
                status: vocab(r, "status", Status::parse)?,
                swedish_level: vocab(r, "swedish_level", SwedishLevel::parse)?,
                planned_end: opt_date(r, "planned_end")?,
                interested: any.then_some(in_area),
                reach: any_place.then_some(reaches),
                earlier_in_area: flag(r, "earlier")?,
                placed_elsewhere: flag(r, "busy")?,
                responsible_organisation_id: i64_(r, "responsible_organisation_id")?,
                responsible_organisation_name: text(r, "org_name")?,
                assigned_to_caller: flag(r, "assigned")?,
            })
        })
        .collect()
}

/// Her placements: the occupation area of the opening each came from, and
/// its first and last day.
pub async fn placements_of(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<(String, Date, Date)>> {
    sqlx::query(
        "SELECT o.area, pl.start_date, pl.end_date FROM placements pl \
         JOIN proposals r ON r.id = pl.proposal_id JOIN openings o ON o.id = r.opening_id \
         WHERE pl.participant_id = $1 LIMIT 200",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            text(r, "area")?,
            date(r, "start_date")?,
            date(r, "end_date")?,
        ))
    })
    .collect()
}
