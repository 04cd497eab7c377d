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

/// The card an identity check proved, and its holder.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProvenCard {
    pub member_id: i64,
    pub card_id: i64,
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
    /// The card and the member who holds it, or why not.
    pub(crate) async fn check_identity(
        &self,
        form: IdentityForm<'_>,
        client: &Client,
    ) -> PortalResult<Result<ProvenCard, IdentityFailure>> {
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
        let number_mac = self.keys.card_number_mac(&number);
        let card = format!("card …{}", number.last_digits());
        let holder = self.db.card_holder_by_number_mac(&number_mac).await?;
        let member_id = holder.as_ref().map(|h| h.member_id);
        let matched = holder.as_ref().is_some_and(|h| {
            let code_ok = same_digest(
                &h.front_code_mac,
                &self.keys.card_code_mac(&number_mac, "front", &code),
            );
            code_ok && h.birth_date == iso_date(birth)
        });
        Ok(self
            .guarded_card_check(&number_mac, &card, member_id, matched, client)
            .await?
            .and_then(|()| {
                holder
                    .map(|h| ProvenCard {
                        member_id: h.member_id,
                        card_id: h.card_id,
                    })
                    .ok_or(Refusal::CardNotMatched)
            })
            .map_err(IdentityFailure::Refused))
    }

    /// One identity check on a card under its lock (`card:<MAC>`, kept for unknown numbers too): a
    /// slot is reserved before `matched` counts, a failure counts towards the lock, and the lock
    /// refuses right answers as well and tells the card's holder. `matched` is worked out by the
    /// caller beforehand; it is only looked at once the slot is held.
    pub(crate) async fn guarded_card_check(
        &self,
        number_mac: &str,
        card: &str,
        holder: Option<i64>,
        matched: bool,
        client: &Client,
    ) -> PortalResult<Result<(), Refusal>> {
        let now = self.now();
        let guard = card_guard(number_mac);
        let policy = self.config.identity_lock.guard();
        match self.reserve_attempt(&guard, &policy, now).await? {
            Ok(()) => {}
            Err(Refused::Locked { until }) => {
                self.audit(client, "identity_refused_locked", None, None, card)
                    .await;
                return Ok(Err(Refusal::IdentityLocked {
                    until: until.unwrap_or(now),
                }));
            }
            Err(Refused::Busy) => return Ok(Err(Refusal::TryAgain)),
        }
        match self.settle_attempt(&guard, matched, &policy, now).await? {
            Settled::Passed => Ok(Ok(())),
            Settled::Failed { .. } => {
                self.audit(client, "identity_check_failed", None, None, card)
                    .await;
                Ok(Err(Refusal::CardNotMatched))
            }
            Settled::LockedNow { until } => {
                let until = until.unwrap_or(now);
                self.audit(client, "identity_check_failed", None, None, card)
                    .await;
                self.audit(client, "identity_locked", None, None, card)
                    .await;
                if let Some(member_id) = holder {
                    self.notify_identity_locked(member_id, until).await?;
                }
                Ok(Err(Refusal::IdentityLocked { until }))
            }
        }
    }
}
