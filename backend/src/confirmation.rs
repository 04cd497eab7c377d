//! Proving it is still the member before a sensitive change (passkeys, partner links, point
//! transfers, a new password): the password again, or a one-time code by e-mail when the password
//! is locked or forgotten. A password sign-in counts as one; a passkey sign-in does not.

use portal_domain::api::{CodeSent, Field, Problem, Refusal, Reply};
use portal_domain::credentials::{PasswordProblem, UserId};
use portal_domain::lockout::Settled;
use portal_domain::passkey::confirmation_is_fresh;

use crate::crypto::token_hash;
use crate::guards::login_refusal;
use crate::recovery::PasswordOwner;
use crate::sessions::SessionUser;
use crate::{Client, Portal, PortalResult};

const CONFIRM: &str = "confirm";

impl Portal {
    /// The confirmation code belongs to the session: its flow key is derived from the session's,
    /// so no other cookie is needed and signing out ends it.
    fn confirm_flow_hash(user: &SessionUser) -> String {
        token_hash(&format!("{CONFIRM}:{}", user.id_hash))
    }

    /// Whether the session proved the password or a one-time code recently enough for a sensitive
    /// change (passkeys, partner links, point transfers, a new password). The one check every such
    /// change makes.
    pub(crate) fn confirmed(&self, user: &SessionUser, now: i64) -> bool {
        confirmation_is_fresh(
            user.confirmed_at,
            now,
            self.config.passkeys.confirmation_secs,
        )
    }

    /// The password again. Wrong entries count towards the same lockout as sign-in.
    pub async fn confirm_password(
        &self,
        user: &SessionUser,
        password: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        if password.is_empty() {
            return Ok(Reply::Invalid(vec![(Field::Password, Problem::Required)]));
        }
        if password.chars().count() > self.config.password.max_len {
            return Ok(Reply::Invalid(vec![(
                Field::Password,
                Problem::Password(PasswordProblem::TooLong),
            )]));
        }
        if let Err(wait) = self.limits.sign_in.check(&client.addr) {
            return Ok(Reply::Refused(Refusal::RateLimited {
                retry_after_secs: wait,
            }));
        }
        let now = self.now();
        let Some(account) = self.db.online_user_by_id(user.online_user_id).await? else {
            return Ok(Reply::Refused(Refusal::SignedOut));
        };
        let login_key = UserId::login_key(&account.display_user_id);
        let who = Some(user.online_user_id);
        let stored = Some(account.password_hash.as_str());
        let settled = match self
            .verify_guarded(&login_key, password, stored, now)
            .await?
        {
            Ok(settled) => settled,
            Err(refused) => return Ok(Reply::Refused(login_refusal(refused))),
        };
        match settled {
            Settled::Passed => {
                self.db.confirm_session(&user.id_hash, now).await?;
                self.audit(client, "confirmed", who, Some(&login_key), "password")
                    .await;
                Ok(Reply::Done(()))
            }
            Settled::Failed { remaining } => {
                self.audit(client, "confirm_failed", who, Some(&login_key), "")
                    .await;
                Ok(Reply::Refused(Refusal::BadCredentials { remaining }))
            }
            Settled::LockedNow { .. } => {
                self.audit(client, "confirm_failed", who, Some(&login_key), "")
                    .await;
                let account = Some((user.online_user_id, user.member_id));
                self.password_locked_now(client, account, &login_key, "confirmation")
                    .await?;
                Ok(Reply::Refused(Refusal::Locked))
            }
        }
    }

    /// Sends a one-time code to the registered address (again, after the resend wait).
    pub async fn send_confirmation_code(
        &self,
        user: &SessionUser,
        client: &Client,
    ) -> PortalResult<Reply<CodeSent>> {
        let flow_hash = Self::confirm_flow_hash(user);
        if self.live_flow(&flow_hash, CONFIRM).await?.is_none() {
            let now = self.now();
            self.db.delete_flow(&flow_hash).await?;
            self.db
                .create_flow(
                    &flow_hash,
                    CONFIRM,
                    user.member_id,
                    now,
                    now + self.config.flow_ttl_secs,
                )
                .await?;
        }
        self.audit(
            client,
            "code_sent",
            Some(user.online_user_id),
            None,
            CONFIRM,
        )
        .await;
        self.send_code(&flow_hash, user.member_id).await
    }

    pub async fn confirm_code(
        &self,
        user: &SessionUser,
        code: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let flow_hash = Self::confirm_flow_hash(user);
        let flow = self.live_flow(&flow_hash, CONFIRM).await?;
        let reply = self.check_flow_code(&flow_hash, flow, code, client).await?;
        if reply.is_done() {
            let now = self.now();
            self.db.complete_flow(&flow_hash, now).await?;
            self.db.confirm_session(&user.id_hash, now).await?;
            self.audit(client, "confirmed", Some(user.online_user_id), None, "code")
                .await;
        }
        Ok(reply)
    }

    /// A new password from inside a freshly confirmed session. Clears the lock and ends the
    /// member's other sessions. A passkey session whose password is locked can only confirm with a
    /// code by e-mail (the password cannot be checked while locked), so a session alone never
    /// leaves a lock.
    pub async fn change_password(
        &self,
        user: &SessionUser,
        password: &str,
        password_confirm: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        if !self.confirmed(user, self.now()) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        let hash = match self
            .hash_new_password(&user.display_user_id, password, password_confirm)
            .await?
        {
            Ok(hash) => hash,
            Err(problems) => return Ok(Reply::Invalid(problems)),
        };
        let owner = PasswordOwner {
            online_user_id: user.online_user_id,
            member_id: user.member_id,
            display_user_id: &user.display_user_id,
        };
        self.store_new_password(
            &owner,
            &hash,
            Some(&user.id_hash),
            "password_changed",
            client,
        )
        .await?;
        Ok(Reply::Done(()))
    }
}
