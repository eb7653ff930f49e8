//! Retention: the policy, who is due, and anonymisation that removes
//! identity and free text but keeps the statistical facts (dates, status,
//! outcomes, gender, birth year, country, projects, attendance, time), so
//! every figure stays the same.

use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use sqlx::AnyConnection;

pub async fn policy(c: &mut AnyConnection, partnership_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT years_after_exit FROM retention_policies WHERE partnership_id = $1",
    )
    .bind(partnership_id)
    .fetch_optional(c)
    .await?)
}

pub async fn set_policy(
    c: &mut AnyConnection,
    partnership_id: i64,
    years: i64,
    by: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM retention_policies WHERE partnership_id = $1")
        .bind(partnership_id)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO retention_policies (partnership_id, years_after_exit, updated_by, updated_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(partnership_id)
    .bind(years)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Participants not yet anonymised, not on hold, who exited on or before
/// `cutoff`: (id, exit date).
pub async fn due(
    c: &mut AnyConnection,
    partnership_id: i64,
    cutoff: Date,
) -> Result<Vec<(i64, Date)>> {
    sqlx::query(
        "SELECT id, exit_date FROM participants WHERE partnership_id = $1 AND exit_date IS NOT NULL \
         AND exit_date <= $2 AND anonymised_at IS NULL AND archive_hold = 0 AND processing_restricted = 0 \
         ORDER BY exit_date, id LIMIT 100000",
    )
    .bind(partnership_id)
    .bind(cutoff.to_string())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((i64_(r, "id")?, date(r, "exit_date")?)))
    .collect()
}

pub async fn set_archive_hold(
    c: &mut AnyConnection,
    participant_id: i64,
    hold: bool,
) -> Result<()> {
    sqlx::query("UPDATE participants SET archive_hold = $1 WHERE id = $2")
        .bind(i64::from(hold))
        .bind(participant_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Remove identity and free text of one participant.
pub async fn anonymise(c: &mut AnyConnection, participant_id: i64, now: i64) -> Result<()> {
    let statements: &[&str] = &[
        // Identity and contact details go; the birth year, gender, country,
        // dates, status and outcome stay for the statistics. The birth date
        // becomes 1 January or 31 December of its year, whichever keeps her
        // age at intake (and so every age group) unchanged.
        "UPDATE participants SET given_name = 'Gallrad', family_name = '', search_name = '', \
         identity_kind = 'birth_date', identity_number = NULL, identity_hash = NULL, \
         birth_date = SUBSTR(birth_date, 1, 4) || CASE WHEN intake_date IS NOT NULL \
           AND SUBSTR(birth_date, 6, 5) > SUBSTR(intake_date, 6, 5) THEN '-12-31' ELSE '-01-01' END, phone = NULL, email = NULL, address = NULL, \
         health_notes = NULL, support_needs = NULL, protected_identity = 0, arrival_year = NULL, languages = '', \
         restriction_reason = NULL, \
         version = version + 1, updated_at = $2, anonymised_at = $2 WHERE id = $1",
        "UPDATE status_events SET reason = NULL WHERE participant_id = $1",
        "UPDATE responsibility_handovers SET reason = '' WHERE participant_id = $1",
        "UPDATE plan_versions SET body = '{\"goals\":[],\"steps\":[],\"reviews\":[]}' WHERE participant_id = $1",
        "UPDATE period_changes SET reason = NULL WHERE participant_id = $1",
        "UPDATE enrolments SET reason = NULL WHERE participant_id = $1",
        "UPDATE activity_records SET note = NULL WHERE participant_id = $1",
        "UPDATE consents SET witness = NULL, note = NULL, withdrawal_note = NULL WHERE participant_id = $1",
        "UPDATE notes SET body = '' WHERE participant_id = $1",
        "UPDATE emergency_access SET reason = '' WHERE participant_id = $1",
        "DELETE FROM participant_caseworkers WHERE participant_id = $1",
        "DELETE FROM participant_interests WHERE participant_id = $1",
        "DELETE FROM participant_reach WHERE participant_id = $1",
        "UPDATE referrals SET reason = '', asked = '' WHERE participant_id = $1",
        "UPDATE time_corrections SET reason = '' WHERE participant_id = $1",
        "UPDATE follow_ups SET not_reached_note = NULL WHERE participant_id = $1",
        "UPDATE referral_events SET note = NULL WHERE referral_id IN \
         (SELECT id FROM referrals WHERE participant_id = $1)",
        "UPDATE proposal_steps SET note = NULL WHERE proposal_id IN \
         (SELECT id FROM proposals WHERE participant_id = $1)",
        "UPDATE placement_reviews SET comment = NULL WHERE placement_id IN \
         (SELECT id FROM placements WHERE participant_id = $1)",
        "UPDATE participant_versions SET profile = '{}' WHERE participant_id = $1",
        // Her own words in questionnaires go; the scored answers stay.
        "DELETE FROM questionnaire_answers WHERE free_text = 1 AND response_id IN \
         (SELECT id FROM questionnaire_responses WHERE participant_id = $1)",
        // Her portal goes: she can no longer sign in.
        "DELETE FROM portal_sessions WHERE participant_id = $1",
        "DELETE FROM portal_passkeys WHERE participant_id = $1",
        "DELETE FROM portal_ceremonies WHERE participant_id = $1",
        "DELETE FROM portal_invitations WHERE participant_id = $1",
        "DELETE FROM portal_accounts WHERE participant_id = $1",
    ];
    for sql in statements {
        let q = sqlx::query(sql).bind(participant_id);
        let q = if sql.contains("$2") { q.bind(now) } else { q };
        q.execute(&mut *c).await?;
    }
    Ok(())
}
