//! The sign-in lockout (R4) as a small state machine. The database applies the same rule atomically
//! (see `server::store::guard`); this module is the rule's definition and its tests.
//!
//! A slot is reserved *before* a password is verified, so parallel attempts can never verify more
//! passwords than the limit allows: a success gives the count back, a failure keeps it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockoutPolicy {
    /// Consecutive wrong passwords that lock the password.
    pub max_failures: u32,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self { max_failures: 3 }
    }
}

/// Consecutive failures recorded for one login key (a user ID as typed, lower-cased).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Guard {
    pub failures: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked;

impl Guard {
    pub fn is_locked(&self, policy: &LockoutPolicy) -> bool {
        self.failures >= policy.max_failures
    }

    /// Takes one attempt slot, or refuses because the password is locked.
    pub fn reserve(&mut self, policy: &LockoutPolicy) -> Result<(), Locked> {
        if self.is_locked(policy) {
            return Err(Locked);
        }
        self.failures += 1;
        Ok(())
    }

    /// The reserved attempt was the right password: the count starts again.
    pub fn succeed(&mut self) {
        self.failures = 0;
    }

    /// Wrong passwords still allowed before the lock.
    pub fn remaining(&self, policy: &LockoutPolicy) -> u32 {
        policy.max_failures.saturating_sub(self.failures)
    }

    /// Unlocking (after identity checks and a new password) clears the count.
    pub fn unlock(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_wrong_passwords_lock() {
        let p = LockoutPolicy::default();
        let mut g = Guard::default();
        for remaining in [2, 1, 0] {
            g.reserve(&p).unwrap();
            assert_eq!(g.remaining(&p), remaining);
        }
        assert!(g.is_locked(&p));
        assert_eq!(g.reserve(&p), Err(Locked));
        assert_eq!(g.failures, 3, "a refused attempt is not counted again");
    }

    #[test]
    fn success_resets_the_count() {
        let p = LockoutPolicy::default();
        let mut g = Guard::default();
        g.reserve(&p).unwrap();
        g.reserve(&p).unwrap();
        g.reserve(&p).unwrap();
        // The third attempt was right: the slot is given back and the count starts again.
        g.succeed();
        assert!(!g.is_locked(&p));
        assert_eq!(g.remaining(&p), 3);
    }

    #[test]
    fn the_limit_is_configuration() {
        let p = LockoutPolicy { max_failures: 5 };
        let mut g = Guard::default();
        for _ in 0..5 {
            g.reserve(&p).unwrap();
        }
        assert_eq!(g.reserve(&p), Err(Locked));
        g.unlock();
        assert!(g.reserve(&p).is_ok());
    }
}
