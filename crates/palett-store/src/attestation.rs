//! Attested time: the minutes recorded each month in the interventions a
//! partner provides (present minutes at sessions held, and recorded
//! activities), and the months its coordinator signed.

use crate::participant::Arg;
use crate::row::*;
use crate::tally::Part;
use crate::Result;
use sqlx::AnyConnection;

/// One month of a partner's recorded time, and its attestation if signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthTime {
    /// `YYYY-MM`.
    pub month: String,
    pub minutes: i64,
    pub attested: Option<Attested>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attested {
    pub minutes: i64,
    pub by: Option<String>,
    pub at: i64,
}

/// The partner's minutes by month (`$1` the partnership, `$2` the
/// organisation, `$3` and `$4` the first and last month), from its
/// interventions' sessions held and recorded activities.
const MONTHS: &str = "SELECT t.month, CAST(SUM(t.minutes) AS BIGINT) AS minutes FROM ( \
     SELECT g.intervention_id, SUBSTR(s.on_date, 1, 7) AS month, s.present_minutes AS minutes \
       FROM group_sessions s JOIN activity_groups g ON g.id = s.group_id \
       WHERE s.status = 'scheduled' AND s.present_minutes > 0 \
     UNION ALL SELECT r.intervention_id, SUBSTR(r.on_date, 1, 7), r.minutes FROM activity_records r \
   ) t JOIN interventions i ON i.id = t.intervention_id \
   WHERE i.partnership_id = $1 AND i.provider_organisation_id = $2 \
   AND t.month >= $3 AND t.month <= $4 GROUP BY t.month";

fn args(partnership_id: i64, organisation_id: i64, months: (&str, &str)) -> Vec<Arg> {
    vec![
        Arg::Int(partnership_id),
        Arg::Int(organisation_id),
        Arg::Text(months.0.into()),
        Arg::Text(months.1.into()),
    ]
}

/// The months from `months.0` to `months.1` (`YYYY-MM`) with time
/// recorded in the partner's interventions, latest first, each with its
/// attestation.
pub async fn months(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
    months: (&str, &str),
) -> Result<Vec<MonthTime>> {
    let sql = format!(
        "SELECT m.month, m.minutes, a.minutes AS attested_minutes, u.display_name, a.attested_at \
         FROM ({MONTHS}) m LEFT JOIN time_attestations a ON a.partnership_id = $1 \
         AND a.organisation_id = $2 AND a.month = m.month \
         LEFT JOIN users u ON u.id = a.attested_by ORDER BY m.month DESC"
    );
    crate::participant::bind_all(
        sqlx::query(&sql),
        &args(partnership_id, organisation_id, months),
    )
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        let attested = match opt_i64(r, "attested_minutes")? {
            Some(minutes) => Some(Attested {
                minutes,
                by: opt_text(r, "display_name")?,
                at: i64_(r, "attested_at")?,
            }),
            None => None,
        };
        Ok(MonthTime {
            month: text(r, "month")?,
            minutes: i64_(r, "minutes")?,
            attested,
        })
    })
    .collect()
}

/// How many of those months are not attested, or changed since, as a part
/// of a [`Tally`](crate::tally::Tally).
pub fn to_attest_part(partnership_id: i64, organisation_id: i64, months: (&str, &str)) -> Part {
    Part::new(
        format!(
            "SELECT COUNT(*) AS n FROM ({MONTHS}) m LEFT JOIN time_attestations a \
             ON a.partnership_id = $1 AND a.organisation_id = $2 AND a.month = m.month \
             WHERE a.minutes IS NULL OR a.minutes <> m.minutes"
        ),
        args(partnership_id, organisation_id, months),
        1,
    )
}

/// Sign `month` with `minutes` (again, when its time changed).
pub async fn attest(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
    month: &str,
    minutes: i64,
    by: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO time_attestations \
         (partnership_id, organisation_id, month, minutes, attested_by, attested_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (partnership_id, organisation_id, month) DO UPDATE SET \
         minutes = excluded.minutes, attested_by = excluded.attested_by, \
         attested_at = excluded.attested_at",
    )
    .bind(partnership_id)
    .bind(organisation_id)
    .bind(month)
    .bind(minutes)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}
