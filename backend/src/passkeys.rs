//! Passkeys (R8): the browser's answer to the app's fingerprint sign-in. webauthn-rs runs the
//! ceremonies; this module keeps their state on the server, single-use and short-lived, and applies
//! the portal's rules around them: a fresh confirmation to add or remove one, the issuer's hold,
//! a password lock that a passkey gets past, rate limits and the audit log.

use portal_domain::api::{
    Field, PasskeyRefusal, PasskeySignedIn, PasskeyView, Problem, Refusal, Reply, SecurityView,
};
use portal_domain::credentials::UserId;
use portal_domain::passkey::{CeremonyRefusal, ceremony_usable, confirmation_left, passkey_name};
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    CreationChallengeResponse, Credential, DiscoverableAuthentication, Passkey,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder, WebauthnError,
};
use webauthn_rs_proto::ResidentKeyRequirement;

use crate::config::{ConfigError, PasskeySettings};
use crate::crypto::{random_token, token_hash};
use crate::sessions::{SessionUser, SignInMethod};
use crate::store::is_unique_violation;
use crate::store::passkeys::{CeremonyRow, NewPasskey, PasskeyRow, PasskeyUse};
use crate::{Client, NOT_YOU_EN, NOT_YOU_JA, Portal, PortalError, PortalResult};

const REGISTER: &str = "register";
const SIGN_IN: &str = "sign_in";

/// A challenge for the browser and the id of the server-side ceremony it belongs to.
pub struct Challenge<T> {
    pub ceremony: String,
    pub options: T,
}

#[derive(Serialize, Deserialize)]
struct RegistrationState {
    user_handle: Uuid,
    state: PasskeyRegistration,
}

pub fn relying_party(settings: &PasskeySettings) -> Result<Webauthn, ConfigError> {
    let invalid = |reason: String| ConfigError::Invalid {
        name: "PORTAL_PUBLIC_ORIGIN",
        reason,
    };
    let origin = Url::parse(&settings.origin).map_err(|e| invalid(e.to_string()))?;
    let ttl = std::time::Duration::from_secs(u64::try_from(settings.ceremony_secs).unwrap_or(300));
    WebauthnBuilder::new(&settings.rp_id, &origin)
        .map_err(|e| invalid(e.to_string()))?
        .rp_name("会員ポータル / Member Portal")
        .timeout(ttl)
        .build()
        .map_err(|e| invalid(e.to_string()))
}

fn passkey_refused(refusal: PasskeyRefusal) -> Reply<()> {
    Reply::Refused(Refusal::Passkey(refusal))
}

/// The member's name for a passkey as stored, or the reply that says what is wrong with it.
fn checked_name(raw: &str) -> Result<String, Reply<()>> {
    passkey_name(raw)
        .map_err(|p| Reply::Invalid(vec![(Field::PasskeyName, Problem::PasskeyName(p))]))
}

fn view(row: &PasskeyRow) -> PasskeyView {
    PasskeyView {
        id: row.id,
        name: row.name.clone(),
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        synced: row.backup_eligible,
    }
}

impl Portal {
    async fn passkey_rate_limited(&self, client: &Client) -> Option<Refusal> {
        let wait = self.limits.passkey.check(&client.addr).err()?;
        self.audit(client, "passkey_rate_limited", None, None, "")
            .await;
        Some(Refusal::RateLimited {
            retry_after_secs: wait,
        })
    }

    /// Takes a ceremony for its answer and checks it was issued for this purpose and member.
    async fn take_ceremony(
        &self,
        token: &str,
        purpose: &str,
        answered_by: Option<i64>,
        client: &Client,
    ) -> PortalResult<Result<String, CeremonyRefusal>> {
        let checked = match self.db.take_ceremony(&token_hash(token)).await? {
            None => Err(CeremonyRefusal::Unknown),
            Some(row) if row.purpose != purpose => Err(CeremonyRefusal::Mismatch),
            Some(row) => {
                ceremony_usable(row.expires_at, self.now(), row.online_user_id, answered_by)
                    .map(|()| row.state)
            }
        };
        if let Err(refusal) = checked {
            let detail = format!("{purpose}: {refusal:?}");
            self.audit(
                client,
                "passkey_ceremony_refused",
                answered_by,
                None,
                &detail,
            )
            .await;
        }
        Ok(checked)
    }

    async fn store_ceremony(
        &self,
        purpose: &str,
        online_user_id: Option<i64>,
        state: String,
    ) -> PortalResult<String> {
        let token = random_token();
        let now = self.now();
        let row = CeremonyRow {
            purpose: purpose.to_string(),
            online_user_id,
            state,
            expires_at: now + self.config.passkeys.ceremony_secs,
        };
        self.db
            .insert_ceremony(&token_hash(&token), &row, now)
            .await?;
        Ok(token)
    }

    pub async fn security(&self, user: &SessionUser) -> PortalResult<SecurityView> {
        let now = self.now();
        let passkeys = self.db.passkeys_of(user.online_user_id).await?;
        Ok(SecurityView {
            passkeys: passkeys.iter().map(view).collect(),
            confirmation_left_secs: confirmation_left(
                user.confirmed_at,
                now,
                self.config.passkeys.confirmation_secs,
            ),
            password_locked: self.password_locked(&user.display_user_id, now).await?,
            signed_in_with_passkey: user.method == SignInMethod::Passkey,
        })
    }

    /// Step 1 of adding a passkey: the options for `navigator.credentials.create`.
    pub async fn start_passkey_registration(
        &self,
        user: &SessionUser,
        client: &Client,
    ) -> PortalResult<Reply<Challenge<CreationChallengeResponse>>> {
        if let Some(refusal) = self.passkey_rate_limited(client).await {
            return Ok(Reply::Refused(refusal));
        }
        if !self.confirmed(user, self.now()) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        let existing = self.db.passkeys_of(user.online_user_id).await?;
        // One handle per member, so every passkey of theirs names the same account.
        let user_handle = existing
            .first()
            .and_then(|p| Uuid::parse_str(&p.user_handle).ok())
            .unwrap_or_else(Uuid::new_v4);
        let exclude = existing
            .iter()
            .filter_map(|p| serde_json::from_str::<Passkey>(&p.credential).ok())
            .map(|p| p.cred_id().clone())
            .collect();
        let display_name = self
            .db
            .member(user.member_id)
            .await?
            .map(|m| m.name_en)
            .unwrap_or_else(|| user.display_user_id.clone());
        let (mut options, state) = self.webauthn.start_passkey_registration(
            user_handle,
            &user.display_user_id,
            &display_name,
            Some(exclude),
        )?;
        // Sign-in offers passkeys without a user ID, so the authenticator must keep the account.
        if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
            selection.resident_key = Some(ResidentKeyRequirement::Required);
            selection.require_resident_key = true;
        }
        let state =
            serde_json::to_string(&RegistrationState { user_handle, state }).map_err(encoding)?;
        let ceremony = self
            .store_ceremony(REGISTER, Some(user.online_user_id), state)
            .await?;
        Ok(Reply::Done(Challenge { ceremony, options }))
    }

    /// Step 2: the authenticator's answer and the member's name for the passkey.
    pub async fn finish_passkey_registration(
        &self,
        user: &SessionUser,
        ceremony: &str,
        name: &str,
        answer: &RegisterPublicKeyCredential,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let name = match checked_name(name) {
            Ok(name) => name,
            Err(reply) => return Ok(reply),
        };
        if let Some(refusal) = self.passkey_rate_limited(client).await {
            return Ok(Reply::Refused(refusal));
        }
        if !self.confirmed(user, self.now()) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        let state = match self
            .take_ceremony(ceremony, REGISTER, Some(user.online_user_id), client)
            .await?
        {
            Ok(state) => state,
            Err(refusal) => return Ok(passkey_refused(PasskeyRefusal::Ceremony(refusal))),
        };
        let Ok(RegistrationState { user_handle, state }) = serde_json::from_str(&state) else {
            return Ok(passkey_refused(PasskeyRefusal::Ceremony(
                CeremonyRefusal::Unknown,
            )));
        };
        // Checked before the library, which words this refusal as an algorithm mismatch.
        if self
            .db
            .passkey_by_credential(&hex::encode(&answer.raw_id))
            .await?
            .is_some()
        {
            return Ok(passkey_refused(PasskeyRefusal::AlreadyRegistered));
        }
        let passkey = match self.webauthn.finish_passkey_registration(answer, &state) {
            Ok(passkey) => passkey,
            Err(e) => {
                self.audit(
                    client,
                    "passkey_registration_rejected",
                    Some(user.online_user_id),
                    None,
                    &e.to_string(),
                )
                .await;
                return Ok(passkey_refused(PasskeyRefusal::Rejected));
            }
        };
        let credential = serde_json::to_string(&passkey).map_err(encoding)?;
        let facts = Credential::from(passkey);
        let credential_id = hex::encode(facts.cred_id.as_slice());
        let new = NewPasskey {
            online_user_id: user.online_user_id,
            user_handle: &user_handle.to_string(),
            credential_id: &credential_id,
            name: &name,
            credential: &credential,
            sign_count: i64::from(facts.counter),
            backup_eligible: facts.backup_eligible,
            backup_state: facts.backup_state,
            created_at: self.now(),
        };
        match self.db.insert_passkey(&new).await {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                return Ok(passkey_refused(PasskeyRefusal::AlreadyRegistered));
            }
            Err(e) => return Err(e.into()),
        }
        let detail = format!("synced={}", facts.backup_eligible);
        self.audit(
            client,
            "passkey_registered",
            Some(user.online_user_id),
            None,
            &detail,
        )
        .await;
        self.notify_member(
            user.member_id,
            "【会員ポータル】パスキー登録のお知らせ / A passkey was added",
            &format!("生体認証（パスキー）「{name}」が登録され、ログインに使えるようになりました。\n{NOT_YOU_JA}"),
            &format!("A passkey (fingerprint, face or screen lock) named \"{name}\" was added and can now sign in to your account.\n{NOT_YOU_EN}"),
        )
        .await?;
        Ok(Reply::Done(()))
    }

    pub async fn rename_passkey(
        &self,
        user: &SessionUser,
        id: i64,
        name: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let name = match checked_name(name) {
            Ok(name) => name,
            Err(reply) => return Ok(reply),
        };
        if !self
            .db
            .rename_passkey(user.online_user_id, id, &name)
            .await?
        {
            return Ok(passkey_refused(PasskeyRefusal::NotFound));
        }
        self.audit(
            client,
            "passkey_renamed",
            Some(user.online_user_id),
            None,
            "",
        )
        .await;
        Ok(Reply::Done(()))
    }

    pub async fn remove_passkey(
        &self,
        user: &SessionUser,
        id: i64,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        if !self.confirmed(user, self.now()) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        let Some(name) = self.db.delete_passkey(user.online_user_id, id).await? else {
            return Ok(passkey_refused(PasskeyRefusal::NotFound));
        };
        // Whoever signed in with it is signed out with it; this session, confirmed a moment ago,
        // stays.
        let ended = self
            .db
            .delete_sessions_of_passkey(id, &user.id_hash)
            .await?;
        self.audit(
            client,
            "passkey_removed",
            Some(user.online_user_id),
            None,
            &format!("sessions_ended={ended}"),
        )
        .await;
        self.notify_member(
            user.member_id,
            "【会員ポータル】パスキー削除のお知らせ / A passkey was removed",
            &format!("生体認証（パスキー）「{name}」が削除され、ログインに使えなくなりました。\n{NOT_YOU_JA}"),
            &format!("The passkey named \"{name}\" was removed and can no longer sign in to your account.\n{NOT_YOU_EN}"),
        )
        .await?;
        Ok(Reply::Done(()))
    }

    /// Step 1 of a passkey sign-in: a challenge any of the member's passkeys can answer, without a
    /// user ID.
    pub async fn start_passkey_sign_in(
        &self,
        client: &Client,
    ) -> PortalResult<Reply<Challenge<RequestChallengeResponse>>> {
        if let Some(refusal) = self.passkey_rate_limited(client).await {
            return Ok(Reply::Refused(refusal));
        }
        let (mut options, state) = self.webauthn.start_discoverable_authentication()?;
        // The browser chooses: a button press asks at once, the user-ID field's autofill waits.
        options.mediation = None;
        let state = serde_json::to_string(&state).map_err(encoding)?;
        let ceremony = self.store_ceremony(SIGN_IN, None, state).await?;
        Ok(Reply::Done(Challenge { ceremony, options }))
    }

    /// Step 2: the authenticator's answer. A locked password does not stop a passkey; a hold does.
    /// Returns the session token.
    pub async fn finish_passkey_sign_in(
        &self,
        ceremony: &str,
        answer: &PublicKeyCredential,
        client: &Client,
    ) -> PortalResult<Reply<(String, PasskeySignedIn)>> {
        let refused = |r| Ok(Reply::Refused(Refusal::Passkey(r)));
        let now = self.now();
        if let Some(refusal) = self.passkey_rate_limited(client).await {
            return Ok(Reply::Refused(refusal));
        }
        let state = match self.take_ceremony(ceremony, SIGN_IN, None, client).await? {
            Ok(state) => state,
            Err(refusal) => return refused(PasskeyRefusal::Ceremony(refusal)),
        };
        let Ok(state) = serde_json::from_str::<DiscoverableAuthentication>(&state) else {
            return refused(PasskeyRefusal::Ceremony(CeremonyRefusal::Unknown));
        };
        let Ok((user_handle, credential_id)) =
            self.webauthn.identify_discoverable_authentication(answer)
        else {
            self.audit(
                client,
                "passkey_sign_in_rejected",
                None,
                None,
                "no user handle",
            )
            .await;
            return refused(PasskeyRefusal::Rejected);
        };
        let Some(row) = self
            .db
            .passkey_by_credential(&hex::encode(credential_id))
            .await?
            .filter(|row| row.user_handle == user_handle.to_string())
        else {
            self.audit(client, "passkey_sign_in_unknown", None, None, "")
                .await;
            return refused(PasskeyRefusal::NotRecognised);
        };
        let owner = Some(row.online_user_id);
        let Ok(mut passkey) = serde_json::from_str::<Passkey>(&row.credential) else {
            return refused(PasskeyRefusal::NotRecognised);
        };
        let result = match self
            .webauthn
            .finish_discoverable_authentication_v2(answer, state, &passkey)
        {
            Ok(result) => result,
            Err(WebauthnError::CredentialPossibleCompromise) => {
                let detail = format!("stored={}", row.sign_count);
                self.audit(client, "passkey_counter_regressed", owner, None, &detail)
                    .await;
                return refused(PasskeyRefusal::CounterRegressed);
            }
            Err(e) => {
                self.audit(
                    client,
                    "passkey_sign_in_rejected",
                    owner,
                    None,
                    &e.to_string(),
                )
                .await;
                return refused(PasskeyRefusal::Rejected);
            }
        };
        passkey.update_credential(&result);
        let credential = serde_json::to_string(&passkey).map_err(encoding)?;
        let used = PasskeyUse {
            id: row.id,
            credential: &credential,
            sign_count: i64::from(result.counter()),
            backup_eligible: result.backup_eligible(),
            backup_state: result.backup_state(),
            at: now,
        };
        if !self.db.record_passkey_use(&used).await? {
            let detail = format!("stored>={}, presented={}", row.sign_count, result.counter());
            self.audit(client, "passkey_counter_regressed", owner, None, &detail)
                .await;
            return refused(PasskeyRefusal::CounterRegressed);
        }
        let Some(user) = self.db.online_user_by_id(row.online_user_id).await? else {
            return refused(PasskeyRefusal::NotRecognised);
        };
        let login_key = UserId::login_key(&user.display_user_id);
        if user.held() {
            self.audit(
                client,
                "sign_in_refused_held",
                owner,
                Some(&login_key),
                "passkey",
            )
            .await;
            return Ok(Reply::Refused(Refusal::Held));
        }
        let password_locked = self.password_locked(&user.display_user_id, now).await?;
        let token = self
            .open_session(user.id, SignInMethod::Passkey, Some(row.id), client, now)
            .await?;
        let detail = if password_locked {
            "passkey; password locked"
        } else {
            "passkey"
        };
        self.audit(client, "sign_in", owner, Some(&login_key), detail)
            .await;
        Ok(Reply::Done((token, PasskeySignedIn { password_locked })))
    }
}

fn encoding(error: serde_json::Error) -> PortalError {
    PortalError::Passkey(error.to_string())
}

impl From<WebauthnError> for PortalError {
    fn from(error: WebauthnError) -> Self {
        PortalError::Passkey(error.to_string())
    }
}
