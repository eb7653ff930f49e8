//! Importing participants from a spreadsheet: a preview that writes
//! nothing, a commit that creates every row or none, and an undo while
//! nothing of what it created has changed.
//!
//! Each row is parsed by the intake form's parser (`palett_domain::import`),
//! its references resolved against the partnership, her lifecycle played
//! through (referral, intake, start, exit) and her identity number looked
//! up by its keyed hash.

use crate::audit::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use palett_domain::import::{
    self as domain, key, ImportKind, Labels, ReadError, References, RowError,
};
use palett_domain::lifecycle::{LifecycleState, Transition, TransitionKind};
use palett_domain::policy::{Role, Standing};
use palett_domain::{FieldError, FieldErrors};
use palett_store::import::{self as store, ImportRecord};
use palett_store::participant::{self as participants, NewEvent};
use palett_store::AnyConnection;
use std::collections::HashMap;

pub use palett_store::import::Created;

/// How many rows of a participant import a preview or commit holds at a
/// time.
const COMMIT_CHUNK: usize = 2_000;

/// The largest file an import takes (a 50,000-row CSV is about 10 MB).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// A row of the preview.
#[derive(Clone, Debug)]
pub struct PreviewRow {
    /// Its spreadsheet row number (the header is row 1).
    pub row: usize,
    pub name: String,
    /// What keeps it from being imported, by column.
    pub errors: Vec<RowError>,
    /// Someone of this name and birth date is already registered: a
    /// warning, not an error.
    pub possible_duplicate: bool,
}

/// What a file would import.
#[derive(Clone, Debug)]
pub struct ImportPreview {
    pub rows: Vec<PreviewRow>,
}

impl ImportPreview {
    pub fn error_rows(&self) -> usize {
        self.rows.iter().filter(|r| !r.errors.is_empty()).count()
    }
}

/// An import as its page shows it: the record, the participants it
/// created (or whose enrolments and time it recorded) and how many of
/// each kind of record it made.
#[derive(Clone, Debug)]
pub struct ImportSummary {
    pub record: ImportRecord,
    pub kind: ImportKind,
    pub participant_ids: Vec<i64>,
    pub counts: Vec<(store::Created, i64)>,
}

/// A committed import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportDone {
    pub import_id: i64,
    pub participant_ids: Vec<i64>,
}

/// A row checked against the partnership.
struct Checked {
    row: usize,
    name: String,
    parsed: std::result::Result<domain::RowCommand, Vec<RowError>>,
    possible_duplicate: bool,
}

/// A file that cannot be read at all, as a field error on `file`.
pub(crate) fn unreadable(e: ReadError) -> AppError {
    let (code, detail) = match e {
        ReadError::Unreadable => ("error-import-unreadable", String::new()),
        ReadError::UnknownColumn(c) => ("error-import-unknown-column", c),
        ReadError::DuplicateColumn(c) => ("error-import-duplicate-column", c),
        ReadError::MissingColumn(c) => ("error-import-missing-column", c.to_string()),
        ReadError::Empty => ("error-import-empty", String::new()),
    };
    AppError::Invalid(
        FieldError::new("file", code)
            .with_arg("detail", detail)
            .into(),
    )
}

/// A membership period: joined, left.
type Period = (jiff::civil::Date, Option<jiff::civil::Date>);

/// The partnership's organisations (members today), caseworkers and
/// projects by name, e-mail or id; and each project's last day.
async fn references(
    c: &mut AnyConnection,
    ctx: &Ctx,
    today: jiff::civil::Date,
) -> Result<(References, HashMap<i64, jiff::civil::Date>)> {
    let pid = ctx.actor.partnership_id;
    let mut refs = References::default();
    let mut periods: HashMap<i64, (String, Vec<Period>)> = HashMap::new();
    for m in palett_store::org::memberships(c, pid).await? {
        periods
            .entry(m.organisation_id)
            .or_insert_with(|| (m.organisation_name.clone(), Vec::new()))
            .1
            .push((m.joined_on, m.left_on));
    }
    for (id, (name, p)) in periods {
        if Standing::on(&p, today) == Standing::Member {
            refs.organisations.insert(key(&name), id);
        }
    }
    for (u, roles) in palett_store::auth::users_of_partnership(c, pid).await? {
        if u.active && Role::may_be_caseworker(&roles) {
            refs.caseworkers.insert(key(&u.display_name), u.id);
            refs.caseworkers.insert(key(&u.email), u.id);
        }
    }
    let mut project_ends = HashMap::new();
    for p in palett_store::project::list(c, pid).await? {
        refs.projects.insert(key(&p.name), p.id);
        project_ends.insert(p.id, p.end_date);
    }
    Ok((refs, project_ends))
}

impl App {
    /// Read and check every row of a file: parsed by the form's parser,
    /// her dates played through her lifecycle, projects open on her
    /// intake, her identity number neither in the partnership nor twice in
    /// the file, and a name and birth date already registered flagged.
    ///
    /// Only the rows in `window` (by their place among the file's rows) are
    /// kept, so that a commit holds one chunk of the file at a time;
    /// `numbers` carries the identity numbers seen in earlier chunks. Also
    /// returns how many rows the file has.
    async fn check_file(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        bytes: &[u8],
        labels: &Labels,
        window: std::ops::Range<usize>,
        numbers: &mut HashMap<String, usize>,
    ) -> Result<(Vec<Checked>, usize)> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(FieldErrors::single("file", "error-import-too-large").into());
        }
        let today = self.today();
        let (refs, project_ends) = references(c, ctx, today).await?;
        let mut rows = Vec::new();
        let total = domain::parse_file(bytes, &refs, labels, today, window, |r| rows.push(r))
            .map_err(unreadable)?;
        // Who is registered already: two lookups for the whole file, not
        // two per row.
        let pid = ctx.actor.partnership_id;
        let profiles: Vec<_> = rows
            .iter()
            .filter_map(|r| r.parsed.as_ref().ok().map(|cmd| &cmd.profile))
            .collect();
        let in_chunk: Vec<&str> = profiles
            .iter()
            .filter_map(|p| p.identity_number.as_deref())
            .collect();
        let registered =
            store::registered_identity_numbers(c, self.sealer(), pid, &in_chunk).await?;
        let people: Vec<(&str, &str, jiff::civil::Date)> = profiles
            .iter()
            .map(|p| (p.given_name.as_str(), p.family_name.as_str(), p.birth_date))
            .collect();
        let known_names = store::registered_names(c, pid, &people).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut possible_duplicate = false;
            let parsed = match r.parsed {
                Err(e) => Err(e),
                Ok(cmd) => {
                    let mut errors = Vec::new();
                    let mut bad = |column: &str, code: &'static str| {
                        errors.push(RowError {
                            row: r.row,
                            column: column.into(),
                            code,
                        })
                    };
                    let p = &cmd.profile;
                    if let Err(e) = play(&cmd, today) {
                        for f in e.0 {
                            bad(&f.field, f.code);
                        }
                    }
                    let on = p.intake_date.unwrap_or(p.referred_on);
                    if p.project_ids
                        .iter()
                        .any(|id| project_ends.get(id).is_some_and(|end| on > *end))
                    {
                        bad("projects", "error-project-ended");
                    }
                    if let Some(n) = p.identity_number.as_deref() {
                        // Earlier in the file first: a commit has written
                        // the earlier chunks' rows already.
                        if numbers.insert(n.to_string(), r.row).is_some() {
                            bad("identity_number", "error-import-identity-twice");
                        } else if registered.contains(n) {
                            bad("identity_number", "error-import-duplicate-identity");
                        }
                    }
                    possible_duplicate = known_names.contains(&store::name_key(
                        &p.given_name,
                        &p.family_name,
                        p.birth_date,
                    ));
                    if errors.is_empty() {
                        Ok(cmd)
                    } else {
                        Err(errors)
                    }
                }
            };
            out.push(Checked {
                row: r.row,
                name: r.name,
                parsed,
                possible_duplicate,
            });
        }
        Ok((out, total))
    }

    /// What importing the file would do, row by row. Writes nothing.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn import_preview(
        &self,
        ctx: &Ctx,
        bytes: &[u8],
        labels: &Labels,
    ) -> Result<ImportPreview> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        // A chunk at a time, keeping of each row only what the preview
        // shows.
        let mut r = Reading::begin(self, ctx).await?;
        let mut numbers = HashMap::new();
        let mut rows = Vec::new();
        let mut start = 0;
        loop {
            let (checked, total) = self
                .check_file(
                    r.conn(),
                    ctx,
                    bytes,
                    labels,
                    start..start + COMMIT_CHUNK,
                    &mut numbers,
                )
                .await?;
            rows.extend(checked.into_iter().map(|c| PreviewRow {
                row: c.row,
                name: c.name,
                errors: c.parsed.err().unwrap_or_default(),
                possible_duplicate: c.possible_duplicate,
            }));
            start += COMMIT_CHUNK;
            if start >= total {
                break;
            }
        }
        r.finish().await?;
        Ok(ImportPreview { rows })
    }

    /// Keep an uploaded file for its commit (the user's earlier pending
    /// file is dropped); the pending import's id.
    pub async fn import_keep(
        &self,
        ctx: &Ctx,
        kind: ImportKind,
        file_name: &str,
        bytes: &[u8],
        rows: usize,
    ) -> Result<i64> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        if bytes.len() > MAX_FILE_BYTES {
            return Err(FieldErrors::single("file", "error-import-too-large").into());
        }
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let id = store::insert_pending(
            &mut tx,
            ctx.actor.partnership_id,
            ctx.actor.user_id,
            kind.as_str(),
            &file_name.chars().take(200).collect::<String>(),
            &B64.encode(bytes),
            rows as i64,
            now,
        )
        .await?;
        tx.done(Action::ImportUpload, "import", Some(id), None)
            .await?;
        Ok(id)
    }

    /// The caller's own pending file: its kind, name and bytes.
    pub async fn import_pending(
        &self,
        ctx: &Ctx,
        id: i64,
    ) -> Result<(ImportKind, String, Vec<u8>)> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        let mut r = Reading::begin(self, ctx).await?;
        let rec = store::by_id(r.conn(), ctx.actor.partnership_id, id).await?;
        r.finish().await?;
        match rec {
            Some(ImportRecord {
                state,
                user_id,
                kind,
                file_name,
                content: Some(content),
                ..
            }) if state == "pending" && user_id == ctx.actor.user_id => {
                let bytes = B64
                    .decode(content)
                    .map_err(|e| AppError::Internal(e.into()))?;
                let kind = ImportKind::parse(&kind)
                    .ok_or_else(|| AppError::internal("an import of an unknown kind"))?;
                Ok((kind, file_name, bytes))
            }
            _ => Err(AppError::NotFound),
        }
    }

    /// Import every row of the file but those `excluded` (by row number),
    /// all or none: refused, naming row and column, while any other row
    /// has an error. One import action in the log and a row per
    /// participant created.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn import_commit(
        &self,
        ctx: &Ctx,
        file_name: &str,
        bytes: &[u8],
        excluded: &[usize],
        labels: &Labels,
    ) -> Result<ImportDone> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        // A chunk of the file at a time: memory stays that of one chunk,
        // whatever the file's length. Rows are written while none has been
        // refused; once one is, the rest are only checked, to name them all,
        // and nothing is kept.
        let mut numbers = HashMap::new();
        let mut refusals = Vec::new();
        let mut created: Vec<(i64, i64)> = Vec::new();
        let mut chosen = 0;
        let mut start = 0;
        loop {
            let (checked, total) = self
                .check_file(
                    &mut tx,
                    ctx,
                    bytes,
                    labels,
                    start..start + COMMIT_CHUNK,
                    &mut numbers,
                )
                .await?;
            for c in checked.into_iter().filter(|c| !excluded.contains(&c.row)) {
                chosen += 1;
                match c.parsed {
                    Err(e) => refusals.extend(by_row(e.iter())),
                    Ok(_) if !refusals.is_empty() => {}
                    Ok(cmd) => {
                        created.push(
                            self.import_row(&mut tx, ctx, c.row, &cmd, today, now)
                                .await?,
                        );
                    }
                }
            }
            start += COMMIT_CHUNK;
            if start >= total {
                break;
            }
        }
        let import_id = record_commit(
            &mut tx,
            ctx,
            ImportKind::Participants,
            file_name,
            refusals,
            chosen,
        )
        .await?;
        let mut ids = Vec::with_capacity(created.len());
        for (id, version) in created {
            store::add_created(&mut tx, import_id, id, version).await?;
            ids.push(id);
        }
        tx.audit_each(Action::ParticipantCreate, "import", &ids)
            .await?;
        tx.done(Action::ImportCommit, "import", Some(import_id), None)
            .await?;
        Ok(ImportDone {
            import_id,
            participant_ids: ids,
        })
    }

    /// Register one row's participant in `tx` (and her exit, if the row
    /// gives one); her id and the version the import leaves her at. A
    /// refusal names the row.
    async fn import_row(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        row: usize,
        cmd: &domain::RowCommand,
        today: jiff::civil::Date,
        now: i64,
    ) -> Result<(i64, i64)> {
        let row_error = |e: AppError| match e {
            AppError::Invalid(f) => AppError::Invalid(FieldErrors(
                f.0.into_iter()
                    .map(|x| x.with_arg("row", row.to_string()))
                    .collect(),
            )),
            e => e,
        };
        // Her references were resolved against the partnership's
        // members today, active caseworkers and projects (`references`).
        let id = self
            .register_into(tx, ctx, &cmd.profile)
            .await
            .map_err(row_error)?;
        let mut version = 1;
        if let Some((on, outcome)) = cmd.exit {
            let before = play(
                &domain::RowCommand {
                    exit: None,
                    ..cmd.clone()
                },
                today,
            )?;
            let t = Transition::Exit { on, outcome };
            let after = before.apply(&t, today).map_err(|e| row_error(e.into()))?;
            participants::update_state(tx, id, version, &after, now).await?;
            version += 1;
            palett_store::followup::schedule(tx, id, on).await?;
            participants::insert_event(
                tx,
                &NewEvent {
                    participant_id: id,
                    kind: TransitionKind::Exit,
                    from_status: Some(before.status),
                    to_status: after.status,
                    on_date: on,
                    reason: None,
                    exit_outcome: after.exit_outcome,
                    pause_kind: None,
                    actor_user_id: Some(ctx.actor.user_id),
                },
                now,
            )
            .await?;
            tx.audit(
                Action::ParticipantTransition,
                TransitionKind::Exit.as_str(),
                Some(id),
                Some(id),
            )
            .await?;
        }
        Ok((id, version))
    }

    /// The partnership's imports, newest first.
    pub async fn imports(&self, ctx: &Ctx) -> Result<Vec<ImportRecord>> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        let mut r = Reading::begin(self, ctx).await?;
        let list = store::list(r.conn(), ctx.actor.partnership_id).await?;
        r.finish().await?;
        Ok(list)
    }

    /// One import and what it created.
    pub async fn import(&self, ctx: &Ctx, id: i64) -> Result<ImportSummary> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        let mut r = Reading::begin(self, ctx).await?;
        let record = match store::by_id(r.conn(), ctx.actor.partnership_id, id).await? {
            Some(record) if record.state != "pending" => record,
            _ => return Err(AppError::NotFound),
        };
        let kind = ImportKind::parse(&record.kind).unwrap_or(ImportKind::Participants);
        // The participants it created, or the records it made for whom.
        let (participant_ids, counts) = if kind == ImportKind::Participants {
            let created = store::created(r.conn(), id).await?;
            (created.into_iter().map(|(id, _)| id).collect(), Vec::new())
        } else {
            let (counts, people) = store::record_counts(r.conn(), id).await?;
            (people, counts)
        };
        r.finish().await?;
        Ok(ImportSummary {
            record,
            kind,
            participant_ids,
            counts,
        })
    }

    /// What importing a file of `kind` but its `excluded` rows would do,
    /// row by row; writes nothing. (A participant's row is checked alone,
    /// so her preview checks them all; the rows of her path depend on the
    /// rows before them: places, groups.)
    pub async fn preview_import(
        &self,
        ctx: &Ctx,
        kind: ImportKind,
        bytes: &[u8],
        excluded: &[usize],
        labels: &Labels,
    ) -> Result<ImportPreview> {
        match kind {
            ImportKind::Participants => self.import_preview(ctx, bytes, labels).await,
            _ => {
                self.path_import_preview(ctx, kind, bytes, excluded, labels)
                    .await
            }
        }
    }

    /// Import a file of `kind`, all rows but the excluded or none.
    pub async fn commit_import(
        &self,
        ctx: &Ctx,
        kind: ImportKind,
        file_name: &str,
        bytes: &[u8],
        excluded: &[usize],
        labels: &Labels,
    ) -> Result<ImportDone> {
        match kind {
            ImportKind::Participants => {
                self.import_commit(ctx, file_name, bytes, excluded, labels)
                    .await
            }
            _ => {
                self.path_import_commit(ctx, kind, file_name, bytes, excluded, labels)
                    .await
            }
        }
    }

    /// Remove exactly what a committed import created, if none of it has
    /// changed since (a new version, a later consent, a note, an
    /// enrolment…); refused otherwise, naming the first changed.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn import_undo(&self, ctx: &Ctx, id: i64) -> Result<Vec<i64>> {
        if !ctx.actor.can_import() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let rec = match store::by_id(&mut tx, ctx.actor.partnership_id, id).await? {
            Some(rec) if rec.state == "committed" => rec,
            Some(rec) if rec.state == "undone" => {
                return Err(FieldErrors::single("import", "error-import-undone").into())
            }
            _ => return Err(AppError::NotFound),
        };
        let at = rec.committed_at.unwrap_or(rec.created_at);
        if rec.kind != ImportKind::Participants.as_str() {
            let ids = self.undo_path_import(&mut tx, ctx, id, at).await?;
            store::set_undone(&mut tx, id, now).await?;
            tx.audit_each(Action::ImportUndo, "participant", &ids)
                .await?;
            tx.done(Action::ImportUndo, "import", Some(id), None)
                .await?;
            return Ok(ids);
        }
        let created = store::created(&mut tx, id).await?;
        let changed = |pid: i64| {
            AppError::Invalid(
                FieldError::new("import", "error-import-changed-since")
                    .with_existing(pid)
                    .into(),
            )
        };
        for (pid, version) in &created {
            if store::changed_since(&mut tx, *pid, *version, at).await? {
                return Err(changed(*pid));
            }
        }
        let ids: Vec<i64> = created.iter().map(|(p, _)| *p).collect();
        for pid in &ids {
            // Anything else naming her fails on its foreign key.
            store::remove_created(&mut tx, *pid)
                .await
                .map_err(|_| changed(*pid))?;
        }
        store::set_undone(&mut tx, id, now).await?;
        tx.audit_each(Action::ImportUndo, "participant", &ids)
            .await?;
        tx.done(Action::ImportUndo, "import", Some(id), None)
            .await?;
        Ok(ids)
    }
}

/// Rows' errors as the refusal names them: the column, with the row.
pub(crate) fn by_row<'e>(errors: impl Iterator<Item = &'e RowError>) -> Vec<FieldError> {
    errors
        .map(|e| FieldError::new(e.column.clone(), e.code).with_arg("row", e.row.to_string()))
        .collect()
}

/// Refuse a commit while a row left in has an error (each named by its
/// row and column) or when no row is left in; else record the committed
/// import of `rows` rows (the user's pending file dropped). Its id.
pub(crate) async fn record_commit(
    tx: &mut Change<'_>,
    ctx: &Ctx,
    kind: ImportKind,
    file_name: &str,
    errors: Vec<FieldError>,
    rows: usize,
) -> Result<i64> {
    if !errors.is_empty() {
        return Err(FieldErrors(errors).into());
    }
    if rows == 0 {
        return Err(FieldErrors::single("file", "error-import-nothing").into());
    }
    let now = tx.now();
    Ok(store::insert_committed(
        tx,
        ctx.actor.partnership_id,
        ctx.actor.user_id,
        kind.as_str(),
        &file_name.chars().take(200).collect::<String>(),
        rows as i64,
        now,
    )
    .await?)
}

/// How long importing generated rows took (`palett bench --import-rows`).
#[derive(Clone, Debug)]
pub struct ImportBench {
    pub rows: usize,
    pub bytes: usize,
    pub preview_ms: f64,
    pub commit_ms: f64,
    pub undo_ms: f64,
}

impl ImportBench {
    /// Rows committed per second.
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / (self.commit_ms / 1000.0).max(1e-9)
    }
}

impl App {
    /// Import `n` generated rows (a CSV as a coordinator would send it:
    /// women taken in, a third of them ended) as the demo coordinator,
    /// timing the preview, the commit and the undo that leaves the
    /// database as it was.
    pub async fn bench_import(&self, n: usize) -> Result<ImportBench> {
        use std::fmt::Write;
        use std::time::Instant;
        let ctx = self.ctx_for_email(crate::demo::DEMO_USERS[1].0).await?;
        let mut csv = String::from(
            "given_name;family_name;birth_date;gender;responsible_organisation;referral_source;\
             intake_date;exit_date;exit_outcome\n",
        );
        for i in 0..n {
            let birth = jiff::civil::date(
                1960 + (i % 40) as i16,
                1 + (i % 12) as i8,
                1 + (i % 28) as i8,
            );
            let (exit, outcome) = if i % 3 == 0 {
                ("2026-06-30", "job_seeking")
            } else {
                ("", "")
            };
            let _ = writeln!(
                csv,
                "Bench{i};Import;{birth};woman;Hela Människan;self;2026-01-15;{exit};{outcome}"
            );
        }
        let labels = Labels::default();
        let t = Instant::now();
        let preview = self.import_preview(&ctx, csv.as_bytes(), &labels).await?;
        let preview_ms = t.elapsed().as_secs_f64() * 1000.0;
        if preview.error_rows() > 0 {
            return Err(AppError::internal("the generated import rows have errors"));
        }
        let t = Instant::now();
        let done = self
            .import_commit(&ctx, "bench.csv", csv.as_bytes(), &[], &labels)
            .await?;
        let commit_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        self.import_undo(&ctx, done.import_id).await?;
        let undo_ms = t.elapsed().as_secs_f64() * 1000.0;
        Ok(ImportBench {
            rows: n,
            bytes: csv.len(),
            preview_ms,
            commit_ms,
            undo_ms,
        })
    }
}

/// Her lifecycle as the row gives it, up to her start (her exit is
/// applied after): referral, intake, start, then a check that the exit
/// fits. Errors name the row's columns.
fn play(
    cmd: &domain::RowCommand,
    today: jiff::civil::Date,
) -> std::result::Result<LifecycleState, FieldErrors> {
    let p = &cmd.profile;
    let rename = |e: FieldErrors, to: &str| {
        FieldErrors(
            e.0.into_iter()
                .map(|mut f| {
                    f.field = to.to_string();
                    f
                })
                .collect(),
        )
    };
    let mut state = LifecycleState::referred(p.referred_on);
    if let Some(on) = p.intake_date {
        state = state
            .apply(&Transition::Intake { on }, today)
            .map_err(|e| rename(e, "intake_date"))?;
    }
    if let Some(on) = p.start_on {
        state = state
            .apply(&Transition::Start { on }, today)
            .map_err(|e| rename(e, "start_on"))?;
    }
    if let Some((on, outcome)) = cmd.exit {
        state
            .apply(&Transition::Exit { on, outcome }, today)
            .map_err(|e| rename(e, "exit_date"))?;
    }
    Ok(state)
}
