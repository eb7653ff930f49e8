//! Recording and withdrawing a participant's consents. Who may: those who
//! may change her record. Reading them is part of reading her record.

use crate::audit::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::consent::{Consent, ConsentSpec};
use palett_domain::{FieldError, FieldErrors};
use palett_store::consent as store;
use palett_store::AnyConnection;

impl App {
    /// A participant's consents, newest first, each with whether it is in
    /// force today.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn consents(&self, ctx: &Ctx, participant_id: i64) -> Result<Vec<(Consent, bool)>> {
        let a = &ctx.actor;
        let mut r = Reading::begin(self, ctx).await?;
        match self
            .participant_with_relation(r.conn(), participant_id, a)
            .await?
        {
            Some((_, rel)) if a.in_scope(rel) => {}
            _ => return Err(AppError::NotFound),
        }
        let list = self.consents_in(r.conn(), participant_id).await?;
        r.audit(
            Action::ParticipantRead,
            "consents",
            None,
            Some(participant_id),
        );
        r.finish().await?;
        Ok(list)
    }

    /// Her consents, newest first, each with whether it is in force today
    /// (no access check, no audit: the caller's reading does both).
    pub(crate) async fn consents_in(
        &self,
        c: &mut AnyConnection,
        participant_id: i64,
    ) -> Result<Vec<(Consent, bool)>> {
        let today = self.today();
        Ok(store::of_participant(c, participant_id)
            .await?
            .into_iter()
            .map(|k| {
                let f = k.in_force(today);
                (k, f)
            })
            .collect())
    }

    /// Record a consent given by the participant.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn give_consent(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        spec: &ConsentSpec,
    ) -> Result<i64> {
        let now = self.now();
        let a = &ctx.actor;
        let mut tx = Change::begin(self, ctx).await?;
        match self
            .participant_with_relation(&mut tx, participant_id, a)
            .await?
        {
            Some((_, rel)) if a.can_change_participant(rel) => {}
            Some((_, rel)) if a.can_read_participant(rel) => return Err(AppError::Forbidden),
            _ => return Err(AppError::NotFound),
        }
        let members = palett_store::org::memberships(&mut tx, a.partnership_id).await?;
        if spec
            .organisation_ids
            .iter()
            .any(|o| !members.iter().any(|m| m.organisation_id == *o))
        {
            return Err(FieldErrors::single("organisation_ids", "error-choice").into());
        }
        // One at a time per participant, so that two requests cannot both
        // find no consent in force and both record one.
        store::lock_participant(&mut tx, participant_id).await?;
        let existing = store::of_participant(&mut tx, participant_id).await?;
        if let Some(k) = spec.duplicate_of(&existing, self.today()) {
            return Err(FieldErrors::from(
                FieldError::new("kind", "error-consent-duplicate")
                    .with_arg("date", k.given_on.to_string())
                    .with_existing(k.id),
            )
            .into());
        }
        let id = store::insert(&mut tx, participant_id, spec, a.user_id, now).await?;
        tx.done(
            Action::ConsentGive,
            spec.kind.as_str(),
            Some(id),
            Some(participant_id),
        )
        .await?;
        Ok(id)
    }

    /// Withdraw a consent: it stops counting at once; the record stays.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn withdraw_consent(
        &self,
        ctx: &Ctx,
        consent_id: i64,
        note: Option<&str>,
    ) -> Result<i64> {
        let now = self.now();
        let a = &ctx.actor;
        let mut tx = Change::begin(self, ctx).await?;
        let pid = store::participant_of(&mut tx, consent_id)
            .await?
            .ok_or(AppError::NotFound)?;
        match self.participant_with_relation(&mut tx, pid, a).await? {
            Some((_, rel)) if a.can_change_participant(rel) => {}
            Some((_, rel)) if a.can_read_participant(rel) => return Err(AppError::Forbidden),
            _ => return Err(AppError::NotFound),
        }
        if !store::withdraw(&mut tx, consent_id, Some(a.user_id), note, now).await? {
            return Err(FieldErrors::single("consent", "error-consent-withdrawn").into());
        }
        tx.emit(palett_domain::webhook::EventKind::ConsentWithdrawn, pid)
            .await?;
        tx.done(
            Action::ConsentWithdraw,
            "consent",
            Some(consent_id),
            Some(pid),
        )
        .await?;
        Ok(pid)
    }
}
