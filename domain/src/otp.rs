//! One-time codes (R9): 6 digits, valid 10 minutes, single use, at most 5 wrong entries, resend only
//! after 60 seconds. Time is passed in (Unix seconds) so the rule is testable.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodePolicy {
    pub digits: u32,
    pub ttl_secs: i64,
    pub max_wrong: u32,
    pub resend_after_secs: i64,
}

impl Default for CodePolicy {
    fn default() -> Self {
        Self {
            digits: 6,
            ttl_secs: 600,
            max_wrong: 5,
            resend_after_secs: 60,
        }
    }
}

/// What is known about the code last sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeState {
    pub sent_at: i64,
    /// Entries so far, each counted before it was compared; a right one uses the code up, so at
    /// most `max_wrong` entries means at most `max_wrong` wrong ones.
    pub entries: u32,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeRefusal {
    Expired,
    AlreadyUsed,
    TooManyAttempts,
    Wrong { remaining: u32 },
}

/// Whether a code may be checked at all now (before comparing it).
pub fn code_usable(state: &CodeState, now: i64, policy: &CodePolicy) -> Result<(), CodeRefusal> {
    if state.used {
        return Err(CodeRefusal::AlreadyUsed);
    }
    if state.entries >= policy.max_wrong {
        return Err(CodeRefusal::TooManyAttempts);
    }
    if now >= state.sent_at + policy.ttl_secs {
        return Err(CodeRefusal::Expired);
    }
    Ok(())
}

/// The refusal for a wrong entry, given the count of entries including this one.
pub fn after_wrong_entry(entries: u32, policy: &CodePolicy) -> CodeRefusal {
    if entries >= policy.max_wrong {
        CodeRefusal::TooManyAttempts
    } else {
        CodeRefusal::Wrong {
            remaining: policy.max_wrong - entries,
        }
    }
}

/// Seconds the member must still wait before another code can be sent; zero when it can be sent now.
pub fn resend_wait(sent_at: i64, now: i64, policy: &CodePolicy) -> i64 {
    (sent_at + policy.resend_after_secs - now).max(0)
}

/// Normalises what the member typed: full-width digits folded, spaces dropped. `None` when it cannot
/// be a code of the policy's length.
pub fn normalize_code(input: &str, policy: &CodePolicy) -> Option<String> {
    let mut out = String::new();
    for c in input.chars() {
        match c {
            '0'..='9' => out.push(c),
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            ' ' | '\u{3000}' | '-' => {}
            _ => return None,
        }
    }
    (out.len() == policy.digits as usize).then_some(out)
}

// What the screens are sent.

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    /// The registered address with most of it hidden: `k***@example.jp`.
    pub email_hint: String,
    pub resend_wait_secs: i64,
}

/// `ke***@example.jp`: enough for the member to recognise the address, not enough to harvest it.
pub fn email_hint(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let shown: String = local.chars().take(2).collect();
            format!("{shown}***@{domain}")
        }
        None => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000;

    fn fresh() -> CodeState {
        CodeState {
            sent_at: T0,
            entries: 0,
            used: false,
        }
    }

    #[test]
    fn a_code_is_valid_for_ten_minutes() {
        let p = CodePolicy::default();
        assert_eq!(code_usable(&fresh(), T0, &p), Ok(()));
        assert_eq!(code_usable(&fresh(), T0 + 599, &p), Ok(()));
        assert_eq!(
            code_usable(&fresh(), T0 + 600, &p),
            Err(CodeRefusal::Expired)
        );
    }

    #[test]
    fn a_code_is_single_use() {
        let state = CodeState {
            used: true,
            ..fresh()
        };
        assert_eq!(
            code_usable(&state, T0 + 1, &CodePolicy::default()),
            Err(CodeRefusal::AlreadyUsed)
        );
    }

    #[test]
    fn five_wrong_entries_end_the_code() {
        let p = CodePolicy::default();
        assert_eq!(
            after_wrong_entry(1, &p),
            CodeRefusal::Wrong { remaining: 4 }
        );
        assert_eq!(
            after_wrong_entry(4, &p),
            CodeRefusal::Wrong { remaining: 1 }
        );
        assert_eq!(after_wrong_entry(5, &p), CodeRefusal::TooManyAttempts);
        let state = CodeState {
            entries: 5,
            ..fresh()
        };
        assert_eq!(
            code_usable(&state, T0 + 1, &p),
            Err(CodeRefusal::TooManyAttempts)
        );
    }

    #[test]
    fn resend_waits_sixty_seconds() {
        let p = CodePolicy::default();
        assert_eq!(resend_wait(T0, T0 + 10, &p), 50);
        assert_eq!(resend_wait(T0, T0 + 60, &p), 0);
        assert_eq!(resend_wait(T0, T0 + 3600, &p), 0);
    }

    #[test]
    fn typed_codes_are_normalised() {
        let p = CodePolicy::default();
        assert_eq!(normalize_code("123 456", &p).as_deref(), Some("123456"));
        assert_eq!(
            normalize_code("１２３４５６", &p).as_deref(),
            Some("123456")
        );
        assert_eq!(normalize_code("12345", &p), None);
        assert_eq!(normalize_code("12345a", &p), None);
    }

    #[test]
    fn email_hints_hide_the_local_part() {
        assert_eq!(email_hint("ken.sato@example.jp"), "ke***@example.jp");
        assert_eq!(email_hint("k@example.jp"), "k***@example.jp");
        assert_eq!(email_hint("broken"), "***");
    }
}
