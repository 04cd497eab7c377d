//! Family card applications (家族カードの追加, C3): who may have one, how the names are written,
//! and the application's states. A family card is for a spouse, a parent or a child of 18 or
//! more, living on the main member's household budget.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::details::fold;
use crate::period::parse_iso_date;

/// The youngest a family card's holder may be.
pub const MIN_AGE: i32 = 18;
/// Applications one account may have, issued ones included: a bound on what one member can ask
/// the issuer to produce.
pub const MAX_PER_ACCOUNT: i64 = 5;
/// Longest name, in characters, in each script.
pub const MAX_NAME_CHARS: usize = 40;
/// Longest name embossed on a card.
pub const MAX_LATIN_CHARS: usize = 26;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relationship {
    Spouse,
    Parent,
    Child,
}

impl Relationship {
    pub const ALL: [Relationship; 3] = [Self::Spouse, Self::Parent, Self::Child];

    pub fn code(self) -> &'static str {
        match self {
            Self::Spouse => "spouse",
            Self::Parent => "parent",
            Self::Child => "child",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Japanese and English names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Spouse => ("配偶者", "Spouse"),
            Self::Parent => ("親", "Parent"),
            Self::Child => ("子（18歳以上）", "Child (18 or older)"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FamilyProblem {
    /// The name in kana has characters other than katakana (hiragana is accepted and converted).
    KanaOnly,
    /// The name for the card has characters other than Latin letters, spaces, `-`, `'` and `.`.
    LatinOnly,
    TooLong,
    /// Control characters, digits or symbols in the name.
    BadCharacters,
    /// Not a date, or one in the future.
    BirthDate,
    /// Younger than `MIN_AGE` on the day of the application.
    TooYoung,
    UnknownRelationship,
}

/// The name in kanji (or as the person writes it): folded, no digits, symbols or control characters.
pub fn parse_name(input: &str) -> Result<String, FamilyProblem> {
    let name = single_spaces(&fold(input));
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(FamilyProblem::TooLong);
    }
    let ok = |c: char| c.is_alphabetic() || c == ' ' || c == '・' || c == '々' || c == 'ー';
    if !name.chars().all(ok) {
        return Err(FamilyProblem::BadCharacters);
    }
    Ok(name)
}

/// The name in full-width katakana (フリガナ): half-width kana folded, hiragana turned into
/// katakana, one space between names.
pub fn parse_kana(input: &str) -> Result<String, FamilyProblem> {
    let folded = single_spaces(&fold(input).replace('\u{3000}', " "));
    if folded.chars().count() > MAX_NAME_CHARS {
        return Err(FamilyProblem::TooLong);
    }
    let kana: String = folded
        .chars()
        .map(|c| match c {
            // ぁ..ゖ and ゝゞ sit 0x60 below their katakana.
            '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => {
                char::from_u32(c as u32 + 0x60).unwrap_or(c)
            }
            c => c,
        })
        .collect();
    let katakana = |c: char| matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | 'ヽ' | 'ヾ' | ' ');
    if !kana.chars().all(katakana) {
        return Err(FamilyProblem::KanaOnly);
    }
    Ok(kana)
}

/// The name embossed on the card: Latin letters in capitals (full-width ones folded).
pub fn parse_latin(input: &str) -> Result<String, FamilyProblem> {
    let name = single_spaces(&fold(input)).to_ascii_uppercase();
    if name.chars().count() > MAX_LATIN_CHARS {
        return Err(FamilyProblem::TooLong);
    }
    let ok = |c: char| c.is_ascii_uppercase() || " -'.".contains(c);
    if !name.chars().all(ok) || !name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(FamilyProblem::LatinOnly);
    }
    Ok(name)
}

/// The date of birth of someone old enough on `today`.
pub fn parse_birth_date(input: &str, today: Date) -> Result<Date, FamilyProblem> {
    let born = parse_iso_date(input).ok_or(FamilyProblem::BirthDate)?;
    if born > today {
        return Err(FamilyProblem::BirthDate);
    }
    if age_on(born, today) < MIN_AGE {
        return Err(FamilyProblem::TooYoung);
    }
    Ok(born)
}

/// Full years from `born` to `today` (someone born on 29 February turns a year older on 1 March
/// in other years).
pub fn age_on(born: Date, today: Date) -> i32 {
    let had_birthday = (today.month() as u8, today.day()) >= (born.month() as u8, born.day());
    today.year() - born.year() - i32::from(!had_birthday)
}

fn single_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where an application stands: received by the issuer, then issued (the card is on the account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationStatus {
    Received,
    Issued,
}

impl ApplicationStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Issued => "issued",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Received, Self::Issued]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// An application as the main member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyApplicationView {
    pub name_ja: String,
    pub name_kana: String,
    pub relationship: Relationship,
    /// ISO date (Tokyo) it was received.
    pub applied_on: String,
    pub status: ApplicationStatus,
    /// The new card's last 5 digits, once issued.
    pub last_digits: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn names_are_folded_and_checked_in_each_script() {
        assert_eq!(parse_name(" 山田　 一郎 ").unwrap(), "山田 一郎");
        assert_eq!(parse_name("佐々木 ひろみ").unwrap(), "佐々木 ひろみ");
        assert_eq!(parse_name("山田1郎"), Err(FamilyProblem::BadCharacters));
        assert_eq!(parse_name("<script>"), Err(FamilyProblem::BadCharacters));
        assert_eq!(parse_name(&"山".repeat(41)), Err(FamilyProblem::TooLong));

        assert_eq!(parse_kana("やまだ　いちろう").unwrap(), "ヤマダ イチロウ");
        assert_eq!(parse_kana("ﾔﾏﾀﾞ ｲﾁﾛｳ").unwrap(), "ヤマダ イチロウ");
        assert_eq!(parse_kana("ヴォーン・ジョン").unwrap(), "ヴォーン・ジョン");
        assert_eq!(parse_kana("山田"), Err(FamilyProblem::KanaOnly));
        assert_eq!(parse_kana("YAMADA"), Err(FamilyProblem::KanaOnly));

        assert_eq!(parse_latin("ichiro  yamada").unwrap(), "ICHIRO YAMADA");
        assert_eq!(parse_latin("ＩＣＨＩＲＯ").unwrap(), "ICHIRO");
        assert_eq!(parse_latin("O'NEIL-SMITH").unwrap(), "O'NEIL-SMITH");
        assert_eq!(parse_latin("山田"), Err(FamilyProblem::LatinOnly));
        assert_eq!(parse_latin("--"), Err(FamilyProblem::LatinOnly));
        assert_eq!(parse_latin(&"A".repeat(27)), Err(FamilyProblem::TooLong));
    }

    #[test]
    fn a_holder_is_eighteen_on_the_day_of_the_application() {
        let today = date!(2026 - 12 - 01);
        assert!(parse_birth_date("2008-12-01", today).is_ok());
        assert_eq!(
            parse_birth_date("2008-12-02", today),
            Err(FamilyProblem::TooYoung)
        );
        assert_eq!(
            parse_birth_date("2027-01-01", today),
            Err(FamilyProblem::BirthDate)
        );
        assert_eq!(
            parse_birth_date("2000-02-30", today),
            Err(FamilyProblem::BirthDate)
        );
        assert_eq!(age_on(date!(2008 - 02 - 29), date!(2026 - 02 - 28)), 17);
        assert_eq!(age_on(date!(2008 - 02 - 29), date!(2026 - 03 - 01)), 18);
    }

    #[test]
    fn codes_round_trip() {
        for r in Relationship::ALL {
            assert_eq!(Relationship::from_code(r.code()), Some(r));
        }
        assert_eq!(Relationship::from_code("friend"), None);
        for s in [ApplicationStatus::Received, ApplicationStatus::Issued] {
            assert_eq!(ApplicationStatus::from_code(s.code()), Some(s));
        }
    }
}
