//! The pseudonymised research export for the evaluators: only participants
//! who consented to the evaluation; no names, identity numbers or free text;
//! stable pseudonyms per export key; age and country generalised; a
//! k-anonymity check that suppresses small cells and reports it. Audited.

use crate::audit::Action;
use crate::secret::hmac_sha256;
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
use palett_domain::research::ExportRequest;
use palett_domain::research::{age_group, hours_band, months_band, region, suppress_small_cells};
use palett_domain::Parsed;

/// One row: the pseudonym, generalised quasi-identifiers, then facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResearchRecord {
    pub pseudonym: String,
    /// age group, region, gender, intake year: "*" where suppressed.
    pub quasi: Vec<String>,
    /// Months from intake to exit (or to today), in bands.
    pub months_band: String,
    pub exit_outcome: String,
    pub status: String,
    /// Hours of recorded participation, in bands.
    pub hours_band: String,
}

/// The quasi-identifiers, in the order of `ResearchRecord::quasi`.
pub const QUASI_IDENTIFIERS: [&str; 4] = ["age_group", "region", "gender", "intake_year"];

#[derive(Clone, Debug)]
pub struct ResearchExport {
    pub k: usize,
    pub rows: Vec<ResearchRecord>,
    pub suppressed_rows: usize,
    pub suppressed_groups: usize,
}

/// Her quasi-identifiers, generalised, in the order of
/// [`QUASI_IDENTIFIERS`].
pub(crate) fn quasi_of(r: &palett_store::palette::ResearchRow) -> Vec<String> {
    vec![
        age_group(r.1, r.4).to_string(),
        region(r.2.as_deref()).to_string(),
        r.3.clone(),
        r.4.year().to_string(),
    ]
}

/// The pseudonym of one participant: HMAC of her id under a key derived
/// from the partnership's server-held secret and the evaluator's export key.
/// Neither alone recomputes it, and ids are not enumerable from it.
pub fn pseudonym(secret: &str, key: &str, participant_id: i64) -> String {
    let export_key = hmac_sha256(secret.as_bytes(), key.as_bytes());
    hmac_sha256(
        &export_key,
        format!("palett-participant:{participant_id}").as_bytes(),
    )[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl App {
    /// Evaluators only; `k` from 5 to 50 (default 5 in the UI). A write
    /// transaction, not a `work::Reading`: the first export makes
    /// the partnership's pseudonym secret.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn research_export(
        &self,
        ctx: &Ctx,
        request: Parsed<ExportRequest>,
    ) -> Result<ResearchExport> {
        if !ctx.actor.can_export_research() {
            return Err(AppError::Forbidden);
        }
        let ExportRequest { key, k } = request?;
        let key = key.as_str();
        let mut tx = Change::begin(self, ctx).await?;
        let secret = palett_store::palette::research_secret(
            &mut tx,
            ctx.actor.partnership_id,
            &crate::secret::random_token()?,
        )
        .await?;
        let raw =
            palett_store::palette::research_rows(&mut tx, ctx.actor.partnership_id, self.today())
                .await?;
        let mut quasi: Vec<Vec<String>> = raw.iter().map(quasi_of).collect();
        let (suppressed_rows, suppressed_groups) = suppress_small_cells(&mut quasi, k);
        let today = self.today();
        let mut rows = raw
            .iter()
            .zip(quasi)
            .map(|(r, q)| ResearchRecord {
                pseudonym: pseudonym(&secret, key, r.0),
                quasi: q,
                months_band: months_band(r.4, r.5.unwrap_or(today)).to_string(),
                exit_outcome: r.6.clone().unwrap_or_default(),
                status: r.7.clone(),
                hours_band: hours_band(r.8).to_string(),
            })
            .collect::<Vec<_>>();
        // Sorted by pseudonym, so the order says nothing about ids or intake.
        rows.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
        tx.done(
            Action::ResearchExport,
            "research_export",
            Some(rows.len() as i64),
            None,
        )
        .await?;
        Ok(ResearchExport {
            k,
            rows,
            suppressed_rows,
            suppressed_groups,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// Evaluators link exports over time by pseudonym: a fixed secret and
    /// key must keep giving the pseudonyms earlier exports carried.
    #[test]
    fn pseudonyms_stay_what_earlier_exports_carried() {
        assert_eq!(
            pseudonym("partnership secret", "en lång exportnyckel", 42),
            "5072ec729d22244f"
        );
    }

    #[test]
    fn pseudonyms_are_stable_per_key_and_secret() {
        let p = |secret: &str, key: &str, id| pseudonym(secret, key, id);
        assert_eq!(
            p("s1", "en lång exportnyckel", 7),
            p("s1", "en lång exportnyckel", 7)
        );
        assert_ne!(
            p("s1", "en lång exportnyckel", 7),
            p("s1", "en annan exportnyckel", 7)
        );
        assert_ne!(
            p("s1", "en lång exportnyckel", 7),
            p("s1", "en lång exportnyckel", 8)
        );
        assert_ne!(
            p("s1", "en lång exportnyckel", 7),
            p("s2", "en lång exportnyckel", 7),
            "the key alone does not give the pseudonym"
        );
    }
}
