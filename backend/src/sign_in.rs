//! ID/password sign-in with lockout (R4, R11).

use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::credentials::UserId;

use crate::sessions::SignInMethod;
use crate::{Client, Portal, PortalResult, now};

impl Portal {
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
        let login_key = UserId::login_key(user_id);
        let mut missing = Vec::new();
        if login_key.is_empty() {
            missing.push((Field::UserId, Problem::Required));
        }
        if password.is_empty() {
            missing.push((Field::Password, Problem::Required));
        }
        if !missing.is_empty() {
            return Ok(Reply::Invalid(missing));
        }
        if let Err(wait) = self.limits.sign_in.check(&client.addr) {
            self.audit(client, "sign_in_rate_limited", None, Some(&login_key), "")
                .await;
            return Ok(Reply::Refused(Refusal::RateLimited {
                retry_after_secs: wait,
            }));
        }
        let max = self.config.lockout.max_failures;
        let user = self.db.online_user_by_login(&login_key).await?;
        let user_id_num = user.as_ref().map(|u| u.id);
        let Some(failures) = self
            .db
            .reserve_sign_in_attempt(&login_key, max, now())
            .await?
        else {
            self.audit(
                client,
                "sign_in_refused_locked",
                user_id_num,
                Some(&login_key),
                "",
            )
            .await;
            return Ok(Reply::Refused(Refusal::Locked));
        };
        let matched = self
            .passwords
            .verify(password, user.as_ref().map(|u| u.password_hash.as_str()))
            .await?;
        match user {
            Some(user) if matched => {
                self.db.clear_sign_in_failures(&login_key, now()).await?;
                // Said only after the right password, so holds cannot be probed for.
                if user.held {
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
                    .open_session(user.id, SignInMethod::Password, client)
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
            _ => {
                let detail = format!("failures={failures}");
                self.audit(
                    client,
                    "sign_in_failed",
                    user_id_num,
                    Some(&login_key),
                    &detail,
                )
                .await;
                if failures >= max {
                    self.audit(client, "locked", user_id_num, Some(&login_key), &detail)
                        .await;
                    Ok(Reply::Refused(Refusal::Locked))
                } else {
                    Ok(Reply::Refused(Refusal::BadCredentials {
                        remaining: max - failures,
                    }))
                }
            }
        }
    }
}
