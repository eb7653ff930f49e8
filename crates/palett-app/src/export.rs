//! Subject access export (registerutdrag, GDPR art. 15): everything palett
//! holds about one participant, with the consents she gave and the log of
//! who read her record. One transaction, one audit row.

use crate::audit::Action;
use crate::palette::{PeriodChange, PlanVersion};
use crate::work::Reading;
use crate::{App, AppError, Ctx, Result};
use jiff::Timestamp;
use palett_domain::consent::Consent;
use palett_domain::model::{Participant, StatusEvent};
use palett_domain::plan::Plan;
use palett_store::audit::Entry;
use palett_store::palette::Enrolment;
use palett_store::{audit, consent, palette, participant};

/// Everything about one participant.
#[derive(Clone, Debug)]
pub struct SubjectAccess {
    pub generated_at: Timestamp,
    pub participant: Participant,
    pub caseworkers: Vec<participant::AssignedCaseworker>,
    pub projects: Vec<participant::ProjectTaken>,
    pub history: Vec<StatusEvent>,
    pub consents: Vec<Consent>,
    pub plans: Vec<(PlanVersion, Plan)>,
    pub period_changes: Vec<PeriodChange>,
    pub enrolments: Vec<Enrolment>,
    pub attendance: Vec<palette::AttendanceRow>,
    pub activities: Vec<palette::ActivityRow>,
    /// Follow-ups after her exit, scheduled and done.
    pub follow_ups: Vec<palett_domain::followup::FollowUp>,
    /// Her self-assessments, oldest first.
    pub self_assessments: Vec<palett_domain::selfassessment::SelfAssessment>,
    /// Her pipelines for openings with their steps; a step to `presented`
    /// is a disclosure of her data to that employer.
    pub proposals: Vec<(
        palett_domain::proposal::Proposal,
        Vec<palett_domain::proposal::ProposalStep>,
    )>,
    /// Her placements with their reviews.
    pub placements: Vec<(
        palett_domain::placement::Placement,
        Vec<palett_domain::placement::Review>,
    )>,
    /// Every logged read and change of her record.
    pub log: Vec<Entry>,
    /// Notes the exporter's organisation may read.
    pub notes: Vec<palett_store::note::Note>,
    /// Earlier versions of her profile, kept by rectification:
    /// (version, profile JSON, changed by, when).
    pub profile_versions: Vec<palett_store::note::ProfileVersion>,
}

impl App {
    /// The subject access export of one participant, for staff who work
    /// with her (audited as an export).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn subject_access(&self, ctx: &Ctx, participant_id: i64) -> Result<SubjectAccess> {
        let a = &ctx.actor;
        let mut r = Reading::begin(self, ctx).await?;
        let p = match self
            .participant_with_relation(r.conn(), participant_id, a)
            .await?
        {
            Some((mut p, rel)) if a.can_change_participant(rel) => {
                if !a.can_see_restricted(rel) {
                    p.restricted = None;
                }
                p
            }
            Some((_, rel)) if a.can_read_participant(rel) => return Err(AppError::Forbidden),
            _ => return Err(AppError::NotFound),
        };
        let plans = palette::plan_versions(r.conn(), participant_id)
            .await?
            .into_iter()
            .map(|v| {
                let plan =
                    Plan::from_json(&v.body).ok_or_else(|| AppError::internal("corrupt plan"))?;
                Ok((v, plan))
            })
            .collect::<Result<Vec<_>>>()?;
        let filter = audit::Filter {
            participant_id: Some(participant_id),
            ..Default::default()
        };
        let (log, _) = audit::list(r.conn(), a.partnership_id, &filter, 100_000, 0).await?;
        let mut proposals = Vec::new();
        for p in palett_store::proposal::of_participant(r.conn(), participant_id).await? {
            let steps = palett_store::proposal::steps(r.conn(), p.id).await?;
            proposals.push((p, steps));
        }
        let mut placements = Vec::new();
        for p in palett_store::placement::of_participant(r.conn(), participant_id).await? {
            let reviews = palett_store::placement::reviews(r.conn(), p.id).await?;
            placements.push((p, reviews));
        }
        let out = SubjectAccess {
            generated_at: self.clock.now(),
            caseworkers: participant::caseworkers(r.conn(), participant_id).await?,
            projects: participant::projects(r.conn(), participant_id).await?,
            history: participant::events(r.conn(), participant_id).await?,
            consents: consent::of_participant(r.conn(), participant_id).await?,
            plans,
            period_changes: palette::period_changes(r.conn(), participant_id).await?,
            enrolments: palette::enrolments_of_participant(r.conn(), participant_id).await?,
            attendance: palette::attendance_of_participant(r.conn(), participant_id).await?,
            activities: palette::activities_of_participant(r.conn(), participant_id).await?,
            follow_ups: palett_store::followup::of_participant(r.conn(), participant_id).await?,
            self_assessments: palett_store::selfassessment::of_participant(
                r.conn(),
                participant_id,
            )
            .await?,
            proposals,
            placements,
            log,
            notes: palett_store::note::visible(r.conn(), participant_id, a.organisation_id).await?,
            profile_versions: if p.restricted.is_some() {
                palett_store::note::versions(r.conn(), self.sealer(), participant_id).await?
            } else {
                Vec::new()
            },
            participant: p,
        };
        r.audit(
            Action::SubjectAccessExport,
            "participant",
            Some(participant_id),
            Some(participant_id),
        );
        r.finish().await?;
        Ok(out)
    }
}
