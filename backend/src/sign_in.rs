//! ID/password sign-in with lockout (R4, R11).

use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::credentials::{PasswordProblem, UserId, UserIdError};
use portal_domain::lockout::{Refused, Settled};

use crate::guards::login_refusal;
use crate::sessions::SignInMethod;
use crate::{Client, Portal, PortalResult};

impl Portal {
    /// What is wrong with a typed user ID and password before anything is counted or stored: both
    /// present, and neither longer than any account's could be.
    pub(crate) fn sign_in_problems(&self, user_id: &str, password: &str) -> Vec<(Field, Problem)> {
        let mut problems = Vec::new();
        let typed = user_id.trim();
        if typed.is_empty() {
            problems.push((Field::UserId, Problem::Required));
        } else if typed.len() > self.config.user_id.max_len {
            problems.push((Field::UserId, Problem::UserId(UserIdError::TooLong)));
        }
        if password.is_empty() {
            problems.push((Field::Password, Problem::Required));
        } else if password.chars().count() > self.config.password.max_len {
            problems.push((Field::Password, Problem::Password(PasswordProblem::TooLong)));
        }
        problems
    }

    /// Checks a user ID and password. On success returns a new session token.
    ///
    /// An unknown ID is treated exactly like a known one: its failures are counted and locked under
    /// the same key, and a decoy hash is verified so the answer takes as long.
    pub async fn sign_in(
        &self,
        user_id: &str,
        password: &str,
        client: &Client,
    ) -> PortalResult<Reply<String>> {
        let problems = self.sign_in_problems(user_id, password);
        if !problems.is_empty() {
            return Ok(Reply::Invalid(problems));
        }
        let now = self.now();
        let login_key = UserId::login_key(user_id);
        if let Err(wait) = self.limits.sign_in.check(&client.addr) {
            self.audit(client, "sign_in_rate_limited", None, Some(&login_key), "")
                .await;
            return Ok(Reply::Refused(Refusal::RateLimited {
                retry_after_secs: wait,
            }));
        }
        let user = self.db.online_user_by_login(&login_key).await?;
        let user_num = user.as_ref().map(|u| u.id);
        let stored = user.as_ref().map(|u| u.password_hash.as_str());
        let settled = match self
            .verify_guarded(&login_key, password, stored, now)
            .await?
        {
            Ok(settled) => settled,
            Err(refused) => {
                if matches!(refused, Refused::Locked { .. }) {
                    self.audit(
                        client,
                        "sign_in_refused_locked",
                        user_num,
                        Some(&login_key),
                        "",
                    )
                    .await;
                }
                return Ok(Reply::Refused(login_refusal(refused)));
            }
        };
        match (user, settled) {
            (Some(user), Settled::Passed) => {
                // Said only after the right password, so holds cannot be probed for.
                if user.held() {
                    self.audit(
                        client,
                        "sign_in_refused_held",
                        Some(user.id),
                        Some(&login_key),
                        "password",
                    )
                    .await;
                    return Ok(Reply::Refused(Refusal::Held));
                }
                let token = self
                    .open_session(user.id, SignInMethod::Password, None, client, now)
                    .await?;
                self.audit(
                    client,
                    "sign_in",
                    Some(user.id),
                    Some(&login_key),
                    "password",
                )
                .await;
                Ok(Reply::Done(token))
            }
            (user, settled) => {
                self.audit(client, "sign_in_failed", user_num, Some(&login_key), "")
                    .await;
                match settled {
                    Settled::Failed { remaining } => {
                        Ok(Reply::Refused(Refusal::BadCredentials { remaining }))
                    }
                    _ => {
                        let account = user.map(|u| (u.id, u.member_id));
                        self.password_locked_now(client, account, &login_key, "password")
                            .await?;
                        Ok(Reply::Refused(Refusal::Locked))
                    }
                }
            }
        }
    }
}
