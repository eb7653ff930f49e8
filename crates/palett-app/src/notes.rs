//! Notes about a participant with a visibility, and the history that
//! rectification keeps.

use crate::audit::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::model::Participant;
use palett_domain::record::NewNote;
use palett_store::note as store;
pub use palett_store::note::Note;

impl App {
    /// Write a note about a participant the caller works with.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn add_note(&self, ctx: &Ctx, participant_id: i64, note: &NewNote) -> Result<i64> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        match self
            .participant_with_relation(&mut tx, participant_id, &ctx.actor)
            .await?
        {
            Some((p, rel)) if ctx.actor.can_add_note(rel) => {
                crate::ensure_processable(p)?;
            }
            Some((_, rel)) if ctx.actor.in_scope(rel) => return Err(AppError::Forbidden),
            _ => return Err(AppError::NotFound),
        }
        let id = store::insert(
            &mut tx,
            participant_id,
            ctx.actor.user_id,
            ctx.actor.organisation_id,
            note.visibility.as_str(),
            &note.body,
            now,
        )
        .await?;
        tx.done(Action::NoteAdd, "note", Some(id), Some(participant_id))
            .await?;
        Ok(id)
    }

    /// The notes the caller may read (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn notes(&self, ctx: &Ctx, participant_id: i64) -> Result<Vec<Note>> {
        let mut r = Reading::begin(self, ctx).await?;
        match self
            .participant_with_relation(r.conn(), participant_id, &ctx.actor)
            .await?
        {
            Some((_, rel)) if ctx.actor.in_scope(rel) => {}
            _ => return Err(AppError::NotFound),
        }
        let notes = store::visible(r.conn(), participant_id, ctx.actor.organisation_id).await?;
        r.audit(Action::ParticipantRead, "notes", None, Some(participant_id));
        r.finish().await?;
        Ok(notes)
    }
}

/// The profile as JSON, for the history rectification keeps.
pub(crate) fn profile_json(p: &Participant) -> String {
    serde_json::json!({
        "given_name": p.given_name,
        "family_name": p.family_name,
        "identity_kind": p.identity_kind.as_str(),
        "identity_number": p.identity_number,
        "birth_date": p.birth_date.to_string(),
        "gender": p.gender.as_str(),
        "country_of_birth": p.country_of_birth,
        "arrival_year": p.arrival_year,
        "languages": p.languages,
        "interpreter_needed": p.interpreter_needed,
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "education_level": p.education_level.as_str(),
        "entry_labour_status": p.entry.labour_status.as_str(),
        "entry_income_source": p.entry.income_source.as_str(),
        "entry_months_on_support": p.entry.months_on_support,
        "swedish_level": p.swedish_level.as_str(),
        "referral_source": p.referral_source.as_str(),
        "responsible_organisation": p.responsible_organisation_name,
        "referred_on": p.state.referred_on.to_string(),
        "health_notes": p.restricted.as_ref().and_then(|r| r.health_notes.clone()),
        "support_needs": p.restricted.as_ref().and_then(|r| r.support_needs.clone()),
        "protected_identity": p.restricted.as_ref().is_some_and(|r| r.protected_identity),
    })
    .to_string()
}
