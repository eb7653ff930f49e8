//! The story harness: a fresh database per test on either backend, an app on
//! a [`TestClock`], demo accounts, and small helpers the stories share.

use jiff::{SignedDuration, Timestamp};
use palett_app::auth::Signed;
use palett_app::clock::{Clock, TestClock};
use palett_app::data_key::DataKey;
use palett_app::demo::DEMO_PASSWORD;
use palett_app::participants::{Page, ParticipantView, Position, COUNT_LIMIT};
use palett_app::{App, AppError, Backend, Config, Ctx};
use palett_domain::model::ParticipantInput;
use palett_domain::summary::ProjectSummary;
use palett_store::audit::{Entry, Filter as AuditFilter};
use palett_store::participant::Filter;
use palett_store::Db;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Where every story's clock starts.
pub const START: &str = "2026-11-25T10:00:00Z";

/// The data key of every story test database (synthetic, like the data).
pub const TEST_KEY: [u8; 32] = [7; 32];
/// The data key of the second database of a story that moves data
/// ([`H::with_other`]).
pub const OTHER_KEY: [u8; 32] = [9; 32];
/// The address every story signs in from.
pub const IP: &str = "127.0.0.1";

pub const ADMIN: &str = "admin@helamanniskan.example";
pub const COORDINATOR: &str = "samordnare@helamanniskan.example";
pub const KOMMUN_COORDINATOR: &str = "samordnare@botkyrka.example";
pub const HANDLEDARE: &str = "handledare@helamanniskan.example";
/// Caseworker of Botkyrka kommun.
pub const COACH: &str = "coach@botkyrka.example";
/// Caseworker of Arbetsförmedlingen, which left the partnership on
/// 2020-06-30: a former member, who reads only its own records.
pub const AF: &str = "handlaggare@arbetsformedlingen.example";
/// Caseworker (teacher) of Botkyrka folkhögskola, a member: the other
/// organisation's caseworker of stories that need one still in the
/// partnership.
pub const LARARE: &str = "larare@folkhogskola.example";
/// Caseworker of Studieförbundet Bilda, whose organisation is responsible
/// for no demo participant.
pub const CIRKELLEDARE: &str = "cirkelledare@bilda.example";
pub const EVALUATOR: &str = "forskare@samordningsforbund.example";

pub const TILLVAXT_KVINNA: &str = "Tillväxt Kvinna";
pub const BOTKYRKA_KOMMUN: &str = "Botkyrka kommun";
pub const HELA_MANNISKAN: &str = "Hela Människan";

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// One story's world: the app, its clock and which database it runs on.
#[derive(Clone)]
pub struct H {
    pub app: App,
    pub clock: Arc<TestClock>,
    pub backend: Backend,
    /// The demo partnership's organisations, once seeded.
    pub members: std::sync::OnceLock<Vec<i64>>,
}

/// Run `story` against a fresh database of `backend`, then drop the
/// database, also when the story panics (the panic is passed on).
pub async fn run<F, Fut>(backend: Backend, story: F)
where
    F: FnOnce(H) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = TestDb::create(backend).await;
    let outcome = match H::open(backend, &db.url).await {
        Ok(h) => {
            let app = h.app.clone();
            let joined = tokio::spawn(story(h)).await;
            app.close().await;
            match joined {
                Ok(()) => Ok(()),
                Err(e) if e.is_panic() => {
                    // The panic hook has printed the message already.
                    db.destroy().await;
                    std::panic::resume_unwind(e.into_panic());
                }
                Err(e) => Err(format!("the story's task failed: {e}")),
            }
        }
        Err(message) => Err(message),
    };
    db.destroy().await;
    if let Err(message) = outcome {
        panic!("{message}");
    }
}

/// Run `story` against a fresh database of `backend` and a second, empty
/// one of the OTHER backend with another data key ([`OTHER_KEY`]), for
/// stories that move data between palett instances (archives); both are
/// dropped afterwards, also when the story panics.
pub async fn run_with_other<F, Fut>(backend: Backend, story: F)
where
    F: FnOnce(H, H) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let other_backend = match backend {
        Backend::Sqlite => Backend::Postgres,
        Backend::Postgres => Backend::Sqlite,
    };
    let db = TestDb::create(backend).await;
    let other = TestDb::create(other_backend).await;
    let opened = match (
        H::open(backend, &db.url).await,
        H::open_with_key(other_backend, &other.url, OTHER_KEY).await,
    ) {
        (Ok(h), Ok(o)) => Ok((h, o)),
        (Err(m), _) | (_, Err(m)) => Err(m),
    };
    let outcome = match opened {
        Ok((h, o)) => {
            let apps = (h.app.clone(), o.app.clone());
            let joined = tokio::spawn(story(h, o)).await;
            apps.0.close().await;
            apps.1.close().await;
            joined.map_err(|e| {
                if e.is_panic() {
                    Ok(e.into_panic())
                } else {
                    Err(format!("the story's task failed: {e}"))
                }
            })
        }
        Err(m) => Err(Err(m)),
    };
    db.destroy().await;
    other.destroy().await;
    match outcome {
        Ok(()) => {}
        Err(Ok(panic)) => std::panic::resume_unwind(panic),
        Err(Err(message)) => panic!("{message}"),
    }
}

impl H {
    async fn open(backend: Backend, url: &str) -> Result<H, String> {
        Self::open_with_key(backend, url, TEST_KEY).await
    }

    async fn open_with_key(backend: Backend, url: &str, key: [u8; 32]) -> Result<H, String> {
        let db = Db::connect(url)
            .await
            .map_err(|e| format!("connecting to the {backend:?} test database: {e}"))?;
        assert_eq!(db.backend(), backend, "URL and backend disagree");
        palett_store::migrate::run(&db)
            .await
            .map_err(|e| format!("migrating the {backend:?} test database: {e}"))?;
        let start: Timestamp = START.parse().map_err(|e| format!("{START}: {e}"))?;
        let clock = Arc::new(TestClock::new(start));
        let app = App::new(
            db,
            clock.clone() as Arc<dyn Clock>,
            Config::default(),
            DataKey::from_bytes(&key),
        );
        app.seal()
            .await
            .map_err(|e| format!("checking the data key: {e}"))?;
        Ok(H {
            app,
            clock,
            backend,
            members: std::sync::OnceLock::new(),
        })
    }

    /// Seed the demo; it must be the first seeding of this database.
    pub async fn seed(&self) {
        assert!(
            self.app.seed_demo().await.expect("seeding the demo"),
            "a fresh database is seeded"
        );
        let admin = self.ctx(ADMIN).await;
        let ids = self
            .app
            .organisations(&admin)
            .await
            .expect("organisations")
            .iter()
            .map(|o| o.id)
            .collect();
        let _ = self.members.set(ids);
    }

    /// [`input`] with the consent to share with every partner, signed at
    /// registration (what most stories assume; access stories say otherwise).
    pub fn input(
        &self,
        given: &str,
        family: &str,
        identity_number: &str,
        organisation_id: i64,
    ) -> ParticipantInput {
        ParticipantInput {
            sharing_organisation_ids: self
                .members
                .get()
                .map(|m| m.iter().map(|i| i.to_string()).collect())
                .unwrap_or_default(),
            consent_method: "signed_paper".into(),
            ..input(given, family, identity_number, organisation_id)
        }
    }

    /// Sign in a demo user and resolve her session.
    pub async fn signed(&self, email: &str) -> Signed {
        let new = match self.app.sign_in(email, DEMO_PASSWORD, IP).await {
            Ok(s) => s,
            Err(e) => panic!("signing in {email}: {e}"),
        };
        self.app
            .session(&new.cookie_value)
            .await
            .expect("reading the new session")
            .expect("a new session is alive")
    }

    /// Register `form` as the caller; her id.
    pub async fn register(&self, ctx: &Ctx, form: &ParticipantInput) -> i64 {
        self.app
            .submit_registration(ctx, form)
            .await
            .unwrap_or_else(|e| panic!("registering {}: {e}", form.given_name))
    }

    /// A participant as the caller reads her (the read is audited).
    pub async fn read(&self, ctx: &Ctx, id: i64) -> ParticipantView {
        self.app
            .participant(ctx, id)
            .await
            .unwrap_or_else(|e| panic!("reading participant {id}: {e}"))
    }

    /// A page of the audit log as the caller reads it.
    pub async fn audit_log(&self, ctx: &Ctx, filter: &AuditFilter, page: Page) -> Vec<Entry> {
        palett_app::audit::list(&self.app, ctx, filter, page)
            .await
            .expect("reading the audit log")
            .0
    }

    /// Register Amal Testsson (19811218-9876) of `organisation_id`, shared
    /// with every partner; her id.
    pub async fn register_amal(&self, ctx: &Ctx, organisation_id: i64) -> i64 {
        let form = self.input("Amal", "Testsson", &pnr("19811218", 987), organisation_id);
        self.register(ctx, &form).await
    }

    /// Register Hodan Testsson (19700505-2226) of `organisation_id`, shared
    /// with every partner; her id.
    pub async fn register_hodan(&self, ctx: &Ctx, organisation_id: i64) -> i64 {
        let form = self.input("Hodan", "Testsson", &pnr("19700505", 222), organisation_id);
        self.register(ctx, &form).await
    }

    /// The context of a signed-in demo user.
    pub async fn ctx(&self, email: &str) -> Ctx {
        self.signed(email).await.ctx(IP)
    }

    pub fn advance_secs(&self, secs: i64) {
        self.clock.advance(SignedDuration::from_secs(secs));
    }

    /// A project's id by name (any role that sees aggregates).
    pub async fn project_id(&self, ctx: &Ctx, name: &str) -> i64 {
        self.app
            .projects(ctx)
            .await
            .expect("listing projects")
            .into_iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no project {name}"))
            .id
    }

    /// A member organisation's id by name.
    pub async fn organisation_id(&self, ctx: &Ctx, name: &str) -> i64 {
        self.app
            .memberships(ctx)
            .await
            .expect("listing memberships")
            .into_iter()
            .find(|m| m.organisation_name == name)
            .unwrap_or_else(|| panic!("no member organisation {name}"))
            .organisation_id
    }

    /// A project's figures from the caller's overview.
    pub async fn summary(&self, ctx: &Ctx, name: &str) -> ProjectSummary {
        self.app
            .overview(ctx)
            .await
            .expect("overview")
            .projects
            .into_iter()
            .find(|(p, _)| p.name == name)
            .unwrap_or_else(|| panic!("no project {name} in the overview"))
            .1
    }

    /// Every participant id the caller's list holds, paging through it by
    /// keyset, and the total the list reports. Checks that the pages agree
    /// with it: as many as it says, or more than it counts up to when it
    /// says there are more.
    pub async fn all_participant_ids(&self, ctx: &Ctx, filter: &Filter) -> Vec<i64> {
        let mut ids: Vec<i64> = Vec::new();
        let mut reported = None;
        loop {
            let at = ids
                .last()
                .map_or(Position::Offset(0), |id| Position::After(*id));
            let page = self
                .app
                .participants_at(ctx, filter, Page::MAX_SIZE, at)
                .await
                .expect("listing participants");
            assert_eq!(
                *reported.get_or_insert((page.total, page.more)),
                (page.total, page.more),
                "the total changed while paging"
            );
            assert!(page.items.len() as i64 == Page::MAX_SIZE || !page.has_next);
            ids.extend(page.items.iter().map(|i| i.id));
            if !page.has_next {
                break;
            }
        }
        match reported.unwrap_or_default() {
            (total, false) => assert_eq!(
                ids.len() as i64,
                total,
                "pages hold as many as the total says"
            ),
            (total, true) => {
                assert_eq!(total, COUNT_LIMIT, "a total that says more is the limit");
                assert!(ids.len() as i64 > total, "more than the limit");
            }
        }
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "no participant is listed twice");
        ids
    }

    /// How many participants the caller's list reports for a name search.
    pub async fn count_named(&self, ctx: &Ctx, name: &str) -> i64 {
        let filter = Filter {
            name: Some(name.into()),
            ..Filter::default()
        };
        self.app
            .participants(ctx, &filter, Page::new(None, None))
            .await
            .expect("searching participants")
            .1
    }
}

/// A valid personnummer `YYYYMMDD-NNNC` for a birth date and birth number.
pub fn pnr(yyyymmdd: &str, birth_number: u16) -> String {
    let nine = format!("{}{birth_number:03}", &yyyymmdd[2..]);
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            let v = if i % 2 == 0 { d * 2 } else { d };
            if v > 9 {
                v - 9
            } else {
                v
            }
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    format!("{yyyymmdd}-{birth_number:03}{check}")
}

/// A referral of a woman with a personnummer, responsible organisation
/// `organisation_id`, referred on 2026-11-02.
pub fn input(
    given: &str,
    family: &str,
    identity_number: &str,
    organisation_id: i64,
) -> ParticipantInput {
    ParticipantInput {
        given_name: given.into(),
        family_name: family.into(),
        identity_kind: "personnummer".into(),
        identity_number: identity_number.into(),
        gender: "woman".into(),
        country_of_birth: "Syrien".into(),
        languages: "arabiska".into(),
        referral_source: "municipality".into(),
        responsible_organisation_id: organisation_id.to_string(),
        referred_on: "2026-11-02".into(),
        ..ParticipantInput::default()
    }
}

/// The error of a result that must have failed.
#[track_caller]
pub fn err<T>(r: Result<T, AppError>) -> AppError {
    match r {
        Ok(_) => panic!("expected an error, the call succeeded"),
        Err(e) => e,
    }
}

/// The message id a validation error gives `field`.
#[track_caller]
pub fn invalid_code<T>(r: Result<T, AppError>, field: &str) -> &'static str {
    match err(r) {
        AppError::Invalid(fields) => fields
            .for_field(field)
            .unwrap_or_else(|| panic!("no error for {field}: {fields}")),
        other => panic!("expected Invalid naming {field}, got {other:?}"),
    }
}

/// Assert that a call was refused as not found (to the caller, she does not
/// exist).
#[track_caller]
pub fn not_found<T>(r: Result<T, AppError>) {
    let e = err(r);
    assert!(
        matches!(e, AppError::NotFound),
        "expected NotFound, got {e:?}"
    );
}

/// Assert that a call was refused as forbidden.
#[track_caller]
pub fn forbidden<T>(r: Result<T, AppError>) {
    let e = err(r);
    assert!(
        matches!(e, AppError::Forbidden),
        "expected Forbidden, got {e:?}"
    );
}

/// Assert that a validation error gives `field` the message id `code`.
#[track_caller]
pub fn assert_invalid<T>(r: Result<T, AppError>, field: &str, code: &str) {
    assert_eq!(invalid_code(r, field), code);
}

/// A database made for one story and dropped after it.
struct TestDb {
    url: String,
    kind: Kind,
}

enum Kind {
    Sqlite { path: PathBuf },
    Postgres { base: String, name: String },
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    #[allow(clippy::disallowed_methods)] // unique names, not behaviour
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}_{n}_{nanos}", std::process::id())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let base = match head[authority_start..].find('/') {
        Some(i) => &head[..authority_start + i],
        None => head,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// `url` without a password, for messages.
fn redacted(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    match (rest.find('@'), rest.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!(
                "{}{}:***{}",
                &url[..scheme_end],
                &rest[..colon],
                &rest[at..]
            )
        }
        _ => url.to_string(),
    }
}

async fn admin_connection(base: &str) -> Result<sqlx::AnyConnection, sqlx::Error> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(base).await
}

impl TestDb {
    async fn create(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let path =
                    std::env::temp_dir().join(format!("palett_t_{}.sqlite", unique_suffix()));
                TestDb {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    kind: Kind::Sqlite { path },
                }
            }
            Backend::Postgres => {
                let base = std::env::var("PALETT_TEST_POSTGRES_URL")
                    .ok()
                    .filter(|u| !u.trim().is_empty())
                    .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_string());
                let name = format!("palett_t_{}", unique_suffix());
                let mut c = match admin_connection(&base).await {
                    Ok(c) => c,
                    Err(e) => panic!(
                        "PostgreSQL is unreachable at {} ({e}). The postgres::* stories need it \
                         and never skip: start it (pg_ctlcluster --skip-systemctl-redirect \
                         <version> main start) or point PALETT_TEST_POSTGRES_URL at one.",
                        redacted(&base)
                    ),
                };
                if let Err(e) = sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
                    .execute(&mut c)
                    .await
                {
                    panic!("creating database {name} at {}: {e}", redacted(&base));
                }
                let _ = sqlx::Connection::close(c).await;
                TestDb {
                    url: with_database(&base, &name),
                    kind: Kind::Postgres { base, name },
                }
            }
        }
    }

    /// Remove the database; best effort.
    async fn destroy(self) {
        match self.kind {
            Kind::Sqlite { path } => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Kind::Postgres { base, name } => {
                let mut c = match admin_connection(&base).await {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("warning: could not connect to drop test database {name}: {e}");
                        return;
                    }
                };
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                if let Err(e) = sqlx::raw_sql(&sql).execute(&mut c).await {
                    eprintln!("warning: could not drop test database {name}: {e}");
                }
                let _ = sqlx::Connection::close(c).await;
            }
        }
    }
}

#[test]
fn helpers() {
    assert_eq!(pnr("19811218", 987), "19811218-9876");
    assert_eq!(pnr("19121212", 121), "19121212-1212");
    assert_eq!(
        with_database("postgres://u:pw@h:5432/postgres?sslmode=disable", "x"),
        "postgres://u:pw@h:5432/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    assert_eq!(redacted("postgres://u:pw@h/db"), "postgres://u:***@h/db");
    assert_eq!(redacted("postgres://u@h/db"), "postgres://u@h/db");
}

/// What a form submits, parsed by the domain as the web does before it
/// calls a use case: a parse error is the same `AppError::Invalid` the use
/// case would give, so `assert_invalid` reads both.
pub fn parsed<C>(r: Result<C, palett_domain::FieldErrors>) -> Result<C, AppError> {
    r.map_err(AppError::from)
}

/// An attendance sheet as submitted: (participant id, status) rows.
#[track_caller]
pub fn marks(rows: &[(String, String)]) -> palett_domain::path::Attendance {
    palett_domain::path::AttendanceInput {
        rows: rows.to_vec(),
        ..Default::default()
    }
    .parse()
    .expect("a sheet of ids and statuses")
}

/// Moving an enrolment on to `status`, with `reason`.
#[track_caller]
pub fn change(status: &str, reason: &str) -> palett_domain::path::EnrolmentChange {
    change_input(status, reason)
        .parse()
        .expect("a valid change")
}

pub fn change_input(status: &str, reason: &str) -> palett_domain::path::EnrolmentChangeInput {
    palett_domain::path::EnrolmentChangeInput {
        status: status.into(),
        reason: reason.into(),
    }
}

/// A group named `name` with no leader chosen.
pub fn new_group(name: &str) -> palett_domain::path::NewGroup {
    palett_domain::path::NewGroup {
        name: name.into(),
        leader_user_id: None,
    }
}

/// `hours` (as typed) in `intervention_id` on `on`, with `note`.
pub fn activity_input(
    intervention_id: i64,
    on: jiff::civil::Date,
    hours: &str,
    note: &str,
) -> palett_domain::path::ActivityInput {
    palett_domain::path::ActivityInput {
        intervention_id: intervention_id.to_string(),
        on_date: on.to_string(),
        hours: hours.into(),
        note: note.into(),
    }
}

/// `hours` in `intervention_id` on `on` (not after `today`), with `note`.
#[track_caller]
pub fn activity(
    intervention_id: i64,
    on: jiff::civil::Date,
    hours: &str,
    note: &str,
    today: jiff::civil::Date,
) -> palett_domain::path::Activity {
    activity_input(intervention_id, on, hours, note)
        .parse(today)
        .expect("a valid activity")
}

/// Her planned end on `on`, with `reason` (blank for none).
#[track_caller]
pub fn planned_end(on: jiff::civil::Date, reason: &str) -> palett_domain::path::PlannedEnd {
    palett_domain::path::PlannedEndInput {
        planned_end: on.to_string(),
        reason: reason.into(),
    }
    .parse()
    .expect("a valid planned end")
}

/// The use cases that take a parsed submission, called as the web calls
/// them: the input is parsed by the domain (today from the app's clock),
/// then given to the use case; a parse error is `AppError::Invalid` like
/// the use case's own.
#[allow(async_fn_in_trait)]
pub trait Submit {
    fn app(&self) -> &App;

    async fn submit_registration(
        &self,
        ctx: &Ctx,
        input: &ParticipantInput,
    ) -> Result<i64, AppError> {
        self.app()
            .register_participant(ctx, input.parse(self.app().today()))
            .await
    }

    async fn submit_update(
        &self,
        ctx: &Ctx,
        id: i64,
        version: Option<i64>,
        input: &ParticipantInput,
    ) -> Result<(), AppError> {
        self.app()
            .update_participant(ctx, id, version, &input.parse(self.app().today())?)
            .await
    }

    async fn submit_consent(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        input: &palett_domain::consent::ConsentInput,
    ) -> Result<i64, AppError> {
        self.app()
            .give_consent(ctx, participant_id, &input.parse(self.app().today())?)
            .await
    }

    async fn submit_plan(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        input: &palett_domain::plan::PlanInput,
    ) -> Result<i64, AppError> {
        self.app()
            .save_plan(ctx, participant_id, &input.draft()?)
            .await
    }

    async fn submit_intervention(
        &self,
        ctx: &Ctx,
        input: &palett_domain::palette::InterventionInput,
        course_id: Option<i64>,
    ) -> Result<i64, AppError> {
        self.app()
            .create_intervention(ctx, input.parse(), course_id)
            .await
    }

    async fn submit_self_assessment(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        input: &palett_domain::selfassessment::SelfAssessmentInput,
    ) -> Result<i64, AppError> {
        self.app()
            .record_self_assessment(ctx, participant_id, &input.parse(self.app().today())?)
            .await
    }

    async fn submit_membership(
        &self,
        ctx: &Ctx,
        input: &palett_app::admin::MembershipInput,
    ) -> Result<i64, AppError> {
        self.app().add_membership(ctx, input.parse()).await
    }

    async fn submit_end_membership(
        &self,
        ctx: &Ctx,
        id: i64,
        left_on: &str,
    ) -> Result<(), AppError> {
        self.app()
            .end_membership(ctx, id, palett_domain::admin::parse_left_on(left_on))
            .await
    }

    async fn submit_organisation(
        &self,
        ctx: &Ctx,
        input: &palett_app::admin::OrganisationInput,
    ) -> Result<i64, AppError> {
        self.app().create_organisation(ctx, input.parse()).await
    }

    async fn submit_user(
        &self,
        ctx: &Ctx,
        input: &palett_app::admin::UserInput,
    ) -> Result<i64, AppError> {
        self.app().create_user(ctx, input.parse()).await
    }

    async fn submit_roles(&self, ctx: &Ctx, id: i64, roles: &[String]) -> Result<(), AppError> {
        self.app()
            .set_roles(ctx, id, palett_domain::admin::parse_role_choice(roles))
            .await
    }

    async fn submit_project(
        &self,
        ctx: &Ctx,
        input: &palett_app::projects::ProjectInput,
    ) -> Result<i64, AppError> {
        self.app().create_project(ctx, input.parse()).await
    }

    async fn submit_project_update(
        &self,
        ctx: &Ctx,
        id: i64,
        input: &palett_app::projects::ProjectInput,
    ) -> Result<(), AppError> {
        self.app().update_project(ctx, id, input.parse()).await
    }

    async fn submit_goal(
        &self,
        ctx: &Ctx,
        project_id: Option<i64>,
        input: &palett_app::dashboard::GoalInput,
    ) -> Result<i64, AppError> {
        self.app().add_goal(ctx, project_id, input.parse()).await
    }

    async fn submit_note(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        body: &str,
        visibility: &str,
    ) -> Result<i64, AppError> {
        let input = palett_domain::record::NoteInput {
            body: body.into(),
            visibility: visibility.into(),
        };
        self.app()
            .add_note(ctx, participant_id, &input.parse()?)
            .await
    }

    async fn submit_withdrawal(
        &self,
        ctx: &Ctx,
        consent_id: i64,
        note: &str,
    ) -> Result<i64, AppError> {
        let note = palett_domain::record::parse_withdrawal_note(note)?;
        self.app()
            .withdraw_consent(ctx, consent_id, note.as_deref())
            .await
    }

    async fn submit_restriction(
        &self,
        ctx: &Ctx,
        id: i64,
        reason: Option<&str>,
    ) -> Result<(), AppError> {
        let reason =
            palett_domain::record::parse_restriction(reason.is_some(), reason.unwrap_or(""))?;
        self.app()
            .restrict_processing(ctx, id, reason.as_deref())
            .await
    }

    async fn submit_emergency(
        &self,
        ctx: &Ctx,
        participant_id: &str,
        identity_number: &str,
        reason: &str,
    ) -> Result<i64, AppError> {
        let input = palett_domain::record::EmergencyInput {
            participant_id: participant_id.into(),
            identity_number: identity_number.into(),
            reason: reason.into(),
        };
        self.app()
            .break_the_glass(ctx, input.parse(self.app().today()))
            .await
    }

    async fn submit_handover(
        &self,
        ctx: &Ctx,
        id: i64,
        version: Option<i64>,
        organisation_id: &str,
        reason: &str,
    ) -> Result<(palett_domain::model::Handover, bool), AppError> {
        let input = palett_domain::record::HandoverInput {
            organisation_id: organisation_id.into(),
            reason: reason.into(),
        };
        self.app().hand_over(ctx, id, version, input.parse()).await
    }

    async fn submit_retention(&self, ctx: &Ctx, years: &str) -> Result<(), AppError> {
        self.app()
            .set_retention_policy(ctx, palett_domain::admin::parse_retention_years(years))
            .await
    }

    async fn submit_research_export(
        &self,
        ctx: &Ctx,
        key: &str,
        k: &str,
    ) -> Result<palett_app::research::ResearchExport, AppError> {
        let input = palett_domain::research::ExportRequestInput {
            key: key.into(),
            k: k.into(),
        };
        self.app().research_export(ctx, input.parse()).await
    }

    async fn submit_funder_report(
        &self,
        ctx: &Ctx,
        kind: palett_app::reports::ReportKind,
        project_id: Option<i64>,
        from: &str,
        to: &str,
        export: bool,
    ) -> Result<palett_app::reports::FunderReport, AppError> {
        let input = palett_domain::admin::ReportPeriodInput {
            from: from.into(),
            to: to.into(),
        };
        self.app()
            .funder_report(ctx, kind, project_id, input.parse(), export)
            .await
    }

    async fn submit_esf_month(
        &self,
        ctx: &Ctx,
        project_id: i64,
        month: &str,
    ) -> Result<
        (
            palett_domain::indicators::Month,
            Vec<palett_store::indicators::MonthLine>,
        ),
        AppError,
    > {
        self.app()
            .esf_month(ctx, project_id, palett_domain::admin::parse_month(month))
            .await
    }
}

impl Submit for App {
    fn app(&self) -> &App {
        self
    }
}
