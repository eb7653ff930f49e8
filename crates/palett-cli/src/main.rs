//! The one `palett` binary. Every subcommand calls palett-app; none talks
//! to the database directly.

use clap::{Parser, Subcommand};
use palett_app::data_key::DataKey;
use palett_app::demo::{DEMO_PASSWORD, DEMO_PORTAL, DEMO_USERS};
use palett_app::mail::{MailConfig, SmtpMailer};
use palett_app::{App, AppError};
use palett_domain::policy::Role;
use palett_web::i18n::{Lang, Tr};
use palett_web::AppState;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "palett",
    version,
    about = "palett – cross-sector partnerships towards work or studies"
)]
struct Cli {
    /// Database URL: sqlite://PATH?mode=rwc or postgres://USER@HOST/DB.
    /// Default: SQLite in the data directory.
    #[arg(long, env = "PALETT_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Directory for the embedded SQLite database.
    #[arg(
        long,
        env = "PALETT_DATA_DIR",
        default_value = "palett-data",
        global = true
    )]
    data_dir: PathBuf,
    /// File holding the data key that seals personal identity numbers and
    /// the restricted fields (32 bytes, base64), readable by its owner only
    /// (chmod 600). Created on first start, never again once the database
    /// has been sealed. Default: data.key in the data directory. The key can
    /// instead be given in PALETT_DATA_KEY.
    #[arg(long, env = "PALETT_DATA_KEY_FILE", global = true)]
    data_key_file: Option<PathBuf>,
    #[command(flatten)]
    mail: MailArgs,
    #[command(subcommand)]
    command: Command,
}

/// E-mail for the daily digest: off unless a server is given.
#[derive(clap::Args)]
struct MailArgs {
    /// The SMTP server: smtp://host:587?tls=required (STARTTLS),
    /// smtps://host:465 (TLS), user and password as user:password@host;
    /// smtp://host:25 without TLS only for a relay on the same machine.
    #[arg(long, env = "PALETT_SMTP_URL", global = true, hide_env_values = true)]
    smtp_url: Option<String>,
    /// The digest's sender, e.g. "palett <palett@example.org>".
    #[arg(long, env = "PALETT_MAIL_FROM", global = true)]
    mail_from: Option<String>,
    /// Where users reach palett, for the link in the digest.
    #[arg(long, env = "PALETT_BASE_URL", global = true)]
    base_url: Option<String>,
}

impl MailArgs {
    /// The mail configuration; none when no server is given, an error when
    /// one is given without a sender or address.
    fn config(&self) -> Result<Option<MailConfig>, String> {
        let Some(url) = &self.smtp_url else {
            return Ok(None);
        };
        let from = self
            .mail_from
            .clone()
            .ok_or("--mail-from (PALETT_MAIL_FROM) is needed with an SMTP server")?;
        let base_url = self
            .base_url
            .clone()
            .ok_or("--base-url (PALETT_BASE_URL) is needed with an SMTP server")?;
        Ok(Some(MailConfig {
            url: url.clone(),
            from,
            base_url,
        }))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and the JSON API (migrates first).
    Serve(ServeArgs),
    /// Create the database if empty, seed the demo partnership, print the
    /// demo logins and serve.
    Demo(ServeArgs),
    /// Apply database migrations.
    Migrate,
    /// Seed the demo partnership into an empty database.
    SeedDemo,
    /// Personal access tokens for the JSON API.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// User accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Add N synthetic participants, with groups, sessions and attendance
    /// (and N/10 openings for matching),
    /// to the demo partnership (seeded first when the database is empty).
    SeedBench {
        #[arg(long)]
        participants: usize,
        /// Sessions per group of twenty (attendance rows = participants ×
        /// sessions).
        #[arg(long, default_value_t = 100)]
        sessions_per_group: usize,
    },
    /// Time the dashboards and reports on a database seeded by seed-bench.
    Bench {
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Tasks reading participants' records at once (beside one writing
        /// notes) in the concurrency run.
        #[arg(long, default_value_t = 8)]
        readers: usize,
        /// Also time importing this many generated participant rows
        /// (preview, commit, undo; the database is left as it was). With
        /// `--runs 0`, only the import is timed (the demo is enough).
        #[arg(long, default_value_t = 0)]
        import_rows: usize,
    },
    /// Archive a whole partnership (docs/ARCHIVE.md): export it to a ZIP
    /// of CSV files with a manifest, or import one into an empty database.
    Archive {
        #[command(subcommand)]
        command: ArchiveCommand,
    },
    /// Retention (gallring): anonymise what each partnership's policy makes due.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Send today's daily digests now to those who want one and have had
    /// none today (needs --smtp-url; serve sends them each morning).
    Digest,
    /// Print the JSON API's OpenAPI 3.1 document (generated from the code,
    /// as served at /api/v1/openapi.json). Needs no database.
    Openapi,
    /// List the participant portal's messages not reviewed by a native
    /// speaker, per drafted language, each with the line that records its
    /// review in `locales/<code>/review.txt`. Needs no database.
    Translations,
}

/// The process's peak resident memory (Linux's `VmHWM`), in kB.
fn peak_memory_kb() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[derive(Subcommand)]
enum ArchiveCommand {
    /// Export one partnership to a new ZIP; its archive key is written
    /// beside it as FILE.zip.key (mode 0600), never inside it.
    Export {
        #[arg(long)]
        partnership: i64,
        #[arg(long)]
        out: PathBuf,
        /// Write the identity numbers in clear (everything else stays
        /// sealed under the archive key).
        #[arg(long)]
        plain_identity_numbers: bool,
    },
    /// Import an archive into this (empty) database, all or nothing.
    Import {
        file: PathBuf,
        /// The archive key file. Default: FILE.key beside the archive.
        #[arg(long)]
        key: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Anonymise participants due under the policy (audited).
    Run {
        /// List what would be anonymised, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PALETT_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Mark cookies Secure (set this when palett is served over HTTPS).
    #[arg(long, env = "PALETT_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Reverse proxies whose X-Forwarded-For header names the client
    /// (addresses or networks, comma-separated, e.g. "127.0.0.1,::1").
    /// Sign-in throttling and the audit log then see the client's address
    /// instead of the proxy's. Default: none (the connection's address).
    #[arg(long, env = "PALETT_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// Let webhooks go to plain http:// on this machine (127.0.0.1,
    /// localhost): for development against a local receiver only.
    #[arg(long, env = "PALETT_WEBHOOKS_ALLOW_LOCAL")]
    webhooks_allow_local: bool,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for a user; prints it once (only its hash is stored).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// Only reading: GET requests; any change answers 403.
        #[arg(long)]
        read_only: bool,
        /// An area of the API the token is limited to (an OpenAPI tag,
        /// spaces as `_`, e.g. `projects`); repeat for more. None: all.
        #[arg(long = "area")]
        areas: Vec<String>,
        /// How many days it lasts (1 to 365; default 90).
        #[arg(long)]
        days: Option<i64>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user in an organisation that is a member of the partnership.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read from PALETT_NEW_PASSWORD so it stays out of shell history.
        #[arg(long, env = "PALETT_NEW_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        organisation_id: i64,
        #[arg(long)]
        partnership_id: i64,
        /// administrator, coordinator, caseworker or evaluator (repeatable).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
}

/// An application error as a sentence for the terminal (English).
fn explain(e: AppError) -> String {
    let tr = Tr::new(Lang::En);
    match e {
        AppError::Invalid(fields) => fields
            .0
            .iter()
            .map(|f| format!("{}: {}", f.field, tr.get(f.code)))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::NotFound => "no such user".into(),
        AppError::Forbidden => "that user has no role in any partnership".into(),
        other => other.chain(),
    }
}

fn database_url(cli: &Cli) -> Result<String, String> {
    if let Some(u) = &cli.database_url {
        return Ok(u.clone());
    }
    std::fs::create_dir_all(&cli.data_dir)
        .map_err(|e| format!("cannot create {}: {e}", cli.data_dir.display()))?;
    Ok(format!(
        "sqlite://{}?mode=rwc",
        cli.data_dir.join("palett.db").display()
    ))
}

fn describe(url: &str) -> String {
    // Never print a password that may be in the URL.
    match url.split_once('@') {
        Some((scheme_user, host)) if url.starts_with("postgres") => {
            let scheme = scheme_user.split("://").next().unwrap_or("postgres");
            format!("{scheme}://…@{host}")
        }
        _ => url.to_string(),
    }
}

/// The data key: from PALETT_DATA_KEY, else from the key file. The file
/// must be readable by its owner only. It is created (mode 0600) only when
/// it does not exist and the database has never been sealed with a key: a
/// lost key file is never silently replaced.
async fn data_key(cli: &Cli, url: &str) -> Result<DataKey, String> {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(text) = std::env::var("PALETT_DATA_KEY") {
        return DataKey::parse(&text).map_err(|e| format!("PALETT_DATA_KEY: {e}"));
    }
    let path = cli
        .data_key_file
        .clone()
        .unwrap_or_else(|| cli.data_dir.join("data.key"));
    match std::fs::metadata(&path) {
        Ok(meta) => {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(format!(
                    "the data key file {} can be read by others than its owner (mode {mode:o}); \
                     make it private with `chmod 600 {}` and start again",
                    path.display(),
                    path.display()
                ));
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read the data key {}: {e}", path.display()))?;
            DataKey::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let sealed = App::sealed_with_a_key(url)
                .await
                .map_err(|e| format!("cannot open the database {}: {e}", describe(url)))?;
            if sealed {
                return Err(format!(
                    "the data key file {} is missing, but the database {} was sealed with a key; \
                     restore the key file from your key backup (or give the key in \
                     PALETT_DATA_KEY). A new key would not open the sealed fields.",
                    path.display(),
                    describe(url)
                ));
            }
            create_key_file(&path)
        }
        Err(e) => Err(format!("cannot read the data key {}: {e}", path.display())),
    }
}

/// A new key in a new file readable by its owner only.
fn create_key_file(path: &std::path::Path) -> Result<DataKey, String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let (key, text) = DataKey::generate().map_err(|e| e.to_string())?;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(format!("{text}\n").as_bytes()))
        .map_err(|e| format!("cannot write the data key to {}: {e}", path.display()))?;
    eprintln!(
        "Created a new data key in {}. Keep a copy apart from the database backups: \
         without it the sealed fields cannot be read.",
        path.display()
    );
    Ok(key)
}

async fn open(cli: &Cli) -> Result<App, String> {
    let url = database_url(cli)?;
    App::open(&url, data_key(cli, &url).await?)
        .await
        .map_err(|e| format!("cannot open the database {}: {e}", describe(&url)))
}

/// Send the webhook deliveries that are due, every ten seconds (a
/// delivery's retries wait by the backoff schedule in the outbox).
fn spawn_webhooks(app: App) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(10));
        loop {
            every.tick().await;
            match app.deliver_webhooks().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(delivered = n, "webhooks delivered"),
                Err(e) => tracing::error!(error = %e.chain(), "webhook deliveries failed"),
            }
        }
    });
}

/// Run retention once a day while serving (the first run a minute after start).
fn spawn_retention(app: App) {
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        let mut every_day = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
        loop {
            every_day.tick().await;
            match app.run_retention_everywhere(false).await {
                Ok(reports) => {
                    let n: usize = reports.iter().map(|r| r.anonymised).sum();
                    tracing::info!(anonymised = n, "retention run");
                }
                Err(e) => tracing::error!(error = %e.chain(), "retention run failed"),
            }
        }
    });
}

/// Send the day's digests still due, with their text in Swedish and
/// English; how many went out.
async fn send_digests(app: &App, mailer: &SmtpMailer, base_url: &str) -> Result<usize, AppError> {
    app.send_digests(mailer, |d| {
        palett_web::reminders::digest::compose(base_url, d)
    })
    .await
}

/// Send the day's digests every ten minutes from the morning's hour on
/// (each user at most once a day), while serving with a mail server.
fn spawn_digests(app: App, config: MailConfig) -> Result<(), String> {
    let mailer = SmtpMailer::new(&config)?;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if !app.digest_hour_reached() {
                continue;
            }
            match send_digests(&app, &mailer, &config.base_url).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "daily digests sent"),
                Err(e) => tracing::error!(error = %e.chain(), "daily digests failed"),
            }
        }
    });
    Ok(())
}

async fn serve(mut app: App, args: &ServeArgs, mail: &MailArgs) -> Result<(), String> {
    app.config.webhooks_allow_local = args.webhooks_allow_local;
    let trusted_proxies = palett_web::proxy::TrustedProxies::parse(&args.trusted_proxies)
        .map_err(|e| format!("--trusted-proxies: {e}"))?;
    spawn_retention(app.clone());
    spawn_webhooks(app.clone());
    if let Some(config) = mail.config()? {
        spawn_digests(app.clone(), config)?;
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    println!("palett serves on http://{}", args.listen);
    let state = AppState {
        app,
        secure_cookies: args.secure_cookies,
        trusted_proxies,
    };
    palett_web::serve(state, listener)
        .await
        .map_err(|e| format!("server error: {e}"))
}

fn print_logins(listen: &str) {
    println!();
    println!("Demo: IOP Kvinna i Botkyrka (synthetic data) at http://{listen}");
    println!("Every demo account has the password: {DEMO_PASSWORD}");
    for (email, name, _, roles) in DEMO_USERS {
        let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        println!("  {email:<42} {name:<20} {}", roles.join(", "));
    }
    println!("Participant portal at http://{listen}/portal (same password):");
    for (login, lang) in DEMO_PORTAL {
        println!("  login name {login:<12} (her language: {lang})");
    }
    println!();
}

async fn run(cli: Cli) -> Result<(), String> {
    match &cli.command {
        Command::Serve(args) => serve(open(&cli).await?, args, &cli.mail).await,
        Command::Digest => {
            let config = cli
                .mail
                .config()?
                .ok_or("no mail server: give --smtp-url (PALETT_SMTP_URL)")?;
            let mailer = SmtpMailer::new(&config)?;
            let app = open(&cli).await?;
            let n = send_digests(&app, &mailer, &config.base_url)
                .await
                .map_err(|e| format!("the digests failed: {}", e.chain()))?;
            println!("{n} digests sent");
            Ok(())
        }
        Command::Openapi => {
            println!("{}", palett_web::openapi());
            Ok(())
        }
        Command::Translations => {
            use palett_web::i18n::{review, text_digest, Lang, Review};
            for lang in Lang::PORTAL {
                let Some(lines) = review(lang) else { continue };
                let waiting: Vec<_> = lines
                    .iter()
                    .filter(|l| l.review != Review::Reviewed)
                    .collect();
                println!(
                    "# {} ({}): {} of {} not reviewed",
                    lang.code(),
                    lang.native_name(),
                    waiting.len(),
                    lines.len()
                );
                for l in waiting {
                    let changed = if l.review == Review::Changed {
                        "  (changed since review)"
                    } else {
                        ""
                    };
                    println!("{} {}  # {}{changed}", l.id, text_digest(&l.text), l.text);
                }
            }
            Ok(())
        }
        Command::Demo(args) => {
            let app = open(&cli).await?;
            let seeded = app
                .seed_demo()
                .await
                .map_err(|e| format!("seeding failed: {e}"))?;
            if !seeded {
                println!("The database already holds data; the demo was not seeded again.");
            }
            print_logins(&args.listen);
            serve(app, args, &cli.mail).await
        }
        Command::Migrate => {
            let url = database_url(&cli)?;
            let app = App::open(&url, data_key(&cli, &url).await?)
                .await
                .map_err(|e| format!("migration failed: {e}"))?;
            println!(
                "{} is at schema version {}",
                describe(&url),
                palett_store_version()
            );
            app.close().await;
            Ok(())
        }
        Command::SeedDemo => {
            let app = open(&cli).await?;
            if app
                .seed_demo()
                .await
                .map_err(|e| format!("seeding failed: {e}"))?
            {
                println!("Demo seeded.");
                print_logins("127.0.0.1:8080");
            } else {
                println!("The database already holds data; nothing seeded.");
            }
            Ok(())
        }
        Command::SeedBench {
            participants,
            sessions_per_group,
        } => {
            let app = open(&cli).await?;
            let started = std::time::Instant::now();
            let seed = app
                .seed_bench(*participants, *sessions_per_group)
                .await
                .map_err(|e| format!("seeding failed: {e}"))?;
            println!(
                "seeded {} participants, {} sessions, {} attendance rows, {} openings in {:.1} s (project {})",
                seed.participants,
                seed.sessions,
                seed.attendance,
                seed.openings,
                started.elapsed().as_secs_f64(),
                seed.project_id
            );
            Ok(())
        }
        Command::Bench {
            runs,
            readers,
            import_rows,
        } => {
            let app = open(&cli).await?;
            // `--runs 0` with `--import-rows N` times the import alone (on
            // a database with only the demo).
            if *runs > 0 {
                let timings = app.bench(*runs).await.map_err(|e| {
                    format!("benchmark failed: {} (run seed-bench first)", explain(e))
                })?;
                println!("{:<40} {:>10} {:>10}", "operation", "median ms", "max ms");
                for t in timings {
                    println!("{:<40} {:>10.1} {:>10.1}", t.label, t.median(), t.max());
                }
                let c = app
                    .bench_concurrency(*readers, 50)
                    .await
                    .map_err(|e| format!("benchmark failed: {}", explain(e)))?;
                for t in [&c.read, &c.write] {
                    println!("{:<40} {:>10.1} {:>10.1}", t.label, t.median(), t.max());
                }
                println!(
                    "{} readers and one writer: {} record reads in {:.0} ms, {:.0} reads/s",
                    c.readers,
                    c.reads,
                    c.wall_ms,
                    c.reads_per_second()
                );
            }
            if *import_rows > 0 {
                let b = app
                    .bench_import(*import_rows)
                    .await
                    .map_err(|e| format!("import benchmark failed: {}", explain(e)))?;
                println!(
                    "import of {} rows ({} bytes): preview {:.0} ms, commit {:.0} ms \
                     ({:.0} rows/s), undo {:.0} ms",
                    b.rows,
                    b.bytes,
                    b.preview_ms,
                    b.commit_ms,
                    b.rows_per_second(),
                    b.undo_ms
                );
                if let Some(kb) = peak_memory_kb() {
                    println!("peak resident memory of this process: {} MB", kb / 1024);
                }
            }
            Ok(())
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    email,
                    name,
                    read_only,
                    areas,
                    days,
                },
        } => {
            let app = open(&cli).await?;
            let input = palett_app::auth::TokenInput {
                name: name.clone(),
                read_only: read_only.to_string(),
                areas: areas.clone(),
                days: days.map(|d| d.to_string()).unwrap_or_default(),
            };
            let secret = app
                .create_token_for_email(email, &input, palett_web::api_areas())
                .await
                .map_err(|e| format!("cannot create a token: {}", explain(e)))?;
            println!("{secret}");
            Ok(())
        }
        Command::Archive {
            command:
                ArchiveCommand::Export {
                    partnership,
                    out,
                    plain_identity_numbers,
                },
        } => {
            let app = open(&cli).await?;
            let done = app
                .export_archive(
                    &palett_app::Ctx::system(*partnership),
                    out,
                    *plain_identity_numbers,
                )
                .await
                .map_err(|e| match e {
                    AppError::NotFound => format!("there is no partnership {partnership}"),
                    e => format!("cannot export partnership {partnership}: {}", explain(e)),
                })?;
            println!(
                "archive {} ({} tables, {} rows)\narchive key {} (keep it apart from the archive)",
                done.archive.display(),
                done.tables,
                done.rows,
                done.key_file.display()
            );
            Ok(())
        }
        Command::Archive {
            command: ArchiveCommand::Import { file, key },
        } => {
            let key_path = key
                .clone()
                .unwrap_or_else(|| palett_app::archive::key_file_of(file));
            let key_text = std::fs::read_to_string(&key_path)
                .map_err(|e| format!("cannot read the archive key {}: {e}", key_path.display()))?;
            let app = open(&cli).await?;
            let done = app
                .import_archive(file, &key_text)
                .await
                .map_err(|e| format!("cannot import {}: {}", file.display(), explain(e)))?;
            println!(
                "imported partnership {} ({}): {} tables, {} rows",
                done.partnership_id, done.partnership_name, done.tables, done.rows
            );
            Ok(())
        }
        Command::Retention {
            command: RetentionCommand::Run { dry_run },
        } => {
            let app = open(&cli).await?;
            let reports = app
                .run_retention_everywhere(*dry_run)
                .await
                .map_err(|e| format!("retention failed: {}", explain(e)))?;
            for r in reports {
                match (r.years_after_exit, r.cutoff) {
                    (Some(y), Some(cutoff)) => println!(
                        "partnership {}: policy {y} years after exit; exited on or before {cutoff}: {} due, {} anonymised{}",
                        r.partnership_id,
                        r.due.len(),
                        r.anonymised,
                        if r.dry_run { " (dry run)" } else { "" }
                    ),
                    _ => println!("partnership {}: no retention policy set; nothing done", r.partnership_id),
                }
                if r.dry_run {
                    for (id, exit) in &r.due {
                        println!("  participant {id} (exit {exit})");
                    }
                }
            }
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    name,
                    password,
                    organisation_id,
                    partnership_id,
                    roles,
                },
        } => {
            let roles = roles
                .iter()
                .map(|r| Role::parse(r).ok_or_else(|| format!("unknown role: {r}")))
                .collect::<Result<Vec<_>, _>>()?;
            let app = open(&cli).await?;
            let id = app
                .create_user_cli(
                    email,
                    name,
                    password,
                    *organisation_id,
                    *partnership_id,
                    &roles,
                )
                .await
                .map_err(|e| format!("cannot create the user: {}", explain(e)))?;
            println!("user {id} created");
            Ok(())
        }
    }
}

fn palett_store_version() -> i64 {
    palett_app::schema_version()
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PALETT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("palett: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("palett: {e}");
            ExitCode::FAILURE
        }
    }
}
