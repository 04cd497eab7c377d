//! Online registration (R1–R3): prove the card, then choose a user ID and a password.

use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::credentials::{UserId, password_problems, password_strength};

use crate::crypto::{random_token, token_hash};
use crate::guards::login_guard;
use crate::identity::IdentityForm;
use crate::sessions::SignInMethod;
use crate::store::is_unique_violation;
use crate::{Client, NOT_YOU_EN, NOT_YOU_JA, Portal, PortalResult};

pub(crate) const REGISTER: &str = "register";

/// What the member chose in the second step.
#[derive(Debug, Clone, Copy)]
pub struct NewCredentials<'a> {
    pub user_id: &'a str,
    pub password: &'a str,
    pub password_confirm: &'a str,
}

impl Portal {
    /// Step 1: the card is checked; returns a token for the flow cookie.
    pub async fn start_registration(
        &self,
        form: IdentityForm<'_>,
        client: &Client,
    ) -> PortalResult<Reply<String>> {
        let proven = match self.check_identity(form, client).await? {
            Ok(proven) => proven,
            Err(failure) => return Ok(failure.into_reply()),
        };
        if self
            .db
            .online_user_by_member(proven.member_id)
            .await?
            .is_some()
        {
            return Ok(Reply::Refused(Refusal::AlreadyRegistered));
        }
        let token = random_token();
        let flow_hash = token_hash(&token);
        let now = self.now();
        self.db
            .create_flow(
                &flow_hash,
                REGISTER,
                proven.member_id,
                now,
                now + self.config.flow_ttl_secs,
            )
            .await?;
        // The card proved here becomes the first of the member's scope.
        self.db
            .set_flow_pending_value(&flow_hash, &proven.card_id.to_string())
            .await?;
        Ok(Reply::Done(token))
    }

    /// The strength meter's score for a password being typed, off the async threads; `None` when
    /// the address asks more often than anyone types.
    pub async fn password_strength(
        &self,
        password: String,
        user_id: String,
        client: &Client,
    ) -> PortalResult<Option<u8>> {
        if self.limits.strength.check(&client.addr).is_err() {
            return Ok(None);
        }
        if password.chars().count() > self.config.password.max_len {
            return Ok(Some(0));
        }
        let score = tokio::task::spawn_blocking(move || password_strength(&password, &[&user_id]))
            .await
            .unwrap_or(0);
        Ok(Some(score))
    }

    /// The problems with a chosen user ID and password, checked by the configured policy.
    pub(crate) fn credential_problems(
        &self,
        new: NewCredentials<'_>,
        user_id_fixed: Option<&str>,
    ) -> Vec<(Field, Problem)> {
        let mut problems = Vec::new();
        let user_id = match user_id_fixed {
            Some(fixed) => fixed.to_string(),
            None => match UserId::parse(new.user_id, &self.config.user_id) {
                Ok(id) => id.as_str().to_string(),
                Err(e) => {
                    let p = if new.user_id.trim().is_empty() {
                        Problem::Required
                    } else {
                        Problem::UserId(e)
                    };
                    problems.push((Field::UserId, p));
                    new.user_id.trim().to_lowercase()
                }
            },
        };
        if new.password.is_empty() {
            problems.push((Field::Password, Problem::Required));
        } else {
            problems.extend(
                password_problems(new.password, &user_id, &self.config.password)
                    .into_iter()
                    .map(|p| (Field::Password, Problem::Password(p))),
            );
        }
        if new.password_confirm != new.password {
            problems.push((Field::PasswordConfirm, Problem::PasswordMismatch));
        }
        problems
    }

    /// Step 2: creates the online account and signs the member in; returns the session token.
    pub async fn complete_registration(
        &self,
        flow_token: &str,
        new: NewCredentials<'_>,
        client: &Client,
    ) -> PortalResult<Reply<String>> {
        let flow_hash = token_hash(flow_token);
        let Some((flow, card_id)) = self
            .live_flow(&flow_hash, REGISTER)
            .await?
            .and_then(|flow| {
                let card_id = flow.pending_value.as_deref()?.parse::<i64>().ok()?;
                Some((flow, card_id))
            })
        else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let problems = self.credential_problems(new, None);
        let user_id = match UserId::parse(new.user_id, &self.config.user_id) {
            Ok(id) if problems.is_empty() => id,
            _ => return Ok(Reply::Invalid(problems)),
        };
        if self
            .db
            .online_user_by_member(flow.member_id)
            .await?
            .is_some()
        {
            return Ok(Reply::Refused(Refusal::AlreadyRegistered));
        }
        // Whether an ID is taken tells which IDs exist: the look-ups are limited per address and
        // per registration, so the form cannot be used to list members' IDs.
        let now = self.now();
        if let Err(wait) = self.limits.user_id_taken.check(&client.addr) {
            return Ok(Reply::Refused(Refusal::RateLimited {
                retry_after_secs: wait,
            }));
        }
        let per_flow = self.config.rate.user_id_taken_per_registration;
        let flow_key = format!("user_id_lookup:{flow_hash}");
        if self.db.take_use(&flow_key, per_flow, now).await?.is_none() {
            return Ok(Reply::Refused(Refusal::RateLimited {
                retry_after_secs: u64::try_from(self.config.flow_ttl_secs).unwrap_or(1),
            }));
        }
        if self
            .db
            .online_user_by_login(user_id.as_str())
            .await?
            .is_some()
        {
            return Ok(Reply::Refused(Refusal::UserIdTaken));
        }
        let hash = self.passwords.hash(new.password).await?;
        let online_user_id = match self
            .db
            .create_online_user(
                flow.member_id,
                card_id,
                user_id.as_str(),
                new.user_id.trim(),
                &hash,
                now,
            )
            .await
        {
            Ok(id) => id,
            // Lost a race with a second tab or another member choosing the same ID.
            Err(e) if is_unique_violation(&e) => {
                let refusal = if self
                    .db
                    .online_user_by_member(flow.member_id)
                    .await?
                    .is_some()
                {
                    Refusal::AlreadyRegistered
                } else {
                    Refusal::UserIdTaken
                };
                return Ok(Reply::Refused(refusal));
            }
            Err(e) => return Err(e.into()),
        };
        self.db.complete_flow(&flow_hash, now).await?;
        // Failures counted against this ID before it existed do not carry over to its owner.
        self.clear_guard(&login_guard(user_id.as_str()), now)
            .await?;
        self.audit(
            client,
            "registered",
            Some(online_user_id),
            Some(user_id.as_str()),
            "",
        )
        .await;
        let id = new.user_id.trim();
        self.notify_member(
            flow.member_id,
            "【会員ポータル】ご登録完了のお知らせ / Registration complete",
            &format!(
                "オンライン・サービスへのご登録が完了しました。ユーザーID: {id}\n{NOT_YOU_JA}"
            ),
            &format!("Your online account is ready. User ID: {id}\n{NOT_YOU_EN}"),
        )
        .await?;
        let token = self
            .open_session(online_user_id, SignInMethod::Password, None, client, now)
            .await?;
        self.audit(
            client,
            "sign_in",
            Some(online_user_id),
            Some(user_id.as_str()),
            "registration",
        )
        .await;
        Ok(Reply::Done(token))
    }
}
