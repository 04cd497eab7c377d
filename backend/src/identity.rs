//! The identity check shared by registration and recovery: card number, front code and date of
//! birth must all match one card.

use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::card::{CardNumber, CardNumberError, CodeError, FRONT_CODE_LEN, parse_code};
use portal_domain::period::{iso_date, parse_iso_date};

use portal_domain::lockout::{Refused, Settled};

use crate::crypto::same_digest;
use crate::guards::card_guard;
use crate::{Client, Portal, PortalResult};

/// What the member typed to prove they hold the card.
#[derive(Debug, Clone, Copy)]
pub struct IdentityForm<'a> {
    pub card_number: &'a str,
    pub front_code: &'a str,
    pub birth_date: &'a str,
}

pub(crate) enum IdentityFailure {
    Invalid(Vec<(Field, Problem)>),
    Refused(Refusal),
}

impl IdentityFailure {
    pub(crate) fn into_reply<T>(self) -> Reply<T> {
        match self {
            IdentityFailure::Invalid(problems) => Reply::Invalid(problems),
            IdentityFailure::Refused(refusal) => Reply::Refused(refusal),
        }
    }
}

impl Portal {
    /// The member who holds the card, or why not.
    pub(crate) async fn check_identity(
        &self,
        form: IdentityForm<'_>,
        client: &Client,
    ) -> PortalResult<Result<i64, IdentityFailure>> {
        let mut problems = Vec::new();
        let number = CardNumber::parse(form.card_number)
            .map_err(|e| {
                let p = if e == CardNumberError::Empty {
                    Problem::Required
                } else {
                    Problem::CardNumber(e)
                };
                problems.push((Field::CardNumber, p));
            })
            .ok();
        let code = parse_code(form.front_code, FRONT_CODE_LEN)
            .map_err(|e| {
                let p = if e == CodeError::Empty {
                    Problem::Required
                } else {
                    Problem::Code(e)
                };
                problems.push((Field::FrontCode, p));
            })
            .ok();
        let birth = if form.birth_date.trim().is_empty() {
            problems.push((Field::BirthDate, Problem::Required));
            None
        } else {
            let parsed = parse_iso_date(form.birth_date);
            if parsed.is_none() {
                problems.push((Field::BirthDate, Problem::BirthDateInvalid));
            }
            parsed
        };
        let (Some(number), Some(code), Some(birth)) = (number, code, birth) else {
            return Ok(Err(IdentityFailure::Invalid(problems)));
        };
        if let Err(wait) = self.limits.identity.check(&client.addr) {
            self.audit(client, "identity_rate_limited", None, None, "")
                .await;
            return Ok(Err(IdentityFailure::Refused(Refusal::RateLimited {
                retry_after_secs: wait,
            })));
        }
        let now = self.now();
        let number_mac = self.keys.card_number_mac(&number);
        let card = format!("card …{}", number.last_digits());
        let guard = card_guard(&number_mac);
        let policy = self.config.identity_lock.guard();
        match self.reserve_attempt(&guard, &policy, now).await? {
            Ok(()) => {}
            Err(Refused::Locked { until }) => {
                self.audit(client, "identity_refused_locked", None, None, &card)
                    .await;
                return Ok(Err(IdentityFailure::Refused(Refusal::IdentityLocked {
                    until: until.unwrap_or(now),
                })));
            }
            Err(Refused::Busy) => {
                return Ok(Err(IdentityFailure::Refused(Refusal::TryAgain)));
            }
        }
        let holder = self.db.card_holder_by_number_mac(&number_mac).await?;
        let member_id = holder.as_ref().map(|h| h.member_id);
        let matched = holder.as_ref().filter(|h| {
            let code_ok = same_digest(
                &h.front_code_mac,
                &self.keys.card_code_mac(&number, "front", &code),
            );
            code_ok && h.birth_date == iso_date(birth)
        });
        match self
            .settle_attempt(&guard, matched.is_some(), &policy, now)
            .await?
        {
            Settled::Passed => Ok(matched
                .map(|h| h.member_id)
                .ok_or(IdentityFailure::Refused(Refusal::CardNotMatched))),
            Settled::Failed { .. } => {
                self.audit(client, "identity_check_failed", None, None, &card)
                    .await;
                Ok(Err(IdentityFailure::Refused(Refusal::CardNotMatched)))
            }
            Settled::LockedNow { until } => {
                let until = until.unwrap_or(now);
                self.audit(client, "identity_check_failed", None, None, &card)
                    .await;
                self.audit(client, "identity_locked", None, None, &card)
                    .await;
                if let Some(member_id) = member_id {
                    self.notify_identity_locked(member_id, until).await?;
                }
                Ok(Err(IdentityFailure::Refused(Refusal::IdentityLocked {
                    until,
                })))
            }
        }
    }
}
