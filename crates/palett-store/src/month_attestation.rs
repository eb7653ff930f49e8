//! A participant's attested months: her time month by month (present
//! minutes at sessions held, and recorded activities), the months her
//! responsible caseworker attested, her own confirmation in the portal, and
//! the corrections made to an attested month since.

use crate::row::*;
use crate::Result;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// One month of her time with what was attested, confirmed and corrected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Her minutes in the month now.
    pub minutes: i64,
    /// Her caseworker's attestation.
    pub attested: Option<crate::attestation::Attested>,
    /// Her own confirmation in the portal: the minutes she saw and when.
    pub confirmed: Option<(i64, i64)>,
    /// Changes to the month's time after it was attested, oldest first.
    pub corrections: Vec<Correction>,
}

/// A change to the time of an attested month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    pub reason: String,
    pub minutes_before: i64,
    pub minutes_after: i64,
    /// Who made it (`None` once the user is gone).
    pub by: Option<String>,
    pub at: i64,
}

/// The minutes per participant and month of those in `$ids` (a list of
/// placeholders written in) within the months `$m1`..`$m2`.
fn minutes_sql(ids: &str, m1: &str, m2: &str) -> String {
    format!(
        "SELECT t.participant_id, t.month, CAST(SUM(t.minutes) AS BIGINT) AS minutes FROM ( \
           SELECT a.participant_id, SUBSTR(s.on_date, 1, 7) AS month, a.minutes FROM attendance a \
             JOIN group_sessions s ON s.id = a.session_id \
             WHERE a.participant_id IN ({ids}) AND a.status = 'present' AND s.status = 'scheduled' \
           UNION ALL \
           SELECT r.participant_id, SUBSTR(r.on_date, 1, 7), r.minutes FROM activity_records r \
             WHERE r.participant_id IN ({ids}) \
         ) t WHERE t.month >= {m1} AND t.month <= {m2} GROUP BY t.participant_id, t.month"
    )
}

/// Her months with time or an attestation, latest first (two statements:
/// the months, and the corrections).
pub async fn months(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<ParticipantMonth>> {
    let sql = format!(
        "SELECT ms.month, COALESCE(m.minutes, 0) AS minutes, a.minutes AS attested_minutes, \
         u.display_name, a.attested_at, k.minutes AS confirmed_minutes, k.confirmed_at \
         FROM (SELECT month FROM month_attestations WHERE participant_id = $1 \
               UNION SELECT month FROM ({all}) x) ms \
         LEFT JOIN ({all}) m ON m.month = ms.month \
         LEFT JOIN month_attestations a ON a.participant_id = $1 AND a.month = ms.month \
         LEFT JOIN users u ON u.id = a.attested_by \
         LEFT JOIN time_confirmations k ON k.participant_id = $1 AND k.month = ms.month \
         ORDER BY ms.month DESC",
        all = minutes_sql("$1", "'0000-00'", "'9999-99'")
    );
    let rows = sqlx::query(&sql)
        .bind(participant_id)
        .fetch_all(&mut *c)
        .await?;
    let mut corrections = corrections_of(c, participant_id).await?;
    rows.iter()
        .map(|r| {
            let month = text(r, "month")?;
            Ok(ParticipantMonth {
                minutes: i64_(r, "minutes")?,
                attested: match opt_i64(r, "attested_minutes")? {
                    Some(minutes) => Some(crate::attestation::Attested {
                        minutes,
                        by: opt_text(r, "display_name")?,
                        at: i64_(r, "attested_at")?,
                    }),
                    None => None,
                },
                confirmed: match opt_i64(r, "confirmed_minutes")? {
                    Some(m) => Some((m, i64_(r, "confirmed_at")?)),
                    None => None,
                },
                corrections: corrections.remove(&month).unwrap_or_default(),
                month,
            })
        })
        .collect()
}

/// Her corrections by month, oldest first.
async fn corrections_of(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<HashMap<String, Vec<Correction>>> {
    let rows = sqlx::query(
        "SELECT k.month, k.reason, k.minutes_before, k.minutes_after, u.display_name, k.corrected_at \
         FROM time_corrections k LEFT JOIN users u ON u.id = k.corrected_by \
         WHERE k.participant_id = $1 ORDER BY k.corrected_at, k.id",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?;
    let mut by_month: HashMap<String, Vec<Correction>> = HashMap::new();
    for r in &rows {
        by_month
            .entry(text(r, "month")?)
            .or_default()
            .push(Correction {
                reason: text(r, "reason")?,
                minutes_before: i64_(r, "minutes_before")?,
                minutes_after: i64_(r, "minutes_after")?,
                by: opt_text(r, "display_name")?,
                at: i64_(r, "corrected_at")?,
            });
    }
    Ok(by_month)
}

/// The minutes in `month` of each of `ids` (those with none are absent).
pub async fn minutes_in(
    c: &mut AnyConnection,
    ids: &[i64],
    month: &str,
) -> Result<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(200) {
        let n = chunk.len();
        let sql = minutes_sql(
            &crate::placeholders(1, n),
            &format!("${}", n + 1),
            &format!("${}", n + 1),
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.bind(month).fetch_all(&mut *c).await? {
            out.insert(i64_(&r, "participant_id")?, i64_(&r, "minutes")?);
        }
    }
    Ok(out)
}

/// Which of `ids` have `month` attested.
pub async fn attested_among(c: &mut AnyConnection, ids: &[i64], month: &str) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(200) {
        let n = chunk.len();
        let sql = format!(
            "SELECT participant_id FROM month_attestations WHERE month = $1 \
             AND participant_id IN ({}) ORDER BY participant_id",
            crate::placeholders(2, n)
        );
        let mut q = sqlx::query(&sql).bind(month);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *c).await? {
            out.push(i64_(&r, "participant_id")?);
        }
    }
    Ok(out)
}

/// Those marked present at a session.
pub async fn present_at(c: &mut AnyConnection, session_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT participant_id FROM attendance WHERE session_id = $1 AND status = 'present' \
         ORDER BY participant_id",
    )
    .bind(session_id)
    .fetch_all(c)
    .await?;
    rows.iter().map(|r| i64_(r, "participant_id")).collect()
}

/// Attest her `month` with `minutes` (again, after a correction).
pub async fn attest(
    c: &mut AnyConnection,
    participant_id: i64,
    month: &str,
    minutes: i64,
    by: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO month_attestations (participant_id, month, minutes, attested_by, attested_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (participant_id, month) DO UPDATE SET \
         minutes = excluded.minutes, attested_by = excluded.attested_by, \
         attested_at = excluded.attested_at",
    )
    .bind(participant_id)
    .bind(month)
    .bind(minutes)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// A change to an attested month's time, with its reason.
#[derive(Clone, Debug)]
pub struct NewCorrection<'a> {
    pub participant_id: i64,
    pub month: &'a str,
    pub reason: &'a str,
    pub minutes_before: i64,
    pub minutes_after: i64,
}

/// Keep corrections made by `by` at `now` (one statement).
pub async fn add_corrections(
    c: &mut AnyConnection,
    corrections: &[NewCorrection<'_>],
    by: Option<i64>,
    now: i64,
) -> Result<()> {
    if corrections.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..corrections.len())
        .map(|k| format!("({})", crate::placeholders(k * 7 + 1, 7)))
        .collect();
    let sql = format!(
        "INSERT INTO time_corrections (participant_id, month, reason, minutes_before, \
         minutes_after, corrected_by, corrected_at) VALUES {}",
        values.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for k in corrections {
        q = q
            .bind(k.participant_id)
            .bind(k.month)
            .bind(k.reason)
            .bind(k.minutes_before)
            .bind(k.minutes_after)
            .bind(by)
            .bind(now);
    }
    q.execute(c).await?;
    Ok(())
}
