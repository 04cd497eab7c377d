//! How long a signed-in session lasts (R11): it ends after a time without activity and, whatever the
//! activity, a time after sign-in. Time is passed in so the rule is testable.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPolicy {
    pub idle_secs: i64,
    pub max_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_secs: 900,
            max_secs: 28_800,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Live,
    /// No activity for longer than the idle limit.
    Idle,
    /// Older than the absolute limit.
    Expired,
}

pub fn session_state(
    created_at: i64,
    last_seen_at: i64,
    now: i64,
    policy: &SessionPolicy,
) -> SessionState {
    if now - created_at > policy.max_secs {
        SessionState::Expired
    } else if now - last_seen_at > policy.idle_secs {
        SessionState::Idle
    } else {
        SessionState::Live
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000;

    #[test]
    fn fifteen_minutes_without_activity_end_a_session() {
        let p = SessionPolicy::default();
        assert_eq!(session_state(T0, T0, T0 + 900, &p), SessionState::Live);
        assert_eq!(session_state(T0, T0, T0 + 901, &p), SessionState::Idle);
        assert_eq!(
            session_state(T0, T0 + 600, T0 + 1400, &p),
            SessionState::Live,
            "activity moves the idle limit"
        );
    }

    #[test]
    fn eight_hours_end_a_session_whatever_the_activity() {
        let p = SessionPolicy::default();
        let now = T0 + 28_801;
        assert_eq!(session_state(T0, now - 1, now, &p), SessionState::Expired);
        assert_eq!(
            session_state(T0, now - 1, T0 + 28_800, &p),
            SessionState::Live
        );
    }
}
