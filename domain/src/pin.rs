//! The IC card PIN (ICカード暗証番号, C8): four digits, registered once per card, never one a
//! thief could guess first.

use serde::{Deserialize, Serialize};

pub const PIN_LEN: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PinProblem {
    /// Not exactly four digits.
    Format,
    /// Every digit the same (1111).
    AllSame,
    /// A run up or down (1234, 9876, 8901).
    Run,
    /// The birthday (MMDD) or the year of birth.
    BirthDate,
    /// The two entries differ.
    Mismatch,
}

/// Four ASCII digits from what was typed (full-width digits folded), or `Format`.
pub fn parse_pin(input: &str) -> Result<String, PinProblem> {
    let digits: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    if digits.len() == PIN_LEN && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(PinProblem::Format)
    }
}

/// A new PIN typed twice, checked against the holder's date of birth (ISO `YYYY-MM-DD`).
pub fn check_new_pin(pin: &str, again: &str, birth_date: &str) -> Result<String, PinProblem> {
    let pin = parse_pin(pin)?;
    let bytes = pin.as_bytes();
    if bytes.iter().all(|b| *b == bytes[0]) {
        return Err(PinProblem::AllSame);
    }
    let steps: Vec<i8> = bytes
        .windows(2)
        .map(|w| (w[1] as i8 - w[0] as i8).rem_euclid(10))
        .collect();
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == 9) {
        return Err(PinProblem::Run);
    }
    let birth: Vec<&str> = birth_date.split('-').collect();
    if let [year, month, day] = birth.as_slice()
        && (pin == *year || pin == format!("{month}{day}"))
    {
        return Err(PinProblem::BirthDate);
    }
    if parse_pin(again).ok().as_deref() != Some(pin.as_str()) {
        return Err(PinProblem::Mismatch);
    }
    Ok(pin)
}

/// The PIN page: the cards, and where a registration or a look-up stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinView {
    /// The member's own card first.
    pub cards: Vec<PinCardView>,
    pub step: Option<PinStep>,
    /// Codes can go by e-mail to this address (hidden in part)…
    pub email_hint: String,
    /// …and by SMS to this number, when one is registered and SMS can be sent.
    pub mobile_hint: Option<String>,
}

/// A registration (or, with `reveal`, a forgotten PIN) past its identity check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinStep {
    /// The card's last 5 digits.
    pub card: String,
    pub reveal: bool,
    /// The code was entered: the PIN may be typed now.
    pub verified: bool,
}

/// How a member wants the one-time code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeChannel {
    Email,
    Sms,
}

impl CodeChannel {
    pub fn from_form(value: &str) -> Self {
        if value == "sms" {
            CodeChannel::Sms
        } else {
            CodeChannel::Email
        }
    }
}

/// A card on the PIN page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinCardView {
    pub card: crate::card::CardView,
    /// A PIN exists (登録済み): it cannot be registered again.
    pub registered: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIRTH: &str = "1985-04-12";

    #[test]
    fn a_good_pin_typed_twice_is_taken() {
        assert_eq!(check_new_pin("2580", "2580", BIRTH), Ok("2580".into()));
        assert_eq!(check_new_pin("２５８０", "2580", BIRTH), Ok("2580".into()));
    }

    #[test]
    fn trivial_pins_are_refused() {
        for (pin, problem) in [
            ("1111", PinProblem::AllSame),
            ("0000", PinProblem::AllSame),
            ("1234", PinProblem::Run),
            ("6789", PinProblem::Run),
            ("8901", PinProblem::Run),
            ("4321", PinProblem::Run),
            ("1098", PinProblem::Run),
            ("0412", PinProblem::BirthDate),
            ("1985", PinProblem::BirthDate),
            ("123", PinProblem::Format),
            ("12345", PinProblem::Format),
            ("12a4", PinProblem::Format),
            ("", PinProblem::Format),
        ] {
            assert_eq!(check_new_pin(pin, pin, BIRTH), Err(problem), "{pin}");
        }
    }

    #[test]
    fn the_two_entries_must_match() {
        assert_eq!(
            check_new_pin("2580", "2581", BIRTH),
            Err(PinProblem::Mismatch)
        );
        assert_eq!(check_new_pin("2580", "", BIRTH), Err(PinProblem::Mismatch));
    }

    #[test]
    fn near_misses_are_allowed() {
        for pin in ["1235", "1213", "0413", "1986", "2468"] {
            assert!(check_new_pin(pin, pin, BIRTH).is_ok(), "{pin}");
        }
    }
}
