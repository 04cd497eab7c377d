//! Guards against guessing, as one small state machine with time passed in: the password lockout
//! (R4: a login key locks after N wrong passwords until the member resets it) and the identity-check
//! lock (a card refuses every identity check, right answers too, for a growing wait after N wrong
//! ones). The backend stores a [`Guard`] per key and applies these transitions with a
//! compare-and-swap, so the rule tested here is the rule that runs on every server process.
//!
//! A slot is reserved *before* the secret is compared (`pending`), so parallel attempts can never
//! compare more secrets than the limit allows, and a right answer that finds every slot taken by
//! attempts still in flight is told to try again rather than "locked".

use serde::{Deserialize, Serialize};

/// A reservation older than this is taken to be abandoned (its process died mid-check): no check
/// takes anywhere near this long, and the slot must not stay taken forever.
pub const PENDING_EXPIRY_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LockLength {
    /// Locked until the member proves who they are another way (a reset).
    UntilCleared,
    /// Locked for `first_secs`, and `then_secs` for every lock after it until a success.
    Growing { first_secs: i64, then_secs: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardPolicy {
    /// Consecutive wrong answers that lock.
    pub max_failures: u32,
    pub lock: LockLength,
}

/// The sign-in lockout: three wrong passwords lock until a reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockoutPolicy {
    pub max_failures: u32,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self { max_failures: 3 }
    }
}

impl LockoutPolicy {
    pub fn guard(&self) -> GuardPolicy {
        GuardPolicy {
            max_failures: self.max_failures,
            lock: LockLength::UntilCleared,
        }
    }
}

/// The identity-check lock per card: five wrong checks in a row lock the card's checks for an hour,
/// then for a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityLockPolicy {
    pub max_failures: u32,
    pub first_lock_secs: i64,
    pub next_lock_secs: i64,
}

impl Default for IdentityLockPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            first_lock_secs: 3600,
            next_lock_secs: 86_400,
        }
    }
}

impl IdentityLockPolicy {
    pub fn guard(&self) -> GuardPolicy {
        GuardPolicy {
            max_failures: self.max_failures,
            lock: LockLength::Growing {
                first_secs: self.first_lock_secs,
                then_secs: self.next_lock_secs,
            },
        }
    }
}

/// What is stored per key (a login key, a card).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guard {
    /// Consecutive wrong answers, settled.
    pub failures: u32,
    /// Attempts that reserved a slot and have not said how they ended.
    pub pending: u32,
    /// When the newest pending slot was reserved.
    pub pending_since: i64,
    /// Timed locks since the last success (`Growing` only).
    pub locks: u32,
    /// End of the current timed lock (`Growing` only).
    pub locked_until: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Locked: until a reset (`None`) or until the time given.
    Locked { until: Option<i64> },
    /// Every slot is taken by attempts still in flight; the key is not locked.
    Busy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Passed,
    /// A wrong answer; this many are left before the lock.
    Failed {
        remaining: u32,
    },
    /// This wrong answer locked the key.
    LockedNow {
        until: Option<i64>,
    },
}

impl Guard {
    pub fn is_locked(&self, now: i64, policy: &GuardPolicy) -> bool {
        match policy.lock {
            LockLength::UntilCleared => self.failures >= policy.max_failures,
            LockLength::Growing { .. } => self.locked_until.is_some_and(|until| now < until),
        }
    }

    /// Takes one slot before a secret is compared, or refuses.
    pub fn reserve(&mut self, now: i64, policy: &GuardPolicy) -> Result<(), Refused> {
        if self.pending > 0 && now - self.pending_since > PENDING_EXPIRY_SECS {
            self.pending = 0;
        }
        if let Some(until) = self.locked_until {
            if now < until {
                return Err(Refused::Locked { until: Some(until) });
            }
            // The wait is over: a new run of attempts, with the next lock longer.
            self.locked_until = None;
            self.failures = 0;
        }
        if policy.lock == LockLength::UntilCleared && self.failures >= policy.max_failures {
            return Err(Refused::Locked { until: None });
        }
        if self.failures + self.pending >= policy.max_failures {
            return Err(Refused::Busy);
        }
        self.pending += 1;
        self.pending_since = now;
        Ok(())
    }

    /// How a reserved attempt ended.
    pub fn settle(&mut self, right: bool, now: i64, policy: &GuardPolicy) -> Settled {
        self.pending = self.pending.saturating_sub(1);
        if right {
            self.failures = 0;
            self.locks = 0;
            return Settled::Passed;
        }
        self.failures += 1;
        if self.failures < policy.max_failures {
            return Settled::Failed {
                remaining: policy.max_failures - self.failures,
            };
        }
        match policy.lock {
            LockLength::UntilCleared => Settled::LockedNow { until: None },
            LockLength::Growing {
                first_secs,
                then_secs,
            } => {
                self.locks += 1;
                let wait = if self.locks == 1 {
                    first_secs
                } else {
                    then_secs
                };
                let until = now + wait;
                self.locked_until = Some(until);
                Settled::LockedNow { until: Some(until) }
            }
        }
    }

    /// The member proved who they are another way (a reset, a support operator): the count and
    /// any lock end. Attempts in flight keep their slots.
    pub fn clear(&mut self) {
        self.failures = 0;
        self.locks = 0;
        self.locked_until = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000;

    fn password() -> GuardPolicy {
        LockoutPolicy::default().guard()
    }

    fn identity() -> GuardPolicy {
        IdentityLockPolicy::default().guard()
    }

    fn wrong(g: &mut Guard, now: i64, p: &GuardPolicy) -> Settled {
        g.reserve(now, p).unwrap();
        g.settle(false, now, p)
    }

    #[test]
    fn three_wrong_passwords_lock_until_cleared() {
        let p = password();
        let mut g = Guard::default();
        assert_eq!(wrong(&mut g, T0, &p), Settled::Failed { remaining: 2 });
        assert_eq!(wrong(&mut g, T0, &p), Settled::Failed { remaining: 1 });
        assert_eq!(wrong(&mut g, T0, &p), Settled::LockedNow { until: None });
        assert!(g.is_locked(T0 + 10 * 86_400, &p), "no wait ends it");
        assert_eq!(
            g.reserve(T0 + 86_400, &p),
            Err(Refused::Locked { until: None })
        );
        g.clear();
        assert!(g.reserve(T0 + 86_400, &p).is_ok());
    }

    #[test]
    fn a_right_answer_starts_the_count_again() {
        let p = password();
        let mut g = Guard::default();
        wrong(&mut g, T0, &p);
        wrong(&mut g, T0, &p);
        g.reserve(T0, &p).unwrap();
        assert_eq!(g.settle(true, T0, &p), Settled::Passed);
        assert_eq!(wrong(&mut g, T0, &p), Settled::Failed { remaining: 2 });
    }

    #[test]
    fn parallel_attempts_take_at_most_the_allowed_slots() {
        let p = password();
        let mut g = Guard::default();
        for _ in 0..3 {
            g.reserve(T0, &p).unwrap();
        }
        // A fourth, perhaps the right password, while three are still being checked: not locked.
        assert_eq!(g.reserve(T0, &p), Err(Refused::Busy));
        assert!(!g.is_locked(T0, &p));
        assert_eq!(g.settle(true, T0, &p), Settled::Passed);
        assert!(g.reserve(T0, &p).is_ok(), "a slot came back");
    }

    #[test]
    fn abandoned_reservations_expire() {
        let p = password();
        let mut g = Guard::default();
        for _ in 0..3 {
            g.reserve(T0, &p).unwrap();
        }
        assert_eq!(g.reserve(T0 + PENDING_EXPIRY_SECS, &p), Err(Refused::Busy));
        assert!(g.reserve(T0 + PENDING_EXPIRY_SECS + 1, &p).is_ok());
        assert_eq!(g.pending, 1);
    }

    #[test]
    fn identity_checks_lock_for_an_hour_then_a_day() {
        let p = identity();
        let mut g = Guard::default();
        for remaining in [4, 3, 2, 1] {
            assert_eq!(wrong(&mut g, T0, &p), Settled::Failed { remaining });
        }
        let first = T0 + 3600;
        assert_eq!(
            wrong(&mut g, T0, &p),
            Settled::LockedNow { until: Some(first) }
        );
        // The right answer is refused too while locked.
        assert_eq!(
            g.reserve(first - 1, &p),
            Err(Refused::Locked { until: Some(first) })
        );
        assert!(g.is_locked(first - 1, &p));
        assert!(!g.is_locked(first, &p));
        // After the wait, five more tries, and the next lock lasts a day.
        for _ in 0..4 {
            wrong(&mut g, first, &p);
        }
        assert_eq!(
            wrong(&mut g, first, &p),
            Settled::LockedNow {
                until: Some(first + 86_400)
            }
        );
        let second = first + 86_400;
        for _ in 0..5 {
            wrong(&mut g, second, &p);
        }
        assert_eq!(g.locked_until, Some(second + 86_400), "a day from then on");
    }

    #[test]
    fn an_identity_success_forgets_earlier_locks() {
        let p = identity();
        let mut g = Guard::default();
        for _ in 0..5 {
            wrong(&mut g, T0, &p);
        }
        let after = T0 + 3600;
        g.reserve(after, &p).unwrap();
        assert_eq!(g.settle(true, after, &p), Settled::Passed);
        for _ in 0..4 {
            wrong(&mut g, after, &p);
        }
        assert_eq!(
            wrong(&mut g, after, &p),
            Settled::LockedNow {
                until: Some(after + 3600)
            },
            "the first lock's length again"
        );
    }

    #[test]
    fn clearing_lifts_a_timed_lock() {
        let p = identity();
        let mut g = Guard::default();
        for _ in 0..5 {
            wrong(&mut g, T0, &p);
        }
        g.clear();
        assert!(!g.is_locked(T0, &p));
        assert!(g.reserve(T0, &p).is_ok());
    }
}
