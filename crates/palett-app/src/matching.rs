//! Matching with reasons: the candidates for an opening and the openings
//! for a participant, each row with its score and the reasons behind it
//! ([`palett_domain::matching`]). Candidates are only those the caller may
//! see whose employer-contact consent is in force today; the list is an
//! audited read.

use crate::audit::Action;
use crate::paging::Page;
use crate::work::Reading;
use crate::{App, AppError, Ctx, Result};
use palett_domain::matching::{place_key, rank_pairs, Match, Pair};
use palett_domain::opening::Opening;
use palett_store::matching as store;
pub use palett_store::matching::CandidateRow;

/// A candidate for an opening: who she is and why she is where she is.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub participant: CandidateRow,
    pub matched: Match,
    /// The caller may propose her (she may change her record).
    pub may_propose: bool,
}

/// The openings for one participant, ranked, and whether she may be
/// proposed to an employer at all.
#[derive(Clone, Debug)]
pub struct OpeningsForHer {
    pub items: Vec<(Opening, Match)>,
    pub total: i64,
    /// Her occupational interests (area codes), from her latest plan.
    pub interests: Vec<String>,
    /// The municipalities she can reach (by name), from her latest plan.
    pub reach: Vec<String>,
    /// Her employer-contact consent is in force today.
    pub may_be_proposed: bool,
}

impl App {
    /// The candidates for an opening, best first, one page; how many there
    /// are. Only participants the caller sees, enrolled, active or paused,
    /// with their employer-contact consent in force.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn opening_candidates(
        &self,
        ctx: &Ctx,
        opening_id: i64,
        page: Page,
    ) -> Result<(Opening, Vec<Candidate>, i64)> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let mut r = Reading::begin(self, ctx).await?;
        let opening = palett_store::opening::by_id(r.conn(), ctx.actor.partnership_id, opening_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let scope = ctx.actor.participant_scope(today);
        let sought = store::Sought {
            area: &opening.area,
            municipality: &opening.employer_municipality,
            window: window_of(opening.start_date, opening.end_date, today),
        };
        let rows = store::candidates(r.conn(), scope, sought, today, ctx.actor.user_id).await?;
        let pairs: Vec<(i64, Option<jiff::civil::Date>, Pair)> = rows
            .iter()
            .map(|c| (c.id, None, pair(c, &opening)))
            .collect();
        let (shown, total) = ranked_page(&pairs, page);
        let shown: Vec<Candidate> = shown
            .into_iter()
            .filter_map(|m| {
                rows.iter().find(|c| c.id == m.id).map(|c| Candidate {
                    may_propose: ctx.actor.changes_in_scope(
                        c.responsible_organisation_id == ctx.actor.organisation_id,
                        c.assigned_to_caller,
                    ),
                    participant: c.clone(),
                    matched: m,
                })
            })
            .collect();
        r.audit(Action::MatchCandidates, "opening", Some(opening_id), None);
        r.finish().await?;
        Ok((opening, shown, total))
    }

    /// The open openings for a participant, best first, one page (a read
    /// of her record, audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn openings_for_participant(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        page: Page,
    ) -> Result<OpeningsForHer> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let partnership = ctx.actor.partnership_id;
        self.read_part(ctx, participant_id, "openings", async |c| {
            let (status, swedish, planned_end) = store::her_facts(c, participant_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let interests = store::interests_of(c, participant_id).await?;
            let reach = store::reach_of(c, participant_id).await?;
            let reach_keys: Vec<String> = reach.iter().map(|n| place_key(n)).collect();
            let may_be_proposed =
                store::employer_contact_in_force(c, participant_id, today).await?;
            let placements = store::placements_of(c, participant_id).await?;
            let facts = palett_store::opening::open_facts(c, partnership).await?;
            let pairs: Vec<(i64, Option<jiff::civil::Date>, Pair)> = facts
                .into_iter()
                .map(|o| {
                    let (from, to) = window_of(o.start_date, o.end_date, today);
                    let p = Pair {
                        earlier_in_area: placements.iter().any(|(a, _, _)| *a == o.area),
                        placed_elsewhere: placements.iter().any(|(_, s, e)| *s <= to && *e >= from),
                        interested: (!interests.is_empty()).then(|| interests.contains(&o.area)),
                        reach: (!reach_keys.is_empty())
                            .then(|| reach_keys.contains(&place_key(&o.municipality))),
                        her_swedish: swedish,
                        asked_swedish: o.swedish_level,
                        paused: status == palett_domain::lifecycle::Status::Paused,
                        planned_end,
                        opening_start: o.start_date,
                        opening_end: o.end_date,
                    };
                    (o.id, o.start_date, p)
                })
                .collect();
            let (shown, total) = ranked_page(&pairs, page);
            let ids: Vec<i64> = shown.iter().map(|m| m.id).collect();
            let openings = palett_store::opening::by_ids(c, partnership, &ids).await?;
            let items = shown
                .into_iter()
                .filter_map(|m| {
                    openings
                        .iter()
                        .find(|o| o.id == m.id)
                        .map(|o| (o.clone(), m))
                })
                .collect();
            Ok(OpeningsForHer {
                items,
                total,
                interests,
                reach,
                may_be_proposed,
            })
        })
        .await
    }
}

/// One page of the ranked pairs, and how many there are.
fn ranked_page(pairs: &[(i64, Option<jiff::civil::Date>, Pair)], page: Page) -> (Vec<Match>, i64) {
    let ranked = rank_pairs(pairs);
    let total = ranked.len() as i64;
    let shown = ranked
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .collect();
    (shown, total)
}

/// The days an opening asks for: its period, from its start when it has
/// no end, or today when it has no dates.
fn window_of(
    start: Option<jiff::civil::Date>,
    end: Option<jiff::civil::Date>,
    today: jiff::civil::Date,
) -> (jiff::civil::Date, jiff::civil::Date) {
    let from = start.unwrap_or(today);
    (from, end.unwrap_or(from))
}

fn pair(c: &CandidateRow, o: &Opening) -> Pair {
    Pair {
        earlier_in_area: c.earlier_in_area,
        placed_elsewhere: c.placed_elsewhere,
        interested: c.interested,
        reach: c.reach,
        her_swedish: c.swedish_level,
        asked_swedish: o.swedish_level,
        paused: c.status == palett_domain::lifecycle::Status::Paused,
        planned_end: c.planned_end,
        opening_start: o.start_date,
        opening_end: o.end_date,
    }
}
