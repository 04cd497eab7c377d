//! Card numbers and the codes printed on a card, as a member types them.

use serde::{Deserialize, Serialize};

/// Length of the issuer's card numbers.
pub const CARD_NUMBER_LEN: usize = 15;
/// Digits shown to the member after registration.
pub const DISPLAY_DIGITS: usize = 5;
/// The security code printed on the front of the card.
pub const FRONT_CODE_LEN: usize = 4;
/// The security code printed on the back of the card.
pub const BACK_CODE_LEN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CardNumberError {
    Empty,
    NotDigits,
    WrongLength,
    ChecksumFailed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeError {
    Empty,
    NotDigits,
    WrongLength,
}

/// A card number that passed the format and Luhn checks: exactly 15 ASCII digits.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(String);

impl CardNumber {
    pub fn parse(input: &str) -> Result<Self, CardNumberError> {
        let digits =
            digits_only(input, &[' ', '-', '\u{3000}', '－']).ok_or(CardNumberError::NotDigits)?;
        if digits.is_empty() {
            return Err(CardNumberError::Empty);
        }
        if digits.len() != CARD_NUMBER_LEN {
            return Err(CardNumberError::WrongLength);
        }
        if !luhn_valid(&digits) {
            return Err(CardNumberError::ChecksumFailed);
        }
        Ok(Self(digits))
    }

    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The last digits, the only part of the number shown after registration.
    pub fn last_digits(&self) -> &str {
        &self.0[CARD_NUMBER_LEN - DISPLAY_DIGITS..]
    }
}

// Keeps the full number out of logs and panic messages.
impl std::fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardNumber(…{})", self.last_digits())
    }
}

/// A security code of the given length, digits only.
pub fn parse_code(input: &str, len: usize) -> Result<String, CodeError> {
    let digits = digits_only(input, &[' ', '\u{3000}']).ok_or(CodeError::NotDigits)?;
    if digits.is_empty() {
        return Err(CodeError::Empty);
    }
    if digits.len() != len {
        return Err(CodeError::WrongLength);
    }
    Ok(digits)
}

/// The Luhn (mod 10) check used by every card scheme.
/// `body` (14 digits) with the check digit that makes a valid card number: how the issuer numbers
/// a new card.
pub fn with_check_digit(body: &str) -> Option<CardNumber> {
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|n| luhn_valid(n))
        .and_then(|n| CardNumber::parse(&n).ok())
}

pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if !i.is_multiple_of(2) {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Masks a number for display: `•••• 90005`.
pub fn masked(last_digits: &str) -> String {
    format!("•••• {last_digits}")
}

/// Keeps ASCII digits, folds full-width digits (as Japanese keyboards type them) to ASCII, drops the
/// given separators, and refuses anything else.
pub(crate) fn digits_only(input: &str, separators: &[char]) -> Option<String> {
    let mut out = String::with_capacity(input.len());
    for c in input.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            c if separators.contains(&c) => {}
            _ => return None,
        }
    }
    Some(out)
}

/// A card as the screens show it: never more of the number than the last digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    /// The account the card is on: what the account switcher (R1) puts in the URL.
    #[serde(default)]
    pub account_id: i64,
    pub product_ja: String,
    pub product_en: String,
    pub holder_ja: String,
    pub holder_en: String,
    pub last_digits: String,
    pub family: bool,
    /// Frozen by the member (停止中): nothing new is approved on it until it is unfrozen.
    #[serde(default)]
    pub frozen: bool,
}

/// The account a page shows (R1), from the member's cards as `(account id, family card)`: the one
/// `wanted` (from the URL) if it is among them, else the first she holds, else (unless only the
/// holder's accounts will do) the first at all. `holder_only` pages (payments, points, statements
/// by post) take only an account on which she has a card that is not a family card: one she holds.
/// `None` means the page has nothing to show her, or she asked for an account not hers.
pub fn chosen_account(
    cards: impl IntoIterator<Item = (i64, bool)>,
    wanted: Option<i64>,
    holder_only: bool,
) -> Option<i64> {
    let cards: Vec<(i64, bool)> = cards.into_iter().collect();
    let holds = |&(_, family): &&(i64, bool)| !family;
    let pick = match wanted {
        Some(id) => cards
            .iter()
            .filter(|c| c.0 == id)
            .find(|c| !holder_only || holds(c)),
        None => cards
            .iter()
            .find(holds)
            .or_else(|| cards.first().filter(|_| !holder_only)),
    };
    pick.map(|&(account, _)| account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_shown_is_the_one_asked_for_when_it_is_the_members() {
        // Misaki: her own card on account 3 (she holds it), a family card on account 1.
        let cards = [(1, true), (3, false)];
        assert_eq!(chosen_account(cards, None, false), Some(3));
        assert_eq!(chosen_account(cards, None, true), Some(3));
        assert_eq!(chosen_account(cards, Some(1), false), Some(1));
        // Payments and points of an account she does not hold are not hers to see.
        assert_eq!(chosen_account(cards, Some(1), true), None);
        // An account not in her scope is never chosen, whatever the URL says.
        assert_eq!(chosen_account(cards, Some(2), false), None);
        // A family member alone sees her card's account, but holds none.
        assert_eq!(chosen_account([(1, true)], None, false), Some(1));
        assert_eq!(chosen_account([(1, true)], None, true), None);
        assert_eq!(chosen_account([], None, false), None);
    }

    #[test]
    fn demo_card_numbers_pass_luhn() {
        for n in [
            "371234567890005",
            "371234567890013",
            "371234567890021",
            "371234567890039",
            "371234567890054",
        ] {
            assert!(luhn_valid(n), "{n}");
        }
    }

    #[test]
    fn a_check_digit_completes_a_number() {
        assert_eq!(
            with_check_digit("37123456789000").map(|n| n.digits().to_string()),
            Some("371234567890005".to_string())
        );
        assert!(with_check_digit("3712345678900").is_none(), "too short");
        assert!(with_check_digit("3712345678900x").is_none());
    }

    #[test]
    fn luhn_refuses_a_changed_digit() {
        assert!(!luhn_valid("371234567890006"));
        assert!(!luhn_valid("371234567890015"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("37123456789000a"));
    }

    #[test]
    fn spaces_hyphens_and_full_width_digits_are_accepted() {
        let n = CardNumber::parse(" 3712 345678 90005 ").unwrap();
        assert_eq!(n.digits(), "371234567890005");
        let n = CardNumber::parse("３７１２-３４５６７８-９００２１").unwrap();
        assert_eq!(n.digits(), "371234567890021");
        assert_eq!(n.last_digits(), "90021");
    }

    #[test]
    fn card_number_errors_are_specific() {
        assert_eq!(CardNumber::parse("  "), Err(CardNumberError::Empty));
        assert_eq!(CardNumber::parse("3712x"), Err(CardNumberError::NotDigits));
        assert_eq!(
            CardNumber::parse("37123456789000"),
            Err(CardNumberError::WrongLength)
        );
        assert_eq!(
            CardNumber::parse("4111111111111111"),
            Err(CardNumberError::WrongLength)
        );
        assert_eq!(
            CardNumber::parse("371234567890006"),
            Err(CardNumberError::ChecksumFailed)
        );
    }

    #[test]
    fn debug_never_shows_the_full_number() {
        let n = CardNumber::parse("371234567890005").unwrap();
        assert_eq!(format!("{n:?}"), "CardNumber(…90005)");
    }

    #[test]
    fn codes_must_have_the_exact_length() {
        assert_eq!(parse_code("1234", FRONT_CODE_LEN).as_deref(), Ok("1234"));
        assert_eq!(
            parse_code("１２３４", FRONT_CODE_LEN).as_deref(),
            Ok("1234")
        );
        assert_eq!(
            parse_code("123", FRONT_CODE_LEN),
            Err(CodeError::WrongLength)
        );
        assert_eq!(
            parse_code("12a4", FRONT_CODE_LEN),
            Err(CodeError::NotDigits)
        );
        assert_eq!(parse_code("", BACK_CODE_LEN), Err(CodeError::Empty));
    }

    #[test]
    fn masked_shows_only_the_last_digits() {
        assert_eq!(masked("90005"), "•••• 90005");
    }
}
