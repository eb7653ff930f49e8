//! Importing her path from a spreadsheet: enrolments in the palette's
//! interventions (creating the groups they name) and recorded time, for
//! participants already in palett.
//!
//! The preview and the commit run the same code: every row through the
//! use cases' own checks and writes (`enrol_recorded_in`,
//! `create_group_in`, `insert_activity`), each row inside a savepoint so
//! that a refused row is undone whole and the next row still runs. The
//! preview then rolls everything back; the commit keeps it only when no
//! row left in was refused.

use crate::audit::Action;
use crate::import::{
    by_row, record_commit, unreadable, ImportDone, ImportPreview, PreviewRow, MAX_FILE_BYTES,
};
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
use palett_domain::import::path::{self as domain, ImportKind, PathCommand, PathRow, Who};
use palett_domain::import::{key, Labels, RowError};
use palett_domain::path::{Enrol, NewGroup};
use palett_domain::{FieldError, FieldErrors};
use palett_store::import::{self as store, Created};
use palett_store::{savepoint, Savepoint};
use std::collections::{BTreeSet, HashMap};

/// The most rows an import of her path takes: its preview holds the
/// writer's turn while it runs (a larger file is split).
pub const MAX_PATH_ROWS: usize = 5_000;

/// A row as the run left it.
struct Outcome {
    row: usize,
    name: String,
    /// Left out by the importer: listed, not run.
    excluded: bool,
    errors: Vec<RowError>,
    participant_id: Option<i64>,
    created: Vec<(Created, i64)>,
}

/// The groups of the interventions rows have named so far (all of each
/// intervention's groups, read when a row first names it), by
/// intervention and [`key`] of their names.
#[derive(Default)]
struct Groups {
    read: BTreeSet<i64>,
    by_name: HashMap<(i64, String), i64>,
}

impl Groups {
    async fn find(
        &mut self,
        c: &mut palett_store::AnyConnection,
        iid: i64,
        name: &str,
    ) -> Result<Option<i64>> {
        if self.read.insert(iid) {
            for g in palett_store::palette::groups_of_intervention(c, iid).await? {
                self.by_name.insert((iid, key(&g.name)), g.id);
            }
        }
        Ok(self.by_name.get(&(iid, key(name))).copied())
    }
}

impl App {
    /// Run every row of the file in `tx` but those `excluded`, each kept
    /// or undone whole.
    async fn run_path_file(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        kind: ImportKind,
        bytes: &[u8],
        labels: &Labels,
        excluded: &[usize],
    ) -> Result<Vec<Outcome>> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(FieldErrors::single("file", "error-import-too-large").into());
        }
        let today = self.today();
        let pid = ctx.actor.partnership_id;
        // By name, the interventions in use before retired ones of the
        // same name; a name several still bear names none.
        let palette = palett_store::palette::interventions(tx, pid, true).await?;
        let mut interventions: domain::Interventions = HashMap::new();
        for retired in [false, true] {
            for i in palette.iter().filter(|i| i.retired_on.is_some() == retired) {
                let ids = interventions.entry(key(&i.name)).or_default();
                if ids.is_empty() || !retired {
                    ids.push(i.id);
                }
            }
        }
        let mut rows = Vec::new();
        domain::parse_path_file(kind, bytes, &interventions, labels, today, |r| rows.push(r))
            .map_err(unreadable)?;
        if rows.len() > MAX_PATH_ROWS {
            return Err(AppError::Invalid(
                FieldError::new("file", "error-import-too-many-rows")
                    .with_arg("max", MAX_PATH_ROWS.to_string())
                    .into(),
            ));
        }
        let mut groups = Groups::default();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut outcome = Outcome {
                row: r.row,
                name: r.name,
                excluded: excluded.contains(&r.row),
                errors: Vec::new(),
                participant_id: None,
                created: Vec::new(),
            };
            match r.parsed {
                _ if outcome.excluded => {}
                Err(e) => outcome.errors = e,
                Ok(cmd) => {
                    savepoint(tx, Savepoint::Mark).await?;
                    let mut created = Vec::new();
                    match self
                        .path_row(tx, ctx, &cmd, &mut groups, &mut created)
                        .await
                    {
                        Ok((participant_id, name)) => {
                            savepoint(tx, Savepoint::Keep).await?;
                            // Named by id or number, the preview shows
                            // whom the row found.
                            outcome.name = name;
                            outcome.participant_id = Some(participant_id);
                            outcome.created = created;
                        }
                        Err(e) => {
                            savepoint(tx, Savepoint::Undo).await?;
                            // A group the row made is gone with it.
                            groups
                                .by_name
                                .retain(|_, id| !created.contains(&(Created::Group, *id)));
                            outcome.errors = row_errors(r.row, e)?;
                        }
                    }
                }
            }
            out.push(outcome);
        }
        Ok(out)
    }

    /// One row: find her, then enrol her (in the group it names, made
    /// when the intervention has none of that name) or record her time.
    /// Her id and name.
    async fn path_row(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        row: &PathRow,
        groups: &mut Groups,
        created: &mut Vec<(Created, i64)>,
    ) -> Result<(i64, String)> {
        let (participant_id, name) = self.find_her(tx, ctx, &row.who).await?;
        match &row.command {
            PathCommand::Enrol(e) => {
                let iid = e.intervention_id;
                let group_id = match &e.group {
                    None => None,
                    Some(name) => match groups.find(tx, iid, name).await? {
                        Some(id) => Some(id),
                        None => {
                            let cmd = NewGroup {
                                name: name.clone(),
                                leader_user_id: None,
                            };
                            let id = self
                                .create_group_in(tx, ctx, iid, &cmd)
                                .await
                                .map_err(|e| rename(e, "name", "group"))?;
                            groups.by_name.insert((iid, key(name)), id);
                            created.push((Created::Group, id));
                            Some(id)
                        }
                    },
                };
                let cmd = Enrol {
                    intervention_id: iid,
                    group_id,
                    start_date: e.start_date,
                    end_date: e.end_date,
                };
                let (id, _) = self
                    .enrol_recorded_in(
                        tx,
                        ctx,
                        participant_id,
                        &cmd,
                        Some((e.status, e.reason.as_deref())),
                    )
                    .await?;
                created.push((Created::Enrolment, id));
            }
            PathCommand::Time(a) => {
                let id = self
                    .insert_activity(tx, ctx, participant_id, a, None)
                    .await?;
                tx.audit(
                    Action::ActivityRecord,
                    "activity",
                    Some(id),
                    Some(participant_id),
                )
                .await?;
                created.push((Created::Activity, id));
            }
        }
        Ok((participant_id, name))
    }

    /// The participant a row names, if the caller may change her; one she
    /// may not see is as unknown as one that does not exist.
    async fn find_her(&self, tx: &mut Change<'_>, ctx: &Ctx, who: &Who) -> Result<(i64, String)> {
        let pid = ctx.actor.partnership_id;
        let unknown =
            |column: &str| FieldErrors::single(column, "error-import-unknown-participant");
        let (id, column) = match who {
            Who::Id(id) => (Some(*id), "participant_id"),
            Who::IdentityNumber(n) => (
                palett_store::participant::id_by_identity_number(tx, self.sealer(), pid, n).await?,
                "identity_number",
            ),
            Who::Name(given, family, birth) => {
                // Among those the importer may change: one she may not see
                // neither matches nor makes a match ambiguous.
                let mut found = Vec::new();
                for id in store::ids_by_name(tx, pid, given, family, *birth).await? {
                    if let Ok(p) = self.changeable(tx, ctx, id).await {
                        found.push((id, p.full_name()));
                    }
                }
                return match found.len() {
                    0 => Err(unknown("given_name").into()),
                    1 => Ok(found.remove(0)),
                    _ => Err(FieldErrors::single(
                        "given_name",
                        "error-import-ambiguous-participant",
                    )
                    .into()),
                };
            }
        };
        let Some(id) = id else {
            return Err(unknown(column).into());
        };
        match self.changeable(tx, ctx, id).await {
            Ok(p) => Ok((id, p.full_name())),
            Err(AppError::NotFound) => Err(unknown(column).into()),
            Err(AppError::Forbidden) => {
                Err(FieldErrors::single(column, "error-import-not-yours").into())
            }
            Err(e) => Err(e),
        }
    }

    /// What importing an enrolment or time file would do, row by row:
    /// every row but those `excluded` run through the commit's own checks
    /// and writes, then all of it rolled back.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn path_import_preview(
        &self,
        ctx: &Ctx,
        kind: ImportKind,
        bytes: &[u8],
        excluded: &[usize],
        labels: &Labels,
    ) -> Result<ImportPreview> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let outcomes = self
            .run_path_file(&mut tx, ctx, kind, bytes, labels, excluded)
            .await?;
        tx.discard().await?;
        Ok(ImportPreview {
            rows: outcomes
                .into_iter()
                .map(|o| PreviewRow {
                    row: o.row,
                    name: o.name,
                    errors: o.errors,
                    possible_duplicate: false,
                })
                .collect(),
        })
    }

    /// Import every row of an enrolment or time file but those `excluded`,
    /// all or none: refused, naming row and column, while a row left in
    /// is refused. One import action in the log beside each enrolment,
    /// group and time entry's own.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn path_import_commit(
        &self,
        ctx: &Ctx,
        kind: ImportKind,
        file_name: &str,
        bytes: &[u8],
        excluded: &[usize],
        labels: &Labels,
    ) -> Result<ImportDone> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let mut outcomes = self
            .run_path_file(&mut tx, ctx, kind, bytes, labels, excluded)
            .await?;
        outcomes.retain(|o| !o.excluded);
        let import_id = record_commit(
            &mut tx,
            ctx,
            kind,
            file_name,
            by_row(outcomes.iter().flat_map(|o| &o.errors)),
            outcomes.len(),
        )
        .await?;
        let mut people = BTreeSet::new();
        for o in &outcomes {
            people.extend(o.participant_id);
            for (what, id) in &o.created {
                let whose = (*what != Created::Group)
                    .then_some(o.participant_id)
                    .flatten();
                store::add_record(&mut tx, import_id, *what, *id, whose).await?;
            }
        }
        tx.done(Action::ImportCommit, "import", Some(import_id), None)
            .await?;
        Ok(ImportDone {
            import_id,
            participant_ids: people.into_iter().collect(),
        })
    }

    /// Undo an enrolment or time import within `tx`, by one who may
    /// change every participant it concerns: refused while an enrolment it
    /// made has moved on, time it recorded falls in a month attested since,
    /// or a group it made has sessions or other members; the participants
    /// whose records it removed.
    pub(crate) async fn undo_path_import(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        import_id: i64,
        at: i64,
    ) -> Result<Vec<i64>> {
        let refuse = |code: &'static str| AppError::Invalid(FieldErrors::single("import", code));
        let (_, people) = store::record_counts(tx, import_id).await?;
        for pid in &people {
            if self.changeable(tx, ctx, *pid).await.is_err() {
                return Err(refuse("error-import-undo-not-yours"));
            }
        }
        for id in store::records(tx, import_id, Created::Enrolment).await? {
            if store::enrolment_changed_since(tx, id, at).await? {
                return Err(refuse("error-import-changed-since"));
            }
        }
        for id in store::records(tx, import_id, Created::Activity).await? {
            if let Some((pid, on)) = store::activity_of(tx, id).await? {
                let month = palett_domain::indicators::Month::of(on).to_string();
                if !palett_store::month_attestation::attested_among(tx, &[pid], &month)
                    .await?
                    .is_empty()
                {
                    return Err(refuse("error-import-attested-since"));
                }
            }
        }
        for what in [Created::Activity, Created::Enrolment, Created::Group] {
            for id in store::records(tx, import_id, what).await? {
                // A group used since fails on its foreign key.
                store::remove_record(tx, what, id)
                    .await
                    .map_err(|e| match AppError::from(e) {
                        AppError::Busy => AppError::Busy,
                        _ => refuse("error-import-changed-since"),
                    })?;
            }
        }
        palett_store::palette::refresh_participants_time(tx, &people).await?;
        Ok(people)
    }
}

/// A refused row's problems by column, or the error itself when it is no
/// refusal (a database failure stops the whole import).
fn row_errors(row: usize, e: AppError) -> Result<Vec<RowError>> {
    let column = |field: &str| -> String {
        match field {
            "intervention_id" => "intervention".into(),
            "group_id" | "name" => "group".into(),
            // The time form's hours and day, the enrolment's dates and
            // status are the file's own columns.
            other => other.into(),
        }
    };
    match e {
        AppError::Invalid(f) => Ok(f
            .0
            .into_iter()
            .map(|f| RowError {
                row,
                column: column(&f.field),
                code: f.code,
            })
            .collect()),
        // The intervention is not the caller's to run (its groups).
        AppError::NotFound | AppError::Forbidden => Ok(vec![RowError {
            row,
            column: "intervention".into(),
            code: "error-import-not-allowed",
        }]),
        e => Err(e),
    }
}

/// Field errors of `from` named `to` instead.
fn rename(e: AppError, from: &str, to: &str) -> AppError {
    match e {
        AppError::Invalid(f) => AppError::Invalid(FieldErrors(
            f.0.into_iter()
                .map(|mut x| {
                    if x.field == from {
                        x.field = to.to_string();
                    }
                    x
                })
                .collect(),
        )),
        e => e,
    }
}
