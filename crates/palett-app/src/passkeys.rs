//! Passkeys in the participant portal (WebAuthn, with webauthn-rs): she
//! sets one up with her invitation's code instead of a password, and signs
//! in with it. The state of a ceremony is kept server side for five
//! minutes and taken once (`portal_ceremonies`); the browser holds only a
//! random ceremony id. Her passkeys carry a random user handle, not her id.
//! The relying party (the site's host and origin) is given by the web
//! layer for each request.

use crate::auth::NewSession;
use crate::portal::{login_key, WayIn};
use crate::secret::{random_token, sha256_hex};
use crate::work::{bookkeeping, Change};
use crate::{App, AppError, Ctx, Result};
use palett_domain::policy::Actor;
use palett_domain::FieldErrors;
use palett_store::portal as store;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

/// How long a ceremony may take.
const CEREMONY_SECS: i64 = 300;

/// The site as the browser sees it: the relying party's id (the host) and
/// the origin (`scheme://host[:port]`).
#[derive(Clone, Debug)]
pub struct RelyingParty {
    pub id: String,
    pub origin: String,
}

/// The challenge for the browser and the ceremony it belongs to.
#[derive(Clone, Debug)]
pub struct Challenge {
    pub ceremony: String,
    /// The options for `navigator.credentials.create` or `.get`.
    pub options: serde_json::Value,
}

fn webauthn(rp: &RelyingParty) -> Result<Webauthn> {
    let origin = Url::parse(&rp.origin).map_err(|_| AppError::internal("a bad site origin"))?;
    WebauthnBuilder::new(&rp.id, &origin)
        .and_then(|b| b.rp_name("palett").build())
        .map_err(|e| AppError::internal_from("passkeys are not configured", e))
}

fn passkey_error() -> AppError {
    FieldErrors::single("credential", "error-portal-passkey").into()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| AppError::internal_from("serialising a passkey", e))
}

impl App {
    /// A ceremony begun: its state kept (`kind`: `register` or `sign_in`)
    /// under a new random id, and the options for the browser.
    async fn challenge(
        &self,
        kind: &str,
        participant_id: i64,
        options: &impl serde::Serialize,
        state: &impl serde::Serialize,
    ) -> Result<Challenge> {
        let ceremony = random_token()?;
        let now = self.now();
        let mut tx = bookkeeping(self).await?;
        store::insert_ceremony(
            &mut tx,
            &sha256_hex(&ceremony),
            kind,
            participant_id,
            &to_json(state)?,
            (now, now + CEREMONY_SECS),
        )
        .await?;
        tx.commit().await?;
        Ok(Challenge {
            ceremony,
            options: serde_json::to_value(options)
                .map_err(|e| AppError::internal_from("a passkey challenge", e))?,
        })
    }

    /// With her invitation's code, the challenge to make a passkey.
    #[tracing::instrument(skip_all)]
    pub async fn start_portal_passkey(
        &self,
        code: &str,
        rp: &RelyingParty,
        ip: &str,
    ) -> Result<Challenge> {
        let (_, participant_id, _) = self.invitation(code, ip).await?;
        let account = {
            let mut c = self.db.read().await?;
            store::login(&mut c, store::LoginKey::Participant(participant_id))
                .await?
                .ok_or(AppError::NotFound)?
        };
        let login = account.login_name;
        let handle = match account.user_handle.and_then(|h| Uuid::parse_str(&h).ok()) {
            Some(h) => h,
            None => {
                let h = Uuid::from_bytes(crate::secret::random_bytes::<16>()?);
                let mut tx = bookkeeping(self).await?;
                store::set_user_handle(&mut tx, participant_id, &h.to_string()).await?;
                tx.commit().await?;
                h
            }
        };
        let (options, state) = webauthn(rp)?
            .start_passkey_registration(handle, &login, &login, None)
            .map_err(|e| AppError::internal_from("a passkey challenge", e))?;
        self.challenge("register", participant_id, &options, &state)
            .await
    }

    /// Her authenticator's answer: the passkey replaces any password and
    /// earlier passkey, the invitation is used, and she is signed in.
    #[tracing::instrument(skip_all)]
    pub async fn finish_portal_passkey(
        &self,
        code: &str,
        ceremony: &str,
        credential: serde_json::Value,
        rp: &RelyingParty,
        ip: &str,
    ) -> Result<NewSession> {
        let (invitation, participant_id, partnership_id) = self.invitation(code, ip).await?;
        let ctx = Ctx {
            actor: Actor::herself(partnership_id, participant_id),
            ip: ip.to_string(),
        };
        let mut tx = Change::begin(self, &ctx).await?;
        let now = tx.now();
        let state =
            match store::take_ceremony(&mut tx, &sha256_hex(ceremony), "register", now).await? {
                Some((pid, state)) if pid == participant_id => state,
                _ => return Err(passkey_error()),
            };
        let state: PasskeyRegistration = serde_json::from_str(&state)
            .map_err(|e| AppError::internal_from("a stored passkey ceremony", e))?;
        let answer: RegisterPublicKeyCredential =
            serde_json::from_value(credential).map_err(|_| passkey_error())?;
        let passkey = webauthn(rp)?
            .finish_passkey_registration(&answer, &state)
            .map_err(|_| passkey_error())?;
        let credential_id = sha256_hex(&to_json(passkey.cred_id())?);
        let passkey = to_json(&passkey)?;
        self.accept_invitation(
            tx,
            (invitation, participant_id),
            WayIn::Passkey {
                credential_id: &credential_id,
                passkey: &passkey,
            },
        )
        .await
    }

    /// The challenge to sign in with one of her passkeys, by her login
    /// name; throttled like a password sign-in.
    #[tracing::instrument(skip_all)]
    pub async fn start_portal_passkey_sign_in(
        &self,
        login_name: &str,
        rp: &RelyingParty,
        ip: &str,
    ) -> Result<Challenge> {
        let now = self.now();
        let (participant_id, passkeys) = {
            let mut c = self.db.read().await?;
            self.throttle(&mut c, &login_key(login_name), ip, now)
                .await?;
            let login = crate::portal::normalise_code(login_name);
            let Some(account) = store::login(&mut c, store::LoginKey::Name(&login)).await? else {
                return Err(AppError::Unauthenticated);
            };
            let pid = account.participant_id;
            (pid, store::passkeys_of(&mut c, pid).await?)
        };
        let passkeys = passkeys
            .iter()
            .map(|(_, json)| serde_json::from_str::<Passkey>(json))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| AppError::internal_from("a stored passkey", e))?;
        if passkeys.is_empty() {
            return Err(AppError::Unauthenticated);
        }
        let (options, state) = webauthn(rp)?
            .start_passkey_authentication(&passkeys)
            .map_err(|e| AppError::internal_from("a passkey challenge", e))?;
        self.challenge("sign_in", participant_id, &options, &state)
            .await
    }

    /// Her authenticator's answer to a sign-in challenge: a session, the
    /// passkey's counter kept. A wrong answer counts towards throttling.
    #[tracing::instrument(skip_all)]
    pub async fn finish_portal_passkey_sign_in(
        &self,
        ceremony: &str,
        credential: serde_json::Value,
        rp: &RelyingParty,
        ip: &str,
    ) -> Result<NewSession> {
        let now = self.now();
        let mut tx = bookkeeping(self).await?;
        let Some((participant_id, state)) =
            store::take_ceremony(&mut tx, &sha256_hex(ceremony), "sign_in", now).await?
        else {
            return Err(AppError::Unauthenticated);
        };
        let account = store::login(&mut tx, store::LoginKey::Participant(participant_id))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let (partnership_id, key) = (account.partnership_id, login_key(&account.login_name));
        let state: PasskeyAuthentication = serde_json::from_str(&state)
            .map_err(|e| AppError::internal_from("a stored passkey ceremony", e))?;
        let verified = serde_json::from_value::<PublicKeyCredential>(credential)
            .ok()
            .and_then(|answer| {
                webauthn(rp)
                    .ok()?
                    .finish_passkey_authentication(&answer, &state)
                    .ok()
            });
        let Some(result) = verified else {
            palett_store::auth::record_login_attempt(&mut tx, &key, ip, false, now).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        };
        palett_store::auth::record_login_attempt(&mut tx, &key, ip, true, now).await?;
        for (credential_id, json) in store::passkeys_of(&mut tx, participant_id).await? {
            let mut passkey: Passkey = serde_json::from_str(&json)
                .map_err(|e| AppError::internal_from("a stored passkey", e))?;
            if let Some(changed) = passkey.update_credential(&result) {
                let updated = if changed {
                    Some(to_json(&passkey)?)
                } else {
                    None
                };
                store::used_passkey(&mut tx, &credential_id, updated.as_deref(), now).await?;
            }
        }
        self.sign_her_in(tx, (participant_id, partnership_id), ip, now)
            .await
    }
}
