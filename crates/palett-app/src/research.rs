//! The pseudonymised research export for the evaluators: only participants
//! who consented to the evaluation; no names, identity numbers or free text;
//! stable pseudonyms per export key; age and country generalised; a
//! k-anonymity check that suppresses small cells and reports it. Audited.

use crate::audit::{record, Action};
use crate::{App, AppError, Ctx, Result};
use palett_domain::policy::Role;
use palett_domain::research::{age_group, region, suppress_small_cells};
use palett_domain::FieldErrors;
use sha2::{Digest, Sha256};

/// One row: the pseudonym, generalised quasi-identifiers, then facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResearchRecord {
    pub pseudonym: String,
    /// age group, region, gender — "*" where suppressed.
    pub quasi: Vec<String>,
    pub intake_month: String,
    pub exit_month: String,
    pub exit_outcome: String,
    pub status: String,
    pub hours: i64,
}

#[derive(Clone, Debug)]
pub struct ResearchExport {
    pub k: usize,
    pub rows: Vec<ResearchRecord>,
    pub suppressed_rows: usize,
    pub suppressed_groups: usize,
}

/// HMAC-SHA-256 (RFC 2104), so a pseudonym cannot be recomputed without the
/// export key.
fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let inner: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x36)
        .chain(msg.iter().copied())
        .collect();
    let inner_hash = Sha256::digest(&inner);
    let outer: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x5c)
        .chain(inner_hash.iter().copied())
        .collect();
    Sha256::digest(&outer).into()
}

pub fn pseudonym(key: &str, participant_id: i64) -> String {
    hmac(
        key.as_bytes(),
        format!("palett-participant:{participant_id}").as_bytes(),
    )[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl App {
    /// Evaluators and coordinators; `k` from 2 to 50 (default 5 in the UI).
    pub async fn research_export(&self, ctx: &Ctx, key: &str, k: &str) -> Result<ResearchExport> {
        if !(ctx.actor.has(Role::Evaluator) || ctx.actor.has(Role::Coordinator)) {
            return Err(AppError::Forbidden);
        }
        let mut e = FieldErrors::new();
        if key.chars().count() < 12 {
            e.push("key", "error-export-key");
        }
        let k = k
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|k| (2..=50).contains(k));
        if k.is_none() {
            e.push("k", "error-k");
        }
        e.into_result()?;
        let k = k.unwrap_or(5);
        let now = self.now();
        let mut tx = self.db.write().await?;
        let raw =
            palett_store::palette::research_rows(&mut tx, ctx.actor.partnership_id, self.today())
                .await?;
        let mut quasi: Vec<Vec<String>> = raw
            .iter()
            .map(|r| {
                vec![
                    age_group(r.1, r.4).to_string(),
                    region(r.2.as_deref()).to_string(),
                    r.3.clone(),
                ]
            })
            .collect();
        let (suppressed_rows, suppressed_groups) = suppress_small_cells(&mut quasi, k);
        let month = |d: jiff::civil::Date| d.to_string()[..7].to_string();
        let rows = raw
            .iter()
            .zip(quasi)
            .map(|(r, q)| ResearchRecord {
                pseudonym: pseudonym(key, r.0),
                quasi: q,
                intake_month: month(r.4),
                exit_month: r.5.map(month).unwrap_or_default(),
                exit_outcome: r.6.clone().unwrap_or_default(),
                status: r.7.clone(),
                hours: (r.8 + 30) / 60,
            })
            .collect::<Vec<_>>();
        record(
            &mut tx,
            ctx,
            now,
            Action::ResearchExport,
            "research_export",
            Some(rows.len() as i64),
            None,
        )
        .await?;
        tx.commit().await?;
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
        let mac = hmac(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn pseudonyms_are_stable_per_key() {
        assert_eq!(
            pseudonym("en lång exportnyckel", 7),
            pseudonym("en lång exportnyckel", 7)
        );
        assert_ne!(
            pseudonym("en lång exportnyckel", 7),
            pseudonym("en annan exportnyckel", 7)
        );
        assert_ne!(
            pseudonym("en lång exportnyckel", 7),
            pseudonym("en lång exportnyckel", 8)
        );
    }
}
