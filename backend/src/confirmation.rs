//! Proving it is still the member before a sensitive change (adding or removing a passkey): the
//! password again, or a one-time code by e-mail when the password is locked or forgotten. Also the
//! password change such a confirmation, or a passkey sign-in, allows.

use portal_domain::api::{CodeSent, Field, Problem, Refusal, Reply};
use portal_domain::credentials::UserId;

use crate::crypto::token_hash;
use crate::recovery::PasswordOwner;
use crate::sessions::{SessionUser, SignInMethod};
use crate::{Client, Portal, PortalResult, now};

const CONFIRM: &str = "confirm";

impl Portal {
    /// The confirmation code belongs to the session: its flow key is derived from the session's,
    /// so no other cookie is needed and signing out ends it.
    fn confirm_flow_hash(user: &SessionUser) -> String {
        token_hash(&format!("{CONFIRM}:{}", user.id_hash))
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
        if let Err(wait) = self.limits.sign_in.check(&client.addr) {
            return Ok(Reply::Refused(Refusal::RateLimited {
                retry_after_secs: wait,
            }));
        }
        let Some(account) = self.db.online_user_by_id(user.online_user_id).await? else {
            return Ok(Reply::Refused(Refusal::SignedOut));
        };
        let login_key = UserId::login_key(&account.display_user_id);
        let max = self.config.lockout.max_failures;
        let Some(failures) = self
            .db
            .reserve_sign_in_attempt(&login_key, max, now())
            .await?
        else {
            return Ok(Reply::Refused(Refusal::Locked));
        };
        let who = Some(user.online_user_id);
        if self
            .passwords
            .verify(password, Some(&account.password_hash))
            .await?
        {
            self.db.clear_sign_in_failures(&login_key, now()).await?;
            self.db.confirm_session(&user.id_hash, now()).await?;
            self.audit(client, "confirmed", who, Some(&login_key), "password")
                .await;
            return Ok(Reply::Done(()));
        }
        let detail = format!("failures={failures}");
        self.audit(client, "confirm_failed", who, Some(&login_key), &detail)
            .await;
        if failures >= max {
            self.audit(client, "locked", who, Some(&login_key), &detail)
                .await;
            Ok(Reply::Refused(Refusal::Locked))
        } else {
            Ok(Reply::Refused(Refusal::BadCredentials {
                remaining: max - failures,
            }))
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
            let now = now();
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
            self.db.complete_flow(&flow_hash, now()).await?;
            self.db.confirm_session(&user.id_hash, now()).await?;
            self.audit(client, "confirmed", Some(user.online_user_id), None, "code")
                .await;
        }
        Ok(reply)
    }

    /// A new password from inside a freshly confirmed session, or from a passkey session while the
    /// password is locked (the way out of a lock). Clears the lock and ends the member's other
    /// sessions.
    pub async fn change_password(
        &self,
        user: &SessionUser,
        password: &str,
        password_confirm: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let unlocking = user.method == SignInMethod::Passkey
            && self.password_locked(&user.display_user_id).await?;
        if !unlocking && !self.confirmed(user) {
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
