//! User IDs and passwords a member chooses (R2, R3). The limits are configuration so an issuer can set
//! its own policy; the defaults are the issuer's published rules.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserIdPolicy {
    pub min_len: usize,
    pub max_len: usize,
}

impl Default for UserIdPolicy {
    fn default() -> Self {
        Self {
            min_len: 5,
            max_len: 20,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserIdError {
    Empty,
    TooShort,
    TooLong,
    /// Spaces, symbols or non-ASCII letters.
    InvalidCharacters,
}

/// A user ID as stored for look-up: ASCII letters and digits, lower-cased, because IDs are not
/// case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserId(String);

impl UserId {
    pub fn parse(input: &str, policy: &UserIdPolicy) -> Result<Self, UserIdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(UserIdError::Empty);
        }
        if !trimmed.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(UserIdError::InvalidCharacters);
        }
        let len = trimmed.len();
        if len < policy.min_len {
            return Err(UserIdError::TooShort);
        }
        if len > policy.max_len {
            return Err(UserIdError::TooLong);
        }
        Ok(Self(trimmed.to_ascii_lowercase()))
    }

    /// The key used for sign-in look-ups and lockout counting. Any input maps to some key, so that an
    /// unknown or malformed ID is counted exactly like a real one.
    pub fn login_key(input: &str) -> String {
        input.trim().to_lowercase()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub min_len: usize,
    pub max_len: usize,
    /// The lowest zxcvbn score (0–4) accepted; below it a password counts as common or guessable.
    pub min_strength: u8,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_len: 8,
            max_len: 128,
            min_strength: 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    NeedsLetter,
    NeedsDigit,
    /// Spaces or control characters.
    InvalidCharacters,
    ContainsUserId,
    /// Common, or guessable from patterns and the member's own details.
    TooWeak,
}

/// A strength estimate for the meter, 0 (very weak) to 4 (very strong).
#[cfg(feature = "strength")]
pub fn password_strength(password: &str, user_inputs: &[&str]) -> u8 {
    if password.is_empty() {
        return 0;
    }
    u8::from(zxcvbn::zxcvbn(password, user_inputs).score())
}

/// Every rule the password breaks, in the order a member would fix them. Empty means acceptable.
#[cfg(feature = "strength")]
pub fn password_problems(
    password: &str,
    user_id: &str,
    policy: &PasswordPolicy,
) -> Vec<PasswordProblem> {
    let mut problems = Vec::new();
    let len = password.chars().count();
    if len < policy.min_len {
        problems.push(PasswordProblem::TooShort);
    }
    if len > policy.max_len {
        problems.push(PasswordProblem::TooLong);
        // Estimating strength of an over-long input is wasted work.
        return problems;
    }
    if password
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        problems.push(PasswordProblem::InvalidCharacters);
    }
    if !password.chars().any(|c| c.is_alphabetic()) {
        problems.push(PasswordProblem::NeedsLetter);
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        problems.push(PasswordProblem::NeedsDigit);
    }
    let id = user_id.trim().to_lowercase();
    if !id.is_empty() && password.to_lowercase().contains(&id) {
        problems.push(PasswordProblem::ContainsUserId);
    }
    if problems.is_empty() && password_strength(password, &[&id]) < policy.min_strength {
        problems.push(PasswordProblem::TooWeak);
    }
    problems
}

// What the screens are sent.

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveredUserId {
    pub user_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Result<UserId, UserIdError> {
        UserId::parse(s, &UserIdPolicy::default())
    }

    #[test]
    fn user_ids_are_letters_and_digits_and_not_case_sensitive() {
        assert_eq!(id("DemoTaro").unwrap().as_str(), "demotaro");
        assert_eq!(id(" kenSato90 ").unwrap().as_str(), "kensato90");
        assert_eq!(id("abcd"), Err(UserIdError::TooShort));
        assert_eq!(id("abcde").unwrap().as_str(), "abcde");
        assert_eq!(id(&"a".repeat(20)).unwrap().as_str(), "a".repeat(20));
        assert_eq!(id(&"a".repeat(21)), Err(UserIdError::TooLong));
        assert_eq!(id("ken sato"), Err(UserIdError::InvalidCharacters));
        assert_eq!(id("ken_sato"), Err(UserIdError::InvalidCharacters));
        assert_eq!(id("けんさとう"), Err(UserIdError::InvalidCharacters));
        assert_eq!(id(""), Err(UserIdError::Empty));
    }

    #[test]
    fn user_id_limits_come_from_the_policy() {
        let strict = UserIdPolicy {
            min_len: 8,
            max_len: 10,
        };
        assert_eq!(
            UserId::parse("abcdefg", &strict),
            Err(UserIdError::TooShort)
        );
        assert!(UserId::parse("abcdefgh", &strict).is_ok());
    }

    #[test]
    #[cfg(feature = "strength")]
    fn the_demo_password_is_acceptable() {
        assert!(
            password_problems("Portal2026demo", "demotaro", &PasswordPolicy::default()).is_empty()
        );
    }

    #[test]
    #[cfg(feature = "strength")]
    fn passwords_need_length_letters_and_digits() {
        let p = PasswordPolicy::default();
        assert_eq!(
            password_problems("Ab1", "kensato", &p),
            vec![PasswordProblem::TooShort]
        );
        assert!(
            password_problems("abcdefghijk", "kensato", &p).contains(&PasswordProblem::NeedsDigit)
        );
        assert!(
            password_problems("1234567890", "kensato", &p).contains(&PasswordProblem::NeedsLetter)
        );
        assert!(
            password_problems("has space 12x", "kensato", &p)
                .contains(&PasswordProblem::InvalidCharacters)
        );
    }

    #[test]
    #[cfg(feature = "strength")]
    fn passwords_of_64_characters_and_symbols_are_allowed() {
        let long = "Zq7!pL#2vR$9".repeat(6)[..64].to_string();
        assert!(password_problems(&long, "kensato", &PasswordPolicy::default()).is_empty());
        assert_eq!(
            password_problems(&"a1".repeat(65), "kensato", &PasswordPolicy::default()),
            vec![PasswordProblem::TooLong]
        );
    }

    #[test]
    #[cfg(feature = "strength")]
    fn common_passwords_and_the_user_id_are_refused() {
        let p = PasswordPolicy::default();
        assert_eq!(
            password_problems("password1", "kensato", &p),
            vec![PasswordProblem::TooWeak]
        );
        assert_eq!(
            password_problems("abc12345", "kensato", &p),
            vec![PasswordProblem::TooWeak]
        );
        assert!(
            password_problems("KenSato2026x", "kensato", &p)
                .contains(&PasswordProblem::ContainsUserId)
        );
    }

    #[test]
    #[cfg(feature = "strength")]
    fn passwords_are_case_sensitive_in_strength_but_id_match_is_not() {
        assert!(
            password_problems("xxDEMOTAROxx9", "demotaro", &PasswordPolicy::default())
                .contains(&PasswordProblem::ContainsUserId)
        );
    }

    #[test]
    #[cfg(feature = "strength")]
    fn strength_grows_with_length_and_variety() {
        assert_eq!(password_strength("", &[]), 0);
        assert!(password_strength("password", &[]) <= 1);
        assert!(password_strength("Sato-Green-Tea-2026!", &[]) >= 3);
    }
}
