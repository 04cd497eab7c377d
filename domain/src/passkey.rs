//! Passkeys (R8): the member's names for them, the fresh confirmation that adding or removing one
//! needs, and the life of a WebAuthn ceremony. Time is passed in (Unix seconds).

use serde::{Deserialize, Serialize};

/// How long a confirmation allows sensitive changes unless the issuer sets otherwise.
pub const CONFIRMATION_SECS: i64 = 300;

/// Longest name a member can give a passkey, in characters.
pub const NAME_MAX_CHARS: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NameProblem {
    Empty,
    TooLong,
}

/// The name as it is stored: trimmed, control characters as spaces, runs of spaces as one.
pub fn passkey_name(raw: &str) -> Result<String, NameProblem> {
    let cleaned = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if cleaned.is_empty() {
        Err(NameProblem::Empty)
    } else if cleaned.chars().count() > NAME_MAX_CHARS {
        Err(NameProblem::TooLong)
    } else {
        Ok(cleaned)
    }
}

/// Whether the member confirmed (password or one-time code) recently enough to change their
/// passkeys: within `window_secs`, and not in the future (a clock step must not extend it).
pub fn confirmation_is_fresh(confirmed_at: Option<i64>, now: i64, window_secs: i64) -> bool {
    confirmed_at.is_some_and(|at| at <= now && now - at < window_secs)
}

/// Seconds left of a fresh confirmation, for the screen; 0 when none.
pub fn confirmation_left(confirmed_at: Option<i64>, now: i64, window_secs: i64) -> i64 {
    match confirmed_at {
        Some(at) if confirmation_is_fresh(confirmed_at, now, window_secs) => {
            window_secs - (now - at)
        }
        _ => 0,
    }
}

/// Why a ceremony answer cannot be used. A ceremony is taken (and so removed) when its answer
/// arrives, so a second answer to the same challenge finds nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CeremonyRefusal {
    /// Never issued here, or already used.
    Unknown,
    Expired,
    /// Issued to another member or for another purpose.
    Mismatch,
}

/// A taken ceremony's facts, checked against the answer.
pub fn ceremony_usable(
    expires_at: i64,
    now: i64,
    issued_to: Option<i64>,
    answered_by: Option<i64>,
) -> Result<(), CeremonyRefusal> {
    if now >= expires_at {
        Err(CeremonyRefusal::Expired)
    } else if issued_to != answered_by {
        Err(CeremonyRefusal::Mismatch)
    } else {
        Ok(())
    }
}

// What the screens are sent.

/// One of the member's passkeys, as security settings list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: i64,
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// Backed up by its provider and usable on the member's other devices.
    pub synced: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityView {
    pub passkeys: Vec<PasskeyView>,
    /// Seconds left of the last confirmation; passkeys can be added or removed while above 0.
    pub confirmation_left_secs: i64,
    pub password_locked: bool,
    pub signed_in_with_passkey: bool,
}

/// What the browser needs after a passkey sign-in: where to go next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeySignedIn {
    /// The password is locked; the member is asked for a new one.
    pub password_locked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_tidied_and_bounded() {
        assert_eq!(passkey_name("  iPhone\t 15 \n"), Ok("iPhone 15".into()));
        assert_eq!(
            passkey_name("仕事用 ノートPC"),
            Ok("仕事用 ノートPC".into())
        );
        assert_eq!(passkey_name(" \u{7} "), Err(NameProblem::Empty));
        assert_eq!(passkey_name(&"あ".repeat(40)), Ok("あ".repeat(40)));
        assert_eq!(passkey_name(&"あ".repeat(41)), Err(NameProblem::TooLong));
    }

    #[test]
    fn a_confirmation_lasts_the_window_and_no_longer() {
        let at = 1_000;
        assert!(confirmation_is_fresh(Some(at), at, 300));
        assert!(confirmation_is_fresh(Some(at), at + 299, 300));
        assert!(!confirmation_is_fresh(Some(at), at + 300, 300));
        assert!(!confirmation_is_fresh(None, at, 300));
        assert!(
            !confirmation_is_fresh(Some(at + 10), at, 300),
            "not from the future"
        );
        assert_eq!(confirmation_left(Some(at), at + 100, 300), 200);
        assert_eq!(confirmation_left(Some(at), at + 400, 300), 0);
    }

    #[test]
    fn a_ceremony_is_refused_once_expired_or_for_someone_else() {
        assert_eq!(ceremony_usable(100, 99, Some(1), Some(1)), Ok(()));
        assert_eq!(ceremony_usable(100, 99, None, None), Ok(()));
        assert_eq!(
            ceremony_usable(100, 100, Some(1), Some(1)),
            Err(CeremonyRefusal::Expired)
        );
        assert_eq!(
            ceremony_usable(100, 50, Some(1), Some(2)),
            Err(CeremonyRefusal::Mismatch)
        );
        assert_eq!(
            ceremony_usable(100, 50, None, Some(2)),
            Err(CeremonyRefusal::Mismatch)
        );
    }
}
