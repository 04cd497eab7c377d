//! Per-client and per-member throttles, in memory in each server process: they slow a flood from
//! one address down. The limits that guard a secret (the password lockout, code entries, identity
//! checks per card, spending checks per day) must hold across processes and live in the database.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::RateLimits;

pub struct Limiter<K: Hash + Eq + Clone> {
    inner: DefaultKeyedRateLimiter<K>,
    clock: governor::clock::DefaultClock,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn new(per_period: u32, period: Duration) -> Self {
        let burst = NonZeroU32::new(per_period.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period / burst.get())
            .unwrap_or_else(|| Quota::per_second(burst))
            .allow_burst(burst);
        Self {
            inner: RateLimiter::keyed(quota),
            clock: governor::clock::DefaultClock::default(),
        }
    }

    /// Forgets keys whose allowance is full again, so the map holds only recent callers, not every
    /// address that ever called.
    fn trim(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }

    /// Ok, or the seconds to wait before the next attempt.
    pub fn check(&self, key: &K) -> Result<(), u64> {
        use governor::clock::Clock;
        self.inner
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs().max(1))
    }
}

pub struct Limits {
    pub sign_in: Limiter<String>,
    pub identity: Limiter<String>,
    pub passkey: Limiter<String>,
    /// Strength-meter estimates per client address.
    pub strength: Limiter<String>,
    /// "User ID taken" answers per client address (the per-registration count is in the database).
    pub user_id_taken: Limiter<String>,
    /// Statement PDFs per member (each is laid out on the blocking pool).
    pub pdf: Limiter<i64>,
    /// Keyed by member id.
    pub spending_checks: Limiter<i64>,
}

impl Limits {
    /// Run now and then (with the session purge).
    pub fn trim(&self) {
        self.sign_in.trim();
        self.identity.trim();
        self.passkey.trim();
        self.strength.trim();
        self.user_id_taken.trim();
        self.pdf.trim();
        self.spending_checks.trim();
    }

    pub fn new(rate: &RateLimits) -> Self {
        Self {
            sign_in: Limiter::new(rate.sign_in_per_minute, Duration::from_secs(60)),
            identity: Limiter::new(rate.identity_checks_per_minute, Duration::from_secs(60)),
            passkey: Limiter::new(rate.passkey_per_minute, Duration::from_secs(60)),
            strength: Limiter::new(rate.strength_per_minute, Duration::from_secs(60)),
            user_id_taken: Limiter::new(rate.user_id_taken_per_hour, Duration::from_secs(3600)),
            pdf: Limiter::new(rate.pdf_per_minute, Duration::from_secs(60)),
            spending_checks: Limiter::new(
                rate.spending_checks_per_member_per_hour,
                Duration::from_secs(3600),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refused_with_a_wait() {
        let limiter = Limiter::new(3, Duration::from_secs(60));
        let key = "127.0.0.1".to_string();
        for _ in 0..3 {
            assert!(limiter.check(&key).is_ok());
        }
        let wait = limiter.check(&key).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(
            limiter.check(&"10.0.0.1".to_string()).is_ok(),
            "other clients are not affected"
        );
    }

    #[test]
    fn trimming_forgets_callers_whose_allowance_is_full_again() {
        // Ten a second: a key's allowance refills within 100 ms.
        let limiter = Limiter::new(1, Duration::from_millis(100));
        for n in 0..1000 {
            assert!(limiter.check(&n).is_ok());
        }
        assert_eq!(limiter.inner.len(), 1000);
        std::thread::sleep(Duration::from_millis(300));
        limiter.trim();
        assert_eq!(limiter.inner.len(), 0);
    }
}
