//! The participant portal: her own way into palett.
//!
//! Her caseworker makes an invitation (a one-time code, valid for a week,
//! with a login name printed beside it); with the code she chooses a
//! password, and from then on signs in with her login name and password.
//! A new invitation is how lost access is restored: when used, it replaces
//! her password and ends her sessions. She acts as [`Actor::herself`]: no
//! staff rule admits her anywhere, and each use case here reads or changes
//! her own record only, found by the session, never by an id she sends
//! (a consent she withdraws must be hers). Every sign-in, read and change
//! is in the audit log with the role `participant`.
//!
//! What she sees of her record (decided here, see ARCHITECTURE.md
//! "Participant portal"): her profile's own details, plan, schedule, time,
//! consents, self-assessments, placements, and which organisations read or
//! changed her record and when. Staff notes, the restricted field group
//! and the names of staff in the log are not shown in the portal; a request
//! under GDPR art. 15 for everything is made to her caseworker, who
//! exports it after the confidentiality assessment the law asks for.

use crate::action::Action;
use crate::auth::NewSession;
use crate::secret::{self, random_token, sha256_hex};
use crate::work::{bookkeeping, Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::consent::Consent;
use palett_domain::plan::Plan;
use palett_domain::policy::Actor;
use palett_domain::reminder::InboxKind;
use palett_domain::selfassessment::{Scored, SelfAssessment};
use palett_domain::FieldErrors;
use palett_store::portal as store;
use palett_store::AnyConnection;

pub use palett_store::portal::{Access, HerMonth, HerSession};

/// How long an invitation's code can be used.
pub const INVITATION_DAYS: i64 = 7;
/// The letters of codes and login names: no 0/O, 1/I/L, easy to read out.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A participant signed in to her portal.
#[derive(Clone, Debug)]
pub struct Her {
    pub participant_id: i64,
    pub partnership_id: i64,
    pub given_name: String,
    /// The language she chose (a code), if any.
    pub lang: Option<String>,
    pub csrf_token: String,
}

impl Her {
    pub fn ctx(&self, ip: &str) -> Ctx {
        Ctx {
            actor: Actor::herself(self.partnership_id, self.participant_id),
            ip: ip.to_string(),
        }
    }
}

/// A new invitation, shown once to her caseworker to print.
#[derive(Clone, Debug)]
pub struct Invitation {
    /// The one-time code, grouped as `XXXX-XXXX-XXXX`.
    pub code: String,
    pub login_name: String,
    pub expires_at: i64,
}

/// `n` random letters of [`ALPHABET`].
fn random_letters(n: usize) -> Result<String> {
    let bytes = secret::random_bytes::<32>()?;
    Ok(bytes
        .iter()
        .take(n)
        // 31 letters; 256 % 31 = 8, a bias of under 4 % on a few letters,
        // irrelevant beside the code's 59 bits and the throttle.
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// A code as typed: letters and digits only, upper case, so that spaces,
/// dashes and small letters do not matter.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(64)
        .collect()
}

fn group(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Her new way in, set up with an invitation.
pub(crate) enum WayIn<'a> {
    /// The Argon2id hash of the password she chose.
    Password(&'a str),
    /// A passkey: its credential id's hash and the passkey as stored.
    Passkey {
        credential_id: &'a str,
        passkey: &'a str,
    },
}

/// The throttle's key for invitation codes (counted per address).
const CODE_KEY: &str = "portal-invitation";

pub(crate) fn login_key(login_name: &str) -> String {
    format!("portal:{}", normalise_code(login_name))
}

impl App {
    // ---------------------------------------------------------- staff side

    /// Her portal access as her caseworker sees it: an audited read of her
    /// record, for staff who may read it.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn portal_access(&self, ctx: &Ctx, participant_id: i64) -> Result<Access> {
        let now = self.now();
        self.read_part(ctx, participant_id, "portal_access", async |c| {
            Ok(store::access(c, participant_id, now).await?)
        })
        .await
    }

    /// Invite her to the portal (or restore her access): staff who may
    /// change her record. Earlier unused invitations end; the code is
    /// shown once and only its hash kept. Audited as `portal.invite`.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn invite_to_portal(&self, ctx: &Ctx, participant_id: i64) -> Result<Invitation> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        self.changeable(&mut tx, ctx, participant_id).await?;
        let mut login_name = String::new();
        for _ in 0..8 {
            let candidate = random_letters(6)?;
            if !store::login_name_taken(&mut tx, &candidate).await? {
                login_name = candidate;
                break;
            }
        }
        if login_name.is_empty() {
            return Err(AppError::internal("no free portal login name"));
        }
        let login_name = store::ensure_account(&mut tx, participant_id, &login_name, now).await?;
        let code = random_letters(12)?;
        let expires_at = now + INVITATION_DAYS * 86_400;
        let id = store::insert_invitation(
            &mut tx,
            participant_id,
            &sha256_hex(&code),
            ctx.actor.user_id,
            now,
            expires_at,
        )
        .await?;
        tx.done(
            Action::PortalInvite,
            "portal_invitation",
            Some(id),
            Some(participant_id),
        )
        .await?;
        Ok(Invitation {
            code: group(&code),
            login_name,
            expires_at,
        })
    }

    // ---------------------------------------------------------- signing in

    /// The open invitation behind a typed code: (id, her id, partnership).
    /// A wrong code counts towards the address's throttle; the error is on
    /// the field `code`.
    pub(crate) async fn invitation(&self, code: &str, ip: &str) -> Result<(i64, i64, i64)> {
        let now = self.now();
        let code = normalise_code(code);
        let found = {
            let mut c = self.db.read().await?;
            self.throttle(&mut c, CODE_KEY, ip, now).await?;
            if code.is_empty() {
                None
            } else {
                store::open_invitation(&mut c, &sha256_hex(&code), now).await?
            }
        };
        match found {
            Some(f) => Ok(f),
            None => {
                if !code.is_empty() {
                    self.record_failure(CODE_KEY, ip).await?;
                }
                Err(FieldErrors::single("code", "error-portal-code").into())
            }
        }
    }

    /// Whether a typed code opens an invitation (before she chooses how to
    /// sign in); her login name.
    #[tracing::instrument(skip_all)]
    pub async fn check_portal_code(&self, code: &str, ip: &str) -> Result<String> {
        let (_, participant_id, _) = self.invitation(code, ip).await?;
        let mut c = self.db.read().await?;
        store::login(&mut c, store::LoginKey::Participant(participant_id))
            .await?
            .map(|a| a.login_name)
            .ok_or(AppError::NotFound)
    }

    /// Use the invitation: her new password replaces any earlier one, her
    /// passkeys and sessions end, and she is signed in.
    #[tracing::instrument(skip_all)]
    pub async fn set_up_portal_password(
        &self,
        code: &str,
        password: &str,
        repeated: &str,
        ip: &str,
    ) -> Result<NewSession> {
        let mut errors = FieldErrors::new();
        let password = errors.take(
            "password",
            palett_domain::values::parse_new_password(password),
        );
        if password.as_deref().is_some_and(|p| p != repeated) {
            errors.push("password_again", "error-password-mismatch");
        }
        let (invitation, participant_id, partnership_id) = self.invitation(code, ip).await?;
        let (Some(password), true) = (password, errors.is_empty()) else {
            return Err(errors.into());
        };
        let hash = secret::hash_password_async(password).await?;
        let ctx = Ctx {
            actor: Actor::herself(partnership_id, participant_id),
            ip: ip.to_string(),
        };
        let tx = Change::begin(self, &ctx).await?;
        self.accept_invitation(tx, (invitation, participant_id), WayIn::Password(&hash))
            .await
    }

    /// Use an invitation in `tx`: her new way in replaces every earlier
    /// one (password, passkeys, sessions), and she is signed in; audited
    /// as the set-up and the sign-in. An invitation used meanwhile is
    /// refused on `code`.
    pub(crate) async fn accept_invitation(
        &self,
        mut tx: Change<'_>,
        (invitation, participant_id): (i64, i64),
        way: WayIn<'_>,
    ) -> Result<NewSession> {
        let now = tx.now();
        if !store::use_invitation(&mut tx, invitation, now).await? {
            return Err(FieldErrors::single("code", "error-portal-code").into());
        }
        let (hash, entity) = match way {
            WayIn::Password(hash) => (Some(hash), "portal_invitation"),
            WayIn::Passkey { .. } => (None, "portal_passkey"),
        };
        store::replace_credentials(&mut tx, participant_id, hash).await?;
        if let WayIn::Passkey {
            credential_id,
            passkey,
        } = way
        {
            store::insert_passkey(&mut tx, participant_id, credential_id, passkey, now).await?;
        }
        let session = self.new_portal_session(&mut tx, participant_id).await?;
        tx.audit(
            Action::PortalSetUp,
            entity,
            Some(invitation),
            Some(participant_id),
        )
        .await?;
        tx.done(
            Action::PortalSignIn,
            "portal_session",
            None,
            Some(participant_id),
        )
        .await?;
        Ok(session)
    }

    pub(crate) async fn new_portal_session(
        &self,
        c: &mut AnyConnection,
        participant_id: i64,
    ) -> Result<NewSession> {
        let now = self.now();
        let cookie_value = random_token()?;
        let csrf_token = random_token()?;
        let max_age_secs = self.config.session_absolute_secs;
        store::insert_session(
            c,
            &sha256_hex(&cookie_value),
            participant_id,
            &csrf_token,
            now,
            now + max_age_secs,
        )
        .await?;
        Ok(NewSession {
            cookie_value,
            csrf_token,
            max_age_secs,
        })
    }

    /// Sign in with her login name and password; throttled like staff
    /// sign-in, per login name and per address.
    #[tracing::instrument(skip_all)]
    pub async fn portal_sign_in(
        &self,
        login_name: &str,
        password: &str,
        ip: &str,
    ) -> Result<NewSession> {
        let now = self.now();
        let key = login_key(login_name);
        let found = {
            let mut c = self.db.read().await?;
            self.throttle(&mut c, &key, ip, now).await?;
            let name = normalise_code(login_name);
            store::login(&mut c, store::LoginKey::Name(&name))
                .await?
                .filter(|l| l.password_hash.is_some())
        };
        let hash = found
            .as_ref()
            .and_then(|l| l.password_hash.clone())
            .unwrap_or_else(|| secret::dummy_hash().to_string());
        let ok = secret::verify_password_async(password.to_string(), hash).await;
        let mut tx = bookkeeping(self).await?;
        let Some(store::Login {
            participant_id,
            partnership_id,
            ..
        }) = found.filter(|_| ok)
        else {
            palett_store::auth::record_login_attempt(&mut tx, &key, ip, false, now).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        };
        palett_store::auth::record_login_attempt(&mut tx, &key, ip, true, now).await?;
        self.sign_her_in(tx, (participant_id, partnership_id), ip, now)
            .await
    }

    /// The end of a sign-in that held (in its bookkeeping transaction, the
    /// attempt recorded): a new session, the change audited as hers.
    pub(crate) async fn sign_her_in(
        &self,
        mut tx: palett_store::WriteTx,
        (participant_id, partnership_id): (i64, i64),
        ip: &str,
        now: i64,
    ) -> Result<NewSession> {
        let session = self.new_portal_session(&mut tx, participant_id).await?;
        let ctx = Ctx {
            actor: Actor::herself(partnership_id, participant_id),
            ip: ip.to_string(),
        };
        Change::adopt(tx, &ctx, now)
            .done(
                Action::PortalSignIn,
                "portal_session",
                None,
                Some(participant_id),
            )
            .await?;
        Ok(session)
    }

    /// The participant behind a portal session cookie, if it is alive.
    #[tracing::instrument(skip_all)]
    pub async fn portal_session(&self, cookie_value: &str) -> Result<Option<Her>> {
        let now = self.now();
        let key = sha256_hex(cookie_value);
        let mut c = self.db.read().await?;
        let Some(s) = store::session(&mut c, &key).await? else {
            return Ok(None);
        };
        if self.config.session_ended(s.expires_at, s.last_seen_at, now) {
            store::delete_session(&mut c, &key).await?;
            return Ok(None);
        }
        if self.config.session_touch_due(s.last_seen_at, now) {
            store::touch_session(&mut c, &key, s.participant_id, now).await?;
        }
        Ok(Some(Her {
            participant_id: s.participant_id,
            partnership_id: s.partnership_id,
            given_name: s.given_name,
            lang: s.lang,
            csrf_token: s.csrf_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    pub async fn portal_sign_out(&self, cookie_value: &str, her: &Her, ip: &str) -> Result<()> {
        let ctx = her.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        store::delete_session(&mut tx, &sha256_hex(cookie_value)).await?;
        tx.done(
            Action::PortalSignOut,
            "portal_session",
            None,
            Some(her.participant_id),
        )
        .await
    }

    /// Keep the language she chose for her next visit.
    #[tracing::instrument(skip_all)]
    pub async fn set_portal_language(&self, her: &Her, ip: &str, lang: &str) -> Result<()> {
        let ctx = her.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        store::set_lang(&mut tx, her.participant_id, lang).await?;
        tx.done(
            Action::PortalLanguage,
            "portal_account",
            None,
            Some(her.participant_id),
        )
        .await
    }

    // ---------------------------------------------------------- her pages

    /// A read of her own record by herself, audited as `portal.read` of
    /// `entity`.
    pub(crate) async fn her_read<T>(
        &self,
        her: &Her,
        ip: &str,
        entity: &'static str,
        load: impl AsyncFnOnce(&mut AnyConnection) -> Result<T>,
    ) -> Result<T> {
        let ctx = her.ctx(ip);
        let mut r = Reading::begin(self, &ctx).await?;
        let out = load(r.conn()).await?;
        r.audit(
            Action::PortalRead,
            entity,
            Some(her.participant_id),
            Some(her.participant_id),
        );
        r.finish().await?;
        Ok(out)
    }

    /// Her plan: the latest version, her contacts (assigned caseworkers
    /// and their organisations) and the names of the palette's
    /// interventions her steps point to.
    pub async fn her_plan(&self, her: &Her, ip: &str) -> Result<HerPlan> {
        let (pid, partnership) = (her.participant_id, her.partnership_id);
        self.her_read(her, ip, "plan", async |c| {
            let plan = palett_store::palette::plan_versions(c, pid)
                .await?
                .into_iter()
                .max_by_key(|v| v.version)
                .map(|v| Plan::from_json(&v.body).ok_or_else(|| AppError::internal("corrupt plan")))
                .transpose()?;
            let interventions = palett_store::palette::interventions(c, partnership, true)
                .await?
                .into_iter()
                .map(|i| (i.id, i.name))
                .collect();
            let contacts = contacts(c, pid).await?;
            Ok(HerPlan {
                plan,
                interventions,
                contacts,
            })
        })
        .await
    }

    /// Her start page: her next session and her contacts, one read.
    pub async fn her_home(&self, her: &Her, ip: &str) -> Result<HerHome> {
        let pid = her.participant_id;
        let today = self.today().to_string();
        self.her_read(her, ip, "home", async |c| {
            Ok(HerHome {
                next: store::her_sessions(c, pid, (&today, LAST_DAY), 1)
                    .await?
                    .into_iter()
                    .next(),
                contacts: contacts(c, pid).await?,
            })
        })
        .await
    }

    /// Her coming sessions (at most 50) and her placements.
    pub async fn her_schedule(&self, her: &Her, ip: &str) -> Result<HerSchedule> {
        let pid = her.participant_id;
        let today = self.today().to_string();
        self.her_read(her, ip, "schedule", async |c| {
            Ok(HerSchedule {
                sessions: store::her_sessions(c, pid, (&today, LAST_DAY), 50).await?,
                calendar_made: store::calendar_made(c, pid).await?,
                placements: palett_store::placement::of_participant(c, pid)
                    .await?
                    .into_iter()
                    .map(|p| HerPlacement {
                        employer: p.employer_name,
                        title: p.opening_title,
                        start: p.start_date,
                        end: p.end_date,
                        minutes_per_week: p.minutes_per_week,
                    })
                    .collect(),
            })
        })
        .await
    }

    /// The months she sees: from twelve months back to the running one
    /// (shown, not confirmable): `(first, running)`, `YYYY-MM`.
    fn her_window(&self) -> (String, String) {
        let today = self.today();
        let running = format!("{:04}-{:02}", today.year(), today.month());
        let first = today
            .checked_sub(jiff::Span::new().months(12))
            .unwrap_or(today);
        let first = format!("{:04}-{:02}", first.year(), first.month());
        (first, running)
    }

    /// Her time month by month, latest first, with what she confirmed;
    /// and the running month (which cannot be confirmed yet).
    pub async fn her_time(&self, her: &Her, ip: &str) -> Result<(Vec<HerMonth>, String)> {
        let pid = her.participant_id;
        let (first, running) = self.her_window();
        let months = self
            .her_read(her, ip, "time", async |c| {
                Ok(store::her_months(c, pid, (&first, &running)).await?)
            })
            .await?;
        Ok((months, running))
    }

    /// She confirms an ended month of the last year with time recorded:
    /// the minutes she saw are kept with the day, as her attestation for
    /// the funder's time report. Audited as `portal.confirm_month`.
    pub async fn confirm_her_month(&self, her: &Her, ip: &str, month: &str) -> Result<()> {
        let (first, running) = self.her_window();
        let well_formed = month.len() == 7
            && month.as_bytes()[4] == b'-'
            && month
                .bytes()
                .enumerate()
                .all(|(i, b)| i == 4 || b.is_ascii_digit());
        if !well_formed || month < first.as_str() || month > running.as_str() {
            return Err(AppError::NotFound);
        }
        if month == running {
            return Err(FieldErrors::single("month", "error-portal-month-running").into());
        }
        let ctx = her.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        let now = tx.now();
        let minutes = store::her_months(&mut tx, her.participant_id, (month, month))
            .await?
            .first()
            .map(|m| m.minutes)
            .ok_or(AppError::NotFound)?;
        store::confirm_month(&mut tx, her.participant_id, month, minutes, now).await?;
        tx.done(
            Action::PortalConfirmMonth,
            "time_confirmation",
            None,
            Some(her.participant_id),
        )
        .await
    }

    /// Her consents, each with whether it is in force today.
    pub async fn her_consents(&self, her: &Her, ip: &str) -> Result<Vec<(Consent, bool)>> {
        let pid = her.participant_id;
        let today = self.today();
        self.her_read(her, ip, "consents", async |c| {
            Ok(palett_store::consent::of_participant(c, pid)
                .await?
                .into_iter()
                .map(|k| {
                    let in_force = k.in_force(today);
                    (k, in_force)
                })
                .collect())
        })
        .await
    }

    /// She withdraws one of her consents: it stops counting at once, and
    /// her caseworkers (or, with none, her responsible partner) get a
    /// message in their inbox. Another's consent is not found.
    pub async fn withdraw_her_consent(&self, her: &Her, ip: &str, consent_id: i64) -> Result<()> {
        let ctx = her.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        let now = tx.now();
        let owner = palett_store::consent::participant_of(&mut tx, consent_id).await?;
        if owner != Some(her.participant_id) {
            return Err(AppError::NotFound);
        }
        if !palett_store::consent::withdraw(&mut tx, consent_id, None, None, now).await? {
            return Err(FieldErrors::single("consent", "error-consent-withdrawn").into());
        }
        tx.emit(
            palett_domain::webhook::EventKind::ConsentWithdrawn,
            her.participant_id,
        )
        .await?;
        crate::inbox::from_her(
            &mut tx,
            InboxKind::ConsentWithdrawnByHer,
            her.partnership_id,
            her.participant_id,
            now,
        )
        .await?;
        tx.done(
            Action::ConsentWithdraw,
            "consent",
            Some(consent_id),
            Some(her.participant_id),
        )
        .await
    }

    /// She asks to talk about a new consent: her caseworkers (or, with
    /// none, her responsible partner) get a message in their inbox.
    pub async fn ask_about_consent(&self, her: &Her, ip: &str) -> Result<()> {
        let ctx = her.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        let now = tx.now();
        crate::inbox::from_her(
            &mut tx,
            InboxKind::ConsentTalkAsked,
            her.partnership_id,
            her.participant_id,
            now,
        )
        .await?;
        tx.done(
            Action::PortalAskConsent,
            "portal_account",
            None,
            Some(her.participant_id),
        )
        .await
    }

    /// A calendar feed of her sessions: a new secret (shown once, only its
    /// hash kept) replaces any earlier one. Audited.
    pub async fn make_her_calendar(&self, her: &Her, ip: &str) -> Result<String> {
        let secret = random_token()?;
        let ctx = her.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        let now = tx.now();
        store::set_calendar(&mut tx, her.participant_id, Some(&sha256_hex(&secret)), now).await?;
        tx.done(
            Action::CalendarFeedCreate,
            "portal_calendar",
            None,
            Some(her.participant_id),
        )
        .await?;
        Ok(secret)
    }

    /// Her calendar feed stops working. Audited.
    pub async fn revoke_her_calendar(&self, her: &Her, ip: &str) -> Result<()> {
        let ctx = her.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        let now = tx.now();
        store::set_calendar(&mut tx, her.participant_id, None, now).await?;
        tx.done(
            Action::CalendarFeedRevoke,
            "portal_calendar",
            None,
            Some(her.participant_id),
        )
        .await
    }

    /// The sessions her calendar feed's secret opens (two weeks back, four
    /// months ahead); `None` for an unknown or revoked secret.
    pub async fn her_calendar(&self, secret: &str) -> Result<Option<Vec<HerSession>>> {
        let today = self.today();
        let day = |d: Option<jiff::civil::Date>| d.unwrap_or(today).to_string();
        let from = day(today.checked_sub(jiff::Span::new().days(14)).ok());
        let to = day(today.checked_add(jiff::Span::new().days(120)).ok());
        let mut c = self.db.read().await?;
        let Some(pid) = store::calendar_owner(&mut c, &sha256_hex(secret)).await? else {
            return Ok(None);
        };
        Ok(Some(
            store::her_sessions(&mut c, pid, (&from, &to), 500).await?,
        ))
    }

    /// Her self-assessments, oldest first.
    pub async fn her_self_assessments(&self, her: &Her, ip: &str) -> Result<Vec<SelfAssessment>> {
        let pid = her.participant_id;
        self.her_read(her, ip, "self_assessments", async |c| {
            Ok(palett_store::selfassessment::of_participant(c, pid).await?)
        })
        .await
    }

    /// She fills in a self-assessment herself: marked as her own entry.
    pub async fn record_her_self_assessment(
        &self,
        her: &Her,
        ip: &str,
        scored: &Scored,
    ) -> Result<i64> {
        let ctx = her.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        let now = tx.now();
        let id = palett_store::selfassessment::insert(
            &mut tx,
            her.participant_id,
            scored.on,
            &scored.scores,
            None,
            now,
        )
        .await?;
        tx.done(
            Action::SelfAssessmentRecord,
            "self_assessment",
            Some(id),
            Some(her.participant_id),
        )
        .await?;
        Ok(id)
    }

    /// What palett holds about her, as the portal shows it (see the
    /// module's comment for what is left to her caseworker's export).
    pub async fn her_data(&self, her: &Her, ip: &str) -> Result<HerData> {
        let pid = her.participant_id;
        let partnership = her.partnership_id;
        self.her_read(her, ip, "subject_access", async |c| {
            let herself = Actor::herself(partnership, pid);
            let (mut participant, _) = self
                .participant_with_relation(c, pid, &herself)
                .await?
                .ok_or(AppError::NotFound)?;
            // The restricted field group is staff's (see the module).
            participant.restricted = None;
            let filter = palett_store::audit::Filter {
                participant_id: Some(pid),
                ..Default::default()
            };
            let (log, _) = palett_store::audit::list(c, partnership, &filter, 500, 0).await?;
            Ok(HerData {
                participant,
                consents: palett_store::consent::of_participant(c, pid).await?,
                enrolments: palett_store::palette::enrolments_of_participant(c, pid).await?,
                self_assessments: palett_store::selfassessment::of_participant(c, pid).await?,
                log: log
                    .into_iter()
                    .map(|e| HerLogLine {
                        at: e.at,
                        organisation: e.organisation_name,
                        action: e.action,
                    })
                    .collect(),
            })
        })
        .await
    }
}

/// The last day a query of coming sessions reaches (none: all coming).
const LAST_DAY: &str = "9999-12-31";

/// Her contacts: her assigned caseworkers' names and organisations.
async fn contacts(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<(String, String)>> {
    Ok(palett_store::participant::caseworkers(c, participant_id)
        .await?
        .into_iter()
        .map(|w| (w.name, w.organisation))
        .collect())
}

/// Her plan as the portal shows it.
#[derive(Clone, Debug)]
pub struct HerPlan {
    pub plan: Option<Plan>,
    /// The palette's interventions by id (for her steps).
    pub interventions: std::collections::HashMap<i64, String>,
    /// Her contacts: name and organisation.
    pub contacts: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct HerPlacement {
    pub employer: String,
    pub title: String,
    pub start: jiff::civil::Date,
    pub end: jiff::civil::Date,
    pub minutes_per_week: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct HerSchedule {
    pub sessions: Vec<HerSession>,
    pub placements: Vec<HerPlacement>,
    /// When her calendar feed was made, if she has one.
    pub calendar_made: Option<i64>,
}

/// What her start page shows: her next session and her contacts.
#[derive(Clone, Debug)]
pub struct HerHome {
    pub next: Option<HerSession>,
    /// Her contacts: name and organisation.
    pub contacts: Vec<(String, String)>,
}

/// One line of who handled her record: when, which organisation, what.
#[derive(Clone, Debug)]
pub struct HerLogLine {
    pub at: jiff::Timestamp,
    pub organisation: Option<String>,
    pub action: String,
}

/// What the portal's "My data" shows.
#[derive(Clone, Debug)]
pub struct HerData {
    pub participant: palett_domain::model::Participant,
    pub consents: Vec<Consent>,
    pub enrolments: Vec<palett_store::palette::Enrolment>,
    pub self_assessments: Vec<SelfAssessment>,
    pub log: Vec<HerLogLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_ignore_case_spaces_and_dashes() {
        assert_eq!(normalise_code(" k7pq-2m4x r8ab "), "K7PQ2M4XR8AB");
        assert_eq!(group("K7PQ2M4XR8AB"), "K7PQ-2M4X-R8AB");
        assert_eq!(normalise_code("ä-ö"), "");
    }

    #[test]
    fn codes_use_only_letters_easy_to_read_out() {
        let code = random_letters(12).expect("the system random source");
        assert_eq!(code.len(), 12);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
    }
}
