//! Forgotten user ID (R6), and forgotten password or locked account (R5, R7): identity check, a
//! one-time code by e-mail (R9), then a new password, which clears the lock and ends every session.

use portal_domain::api::{CodeSent, Field, Problem, RecoveredUserId, Refusal, Reply, email_hint};
use portal_domain::credentials::UserId;
use portal_domain::otp::{
    CodeRefusal, CodeState, after_wrong_entry, code_usable, normalize_code, resend_wait,
};

use crate::crypto::{random_code, random_token, same_digest, token_hash};
use crate::guards::login_guard;
use crate::identity::IdentityForm;
use crate::registration::NewCredentials;
use crate::store::auth::FlowRow;
use crate::{Client, NOT_YOU_EN, NOT_YOU_JA, Portal, PortalResult};

const RESET: &str = "reset";

impl Portal {
    /// Shows the user ID of the card's online account and notifies the registered address.
    pub async fn recover_user_id(
        &self,
        form: IdentityForm<'_>,
        client: &Client,
    ) -> PortalResult<Reply<RecoveredUserId>> {
        let member_id = match self.check_identity(form, client).await? {
            Ok(proven) => proven.member_id,
            Err(failure) => return Ok(failure.into_reply()),
        };
        let Some(user) = self.db.online_user_by_member(member_id).await? else {
            return Ok(Reply::Refused(Refusal::NotRegistered));
        };
        self.audit(client, "user_id_recovered", Some(user.id), None, "")
            .await;
        self.notify_member(
            member_id,
            "【会員ポータル】ユーザーID確認のお知らせ / Your user ID was looked up",
            &format!("ユーザーIDの確認がありました。{NOT_YOU_JA}"),
            &format!(
                "Someone looked up your user ID after proving they hold your card. {NOT_YOU_EN}"
            ),
        )
        .await?;
        Ok(Reply::Done(RecoveredUserId {
            user_id: user.display_user_id,
        }))
    }

    /// Step 1 of a reset: identity check, then a code to the registered address. Returns the flow
    /// token for the cookie.
    pub async fn start_reset(
        &self,
        form: IdentityForm<'_>,
        client: &Client,
    ) -> PortalResult<Reply<(String, CodeSent)>> {
        let member_id = match self.check_identity(form, client).await? {
            Ok(proven) => proven.member_id,
            Err(failure) => return Ok(failure.into_reply()),
        };
        let Some(user) = self.db.online_user_by_member(member_id).await? else {
            return Ok(Reply::Refused(Refusal::NotRegistered));
        };
        let token = random_token();
        let flow_hash = token_hash(&token);
        let now = self.now();
        self.db
            .create_flow(
                &flow_hash,
                RESET,
                member_id,
                now,
                now + self.config.flow_ttl_secs,
            )
            .await?;
        self.audit(client, "reset_started", Some(user.id), None, "")
            .await;
        match self.send_code(&flow_hash, member_id).await? {
            Reply::Done(sent) => Ok(Reply::Done((token, sent))),
            Reply::Invalid(p) => Ok(Reply::Invalid(p)),
            Reply::Refused(r) => Ok(Reply::Refused(r)),
        }
    }

    /// A flow for `purpose` that is neither completed nor expired.
    pub(crate) async fn live_flow(
        &self,
        flow_hash: &str,
        purpose: &str,
    ) -> PortalResult<Option<FlowRow>> {
        let now = self.now();
        Ok(self
            .db
            .flow(flow_hash)
            .await?
            .filter(|f| f.purpose == purpose && f.completed_at.is_none() && f.expires_at > now))
    }

    async fn reset_flow(&self, flow_hash: &str) -> PortalResult<Option<FlowRow>> {
        self.live_flow(flow_hash, RESET).await
    }

    /// Where the reset stands, for the code screen: the address hint and the wait before a resend.
    pub async fn reset_status(&self, flow_token: &str) -> PortalResult<Option<CodeSent>> {
        let Some(flow) = self.reset_flow(&token_hash(flow_token)).await? else {
            return Ok(None);
        };
        let email = self
            .db
            .member(flow.member_id)
            .await?
            .map(|m| m.email)
            .unwrap_or_default();
        Ok(Some(CodeSent {
            email_hint: email_hint(&email),
            resend_wait_secs: resend_wait(
                flow.code_sent_at.unwrap_or(0),
                self.now(),
                &self.config.codes,
            ),
        }))
    }

    pub async fn resend_code(
        &self,
        flow_token: &str,
        client: &Client,
    ) -> PortalResult<Reply<CodeSent>> {
        let flow_hash = token_hash(flow_token);
        let Some(flow) = self.reset_flow(&flow_hash).await? else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        if flow.code_used_at.is_some() {
            return Ok(Reply::Refused(Refusal::Code(CodeRefusal::AlreadyUsed)));
        }
        self.audit(client, "code_resent", None, None, "").await;
        self.send_code(&flow_hash, flow.member_id).await
    }

    pub(crate) async fn send_code(
        &self,
        flow_hash: &str,
        member_id: i64,
    ) -> PortalResult<Reply<CodeSent>> {
        let code = match self.new_flow_code(flow_hash).await? {
            Ok(code) => code,
            Err(refusal) => return Ok(Reply::Refused(refusal)),
        };
        let Some(member) = self.db.member(member_id).await? else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        self.mail_code(&member.email, &member.name_ja, &member.name_en, &code)
            .await?;
        Ok(Reply::Done(CodeSent {
            email_hint: email_hint(&member.email),
            resend_wait_secs: self.config.codes.resend_after_secs,
        }))
    }

    /// A new code for the flow (its keyed hash stored), or why none may be sent yet.
    pub(crate) async fn new_flow_code(
        &self,
        flow_hash: &str,
    ) -> PortalResult<Result<String, Refusal>> {
        let policy = &self.config.codes;
        let code = random_code(policy.digits);
        let mac = self.keys.one_time_code_mac(flow_hash, &code);
        let now = self.now();
        let stored = self
            .db
            .store_flow_code(
                flow_hash,
                &mac,
                now,
                policy.resend_after_secs,
                self.config.max_code_sends,
            )
            .await?;
        if stored {
            return Ok(Ok(code));
        }
        let flow = self.db.flow(flow_hash).await?;
        Ok(Err(match flow {
            Some(f) if f.code_sends >= i64::from(self.config.max_code_sends) => {
                Refusal::TooManyResends
            }
            Some(f) => Refusal::ResendWait {
                secs: resend_wait(f.code_sent_at.unwrap_or(0), now, policy),
            },
            None => Refusal::FlowExpired,
        }))
    }

    /// A one-time code by SMS to a mobile number.
    pub(crate) async fn text_code(&self, number: &str, code: &str) -> PortalResult<()> {
        let minutes = portal_domain::api::PolicyView::minutes(self.config.codes.ttl_secs);
        let body = format!(
            "【会員ポータル】確認コード {code}（{minutes}分間有効）。他人に教えないでください。 Your code: {code}"
        );
        Ok(self.sms.send(&self.db, number, &body, self.now()).await?)
    }

    pub(crate) async fn mail_code(
        &self,
        to: &str,
        name_ja: &str,
        name_en: &str,
        code: &str,
    ) -> PortalResult<()> {
        let minutes = portal_domain::api::PolicyView::minutes(self.config.codes.ttl_secs);
        let body = format!(
            "{name_ja} 様\n\nワンタイムコード: {code}\n有効期限は{minutes}分です。このコードを他人に教えないでください。\n\n\
             Dear {name_en},\n\nYour one-time code: {code}\nIt is valid for {minutes} minutes. Never share it with anyone.\n",
        );
        self.send_required(
            to,
            "【会員ポータル】ワンタイムコード / Your one-time code",
            &body,
        )
        .await
    }

    /// Step 2: the code from the e-mail.
    pub async fn verify_reset_code(
        &self,
        flow_token: &str,
        code: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let flow_hash = token_hash(flow_token);
        let flow = self.reset_flow(&flow_hash).await?;
        self.check_flow_code(&flow_hash, flow, code, client).await
    }

    /// Checks a typed code against the one last sent for a flow and, if it matches, uses it up.
    pub(crate) async fn check_flow_code(
        &self,
        flow_hash: &str,
        flow: Option<FlowRow>,
        code: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let policy = self.config.codes;
        let Some(typed) = normalize_code(code, &policy) else {
            let problem = if code.trim().is_empty() {
                Problem::Required
            } else {
                Problem::OneTimeCodeFormat
            };
            return Ok(Reply::Invalid(vec![(Field::Code, problem)]));
        };
        let Some(flow) = flow else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let (Some(code_mac), Some(sent_at)) = (flow.code_mac.as_deref(), flow.code_sent_at) else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let now = self.now();
        let state = CodeState {
            sent_at,
            entries: u32::try_from(flow.code_entries).unwrap_or(u32::MAX),
            used: flow.code_used_at.is_some(),
        };
        // On the copy read above: only a shortcut. The reservation below is what holds.
        if let Err(refusal) = code_usable(&state, now, &policy) {
            return Ok(Reply::Refused(Refusal::Code(refusal)));
        }
        // Each entry takes one of the code's allowed entries before it is compared, in one
        // statement, so parallel guesses compare at most `max_wrong` codes.
        let Some(entries) = self
            .db
            .reserve_code_entry(flow_hash, policy.max_wrong)
            .await?
        else {
            return Ok(Reply::Refused(Refusal::Code(CodeRefusal::TooManyAttempts)));
        };
        if !same_digest(code_mac, &self.keys.one_time_code_mac(flow_hash, &typed)) {
            self.audit(client, "code_wrong", None, None, &flow.purpose)
                .await;
            let refusal = after_wrong_entry(entries, &policy);
            return Ok(Reply::Refused(Refusal::Code(refusal)));
        }
        if !self.db.use_flow_code(flow_hash, now).await? {
            return Ok(Reply::Refused(Refusal::Code(CodeRefusal::AlreadyUsed)));
        }
        self.audit(client, "code_verified", None, None, &flow.purpose)
            .await;
        Ok(Reply::Done(()))
    }

    /// Step 3: the new password. Clears the lock, ends every session of the member, sends a notice.
    pub async fn finish_reset(
        &self,
        flow_token: &str,
        password: &str,
        password_confirm: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let flow_hash = token_hash(flow_token);
        let Some(flow) = self
            .reset_flow(&flow_hash)
            .await?
            .filter(|f| f.code_used_at.is_some())
        else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let Some(user) = self.db.online_user_by_member(flow.member_id).await? else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let hash = match self
            .hash_new_password(&user.display_user_id, password, password_confirm)
            .await?
        {
            Ok(hash) => hash,
            Err(problems) => return Ok(Reply::Invalid(problems)),
        };
        if !self.db.complete_flow(&flow_hash, self.now()).await? {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        }
        let owner = PasswordOwner {
            online_user_id: user.id,
            member_id: flow.member_id,
            display_user_id: &user.display_user_id,
        };
        self.store_new_password(&owner, &hash, None, "password_reset", client)
            .await?;
        Ok(Reply::Done(()))
    }

    /// A new password for an existing account, checked by the configured policy and hashed; or what
    /// is wrong with it.
    pub(crate) async fn hash_new_password(
        &self,
        display_user_id: &str,
        password: &str,
        password_confirm: &str,
    ) -> PortalResult<Result<String, Vec<(Field, Problem)>>> {
        let new = NewCredentials {
            user_id: display_user_id,
            password,
            password_confirm,
        };
        let problems = self.credential_problems(new, Some(&UserId::login_key(display_user_id)));
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        Ok(Ok(self.passwords.hash(password).await?))
    }

    /// Stores a new password hash: clears the lock, ends the member's sessions (all but `keep`, a
    /// session's id hash), audits `event` (and the unlock), and sends the notice.
    pub(crate) async fn store_new_password(
        &self,
        owner: &PasswordOwner<'_>,
        hash: &str,
        keep: Option<&str>,
        event: &str,
        client: &Client,
    ) -> PortalResult<()> {
        let now = self.now();
        let login_key = UserId::login_key(owner.display_user_id);
        self.db
            .set_password_hash(owner.online_user_id, hash, now)
            .await?;
        let was_locked = self.password_locked(owner.display_user_id, now).await?;
        self.clear_guard(&login_guard(&login_key), now).await?;
        let ended = match keep {
            Some(keep) => {
                self.db
                    .delete_other_sessions(owner.online_user_id, keep)
                    .await?
            }
            None => self.db.delete_sessions_of(owner.online_user_id).await?,
        };
        let who = Some(owner.online_user_id);
        let detail = format!("sessions_ended={ended}");
        self.audit(client, event, who, Some(&login_key), &detail)
            .await;
        if was_locked {
            self.audit(client, "unlocked", who, Some(&login_key), "online")
                .await;
        }
        self.notify_password_changed(owner.member_id, owner.online_user_id)
            .await
    }
}

/// The account a new password is for.
pub(crate) struct PasswordOwner<'a> {
    pub online_user_id: i64,
    pub member_id: i64,
    pub display_user_id: &'a str,
}
