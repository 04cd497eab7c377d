//! Card activity (D3–D6): how a member's filter reads, how merchant and memo text is matched
//! (full-width and half-width, upper and lower case, hiragana and katakana alike), the fixed
//! category list, memos, and the subtotals per card holder and per category.

use crate::money::parse_amount;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::period::{iso_date, parse_iso_date};

/// The categories a member can give a line, in the order screens list them.
pub const CATEGORIES: &[&str] = &[
    "groceries",
    "dining",
    "transport",
    "shopping",
    "utilities",
    "entertainment",
    "travel",
    "health",
    "education",
    "other",
];

pub fn is_category(code: &str) -> bool {
    CATEGORIES.contains(&code)
}

/// Longest memo, in characters.
pub const MEMO_MAX_CHARS: usize = 100;

/// Lines per page.
pub const PAGE_SIZE: usize = 50;

/// The form text is matched by: NFKC (full-width Latin and digits become half-width, half-width
/// katakana full-width), lower case, hiragana as katakana, no spaces.
pub fn search_key(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemoProblem {
    TooLong,
}

/// A memo as stored: control characters as spaces, trimmed.
pub fn memo_text(raw: &str) -> Result<String, MemoProblem> {
    let text: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string();
    if text.chars().count() > MEMO_MAX_CHARS {
        Err(MemoProblem::TooLong)
    } else {
        Ok(text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineStatus {
    Pending,
    Posted,
}

impl LineStatus {
    pub fn code(self) -> &'static str {
        match self {
            LineStatus::Pending => "pending",
            LineStatus::Posted => "posted",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "pending" => Some(LineStatus::Pending),
            "posted" => Some(LineStatus::Posted),
            _ => None,
        }
    }
}

/// What the member asked to see. Every part is optional; the URL holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFilter {
    /// Which of the member's accounts (R1); the first shown when absent.
    pub account: Option<i64>,
    /// A statement's closing date (ISO), or `open` for the period not closed yet.
    pub period: Option<String>,
    /// ISO dates, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The last 5 digits of one of the member's cards.
    pub card: Option<String>,
    /// Merchant or memo text.
    pub text: String,
    pub min_yen: Option<i64>,
    pub max_yen: Option<i64>,
    pub status: Option<LineStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterProblem {
    BadDate,
    DatesReversed,
    BadAmount,
    AmountsReversed,
}

impl ActivityFilter {
    /// Reads the filter from URL query pairs; unknown keys are ignored.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, FilterProblem> {
        let mut filter = ActivityFilter::default();
        let some = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let amount = |v: &str| parse_amount(v).map_err(|_| FilterProblem::BadAmount);
        for (key, value) in pairs {
            match key {
                "account" => filter.account = value.trim().parse().ok(),
                "period" => filter.period = some(value),
                "from" => filter.from = some(value),
                "to" => filter.to = some(value),
                "card" => {
                    filter.card = some(value).filter(|c| c.chars().all(|d| d.is_ascii_digit()))
                }
                "q" => filter.text = value.trim().to_string(),
                "min" => filter.min_yen = amount(value)?,
                "max" => filter.max_yen = amount(value)?,
                "status" => filter.status = LineStatus::from_code(value),
                _ => {}
            }
        }
        // Stored as canonical ISO text, which the database compares as text.
        for date in [&mut filter.from, &mut filter.to].into_iter().flatten() {
            *date = parse_iso_date(date)
                .map(iso_date)
                .ok_or(FilterProblem::BadDate)?;
        }
        if let (Some(from), Some(to)) = (&filter.from, &filter.to)
            && from > to
        {
            return Err(FilterProblem::DatesReversed);
        }
        if let (Some(min), Some(max)) = (filter.min_yen, filter.max_yen)
            && min > max
        {
            return Err(FilterProblem::AmountsReversed);
        }
        Ok(filter)
    }

    /// A download's file name, without its extension, saying which period and card it holds:
    /// `activity-2026-11-01_2026-11-30-90005`, `activity-2026-11-15` (a statement), `activity-open`.
    /// Only digits, hyphens and underscores come from the filter, so the name is safe in a header.
    pub fn file_stem(&self) -> String {
        let clean = |v: &str| -> String {
            v.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        };
        let mut stem = String::from("activity");
        if let Some(period) = &self.period {
            stem.push('-');
            stem.push_str(&clean(period));
        }
        if self.from.is_some() || self.to.is_some() {
            stem.push('-');
            stem.push_str(&clean(self.from.as_deref().unwrap_or("")));
            stem.push('_');
            stem.push_str(&clean(self.to.as_deref().unwrap_or("")));
        }
        if let Some(card) = &self.card {
            stem.push('-');
            stem.push_str(&clean(card));
        }
        stem
    }

    /// The query string that reproduces this filter (for links and downloads).
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut push = |k, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                pairs.push((k, v));
            }
        };
        push("account", self.account.map(|a| a.to_string()));
        push("period", self.period.clone());
        push("from", self.from.clone());
        push("to", self.to.clone());
        push("card", self.card.clone());
        push("q", Some(self.text.clone()));
        push("min", self.min_yen.map(|v| v.to_string()));
        push("max", self.max_yen.map(|v| v.to_string()));
        push("status", self.status.map(|s| s.code().to_string()));
        pairs
    }
}

/// Where the next page starts: after the line used on `used_on` with this id (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub used_on: String,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}_{}", self.used_on, self.id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let (date, id) = text.split_once('_')?;
        Some(Cursor {
            used_on: iso_date(parse_iso_date(date)?),
            id: id.parse().ok()?,
        })
    }
}

/// One group of a total: lines counted and yen summed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sum {
    pub count: i64,
    pub yen: i64,
}

/// A (card, category) group as the database sums it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSum {
    pub card_id: i64,
    pub category: String,
    pub sum: Sum,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub all: Sum,
    /// Per card, in the order the cards were given (main card first).
    pub by_card: Vec<(i64, Sum)>,
    /// Per category, largest spend first.
    pub by_category: Vec<(String, Sum)>,
}

/// Folds the database's (card, category) sums into the totals a screen shows. Every card in
/// `cards` appears, with zero if it has no lines.
pub fn totals(cards: &[i64], groups: &[GroupSum]) -> Totals {
    let mut totals = Totals {
        by_card: cards.iter().map(|&id| (id, Sum::default())).collect(),
        ..Totals::default()
    };
    for g in groups {
        totals.all.count += g.sum.count;
        totals.all.yen += g.sum.yen;
        if let Some((_, sum)) = totals.by_card.iter_mut().find(|(id, _)| *id == g.card_id) {
            sum.count += g.sum.count;
            sum.yen += g.sum.yen;
        }
        match totals
            .by_category
            .iter_mut()
            .find(|(c, _)| *c == g.category)
        {
            Some((_, sum)) => {
                sum.count += g.sum.count;
                sum.yen += g.sum.yen;
            }
            None => totals.by_category.push((g.category.clone(), g.sum.clone())),
        }
    }
    totals
        .by_category
        .sort_by(|a, b| b.1.yen.cmp(&a.1.yen).then_with(|| a.0.cmp(&b.0)));
    totals
}

// What the screens are sent.

/// One line of card activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityLine {
    pub id: i64,
    /// ISO dates.
    pub used_on: String,
    pub posted_on: Option<String>,
    pub merchant: String,
    pub last_digits: String,
    pub holder_ja: String,
    pub holder_en: String,
    pub amount_yen: i64,
    /// Currency code and amount in minor units, for use abroad.
    pub foreign: Option<(String, i64)>,
    pub status: LineStatus,
    pub category: String,
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub lines: Vec<ActivityLine>,
    /// Where the next page starts; none when this is the last.
    pub next: Option<String>,
}

/// A statement period the member can pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    /// ISO dates; `closing_date` is the period's key in the filter.
    pub start: String,
    pub closing_date: String,
    pub payment_date: String,
    /// The final amount of a closed statement; none for the open period, and for family members.
    pub amount_yen: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderTotal {
    pub last_digits: String,
    pub holder_ja: String,
    pub holder_en: String,
    pub family: bool,
    pub sum: Sum,
}

/// Everything around the lines: the cards and periods to filter by, and the totals of the filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySummary {
    pub cards: Vec<crate::card::CardView>,
    /// The open period first, then closed statements, newest first.
    pub periods: Vec<PeriodView>,
    pub total: Sum,
    pub by_holder: Vec<HolderTotal>,
    pub by_category: Vec<(String, Sum)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_half_width_match_alike() {
        assert_eq!(search_key("ＡＭＡＺＯＮ"), search_key("amazon"));
        assert_eq!(search_key("ｾﾌﾞﾝ-ｲﾚﾌﾞﾝ"), search_key("セブン-イレブン"));
        assert_eq!(search_key("ｽﾀｰﾊﾞｯｸｽ"), search_key("スターバックス"));
        assert_eq!(search_key("すたーばっくす"), search_key("スターバックス"));
        assert_eq!(search_key("ＪＲ東日本　モバイル"), "jr東日本モバイル");
        assert_eq!(search_key("１２３"), "123");
        assert!(search_key("スターバックス コーヒー").contains(&search_key("ｺｰﾋｰ")));
    }

    #[test]
    fn memos_are_tidied_and_bounded() {
        assert_eq!(memo_text("  出張\n経費 "), Ok("出張 経費".into()));
        assert_eq!(memo_text(""), Ok(String::new()));
        assert_eq!(memo_text(&"あ".repeat(101)), Err(MemoProblem::TooLong));
        assert_eq!(memo_text("<b>x</b>"), Ok("<b>x</b>".into()), "kept as text");
    }

    #[test]
    fn a_filter_reads_from_the_query_and_back() {
        let f = ActivityFilter::from_query([
            ("account", "3"),
            ("card", "90013"),
            ("q", " ローソン "),
            ("min", "１，０００"),
            ("max", "¥20,000"),
            ("status", "posted"),
            ("from", "2026-01-01"),
            ("to", "2026-01-31"),
            ("utm", "x"),
        ])
        .unwrap();
        assert_eq!(f.account, Some(3));
        assert_eq!(f.card.as_deref(), Some("90013"));
        assert_eq!(f.text, "ローソン");
        assert_eq!((f.min_yen, f.max_yen), (Some(1000), Some(20000)));
        assert_eq!(f.status, Some(LineStatus::Posted));
        let again =
            ActivityFilter::from_query(f.to_query().iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(again, f);
        assert_eq!(
            ActivityFilter::from_query([("from", "2026-02-30")]),
            Err(FilterProblem::BadDate)
        );
        let loose =
            ActivityFilter::from_query([("from", "2026-1-5"), ("to", "2026-10-01")]).unwrap();
        assert_eq!(
            loose.from.as_deref(),
            Some("2026-01-05"),
            "compared as ISO text"
        );
        assert_eq!(
            ActivityFilter::from_query([("from", "2026-02-01"), ("to", "2026-01-01")]),
            Err(FilterProblem::DatesReversed)
        );
        assert_eq!(
            ActivityFilter::from_query([("min", "5"), ("max", "1")]),
            Err(FilterProblem::AmountsReversed)
        );
        assert_eq!(
            ActivityFilter::from_query([("min", "abc")]),
            Err(FilterProblem::BadAmount)
        );
        assert_eq!(
            ActivityFilter::from_query([("card", "' OR 1=1")])
                .unwrap()
                .card,
            None
        );
        assert_eq!(
            ActivityFilter::from_query([("account", "1 OR 1=1")])
                .unwrap()
                .account,
            None
        );
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor {
            used_on: "2026-11-01".into(),
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("2026-13-01_4"), None);
        assert_eq!(Cursor::decode("x"), None);
    }

    #[test]
    fn subtotals_per_holder_and_category_add_up() {
        let g = |card_id, category: &str, count, yen| GroupSum {
            card_id,
            category: category.into(),
            sum: Sum { count, yen },
        };
        let t = totals(
            &[1, 2, 3],
            &[
                g(1, "dining", 2, 3_000),
                g(2, "dining", 1, 1_000),
                g(2, "travel", 1, 50_000),
                g(1, "groceries", 3, -500),
            ],
        );
        assert_eq!(
            t.all,
            Sum {
                count: 7,
                yen: 53_500
            }
        );
        assert_eq!(
            t.by_card[0],
            (
                1,
                Sum {
                    count: 5,
                    yen: 2_500
                }
            )
        );
        assert_eq!(
            t.by_card[1],
            (
                2,
                Sum {
                    count: 2,
                    yen: 51_000
                }
            )
        );
        assert_eq!(
            t.by_card[2],
            (3, Sum::default()),
            "a card without lines shows zero"
        );
        assert_eq!(t.by_category[0].0, "travel");
        assert_eq!(
            t.by_card.iter().map(|(_, s)| s.yen).sum::<i64>(),
            t.all.yen,
            "subtotals add up to the total"
        );
        assert_eq!(
            t.by_category.iter().map(|(_, s)| s.yen).sum::<i64>(),
            t.all.yen
        );
    }

    #[test]
    fn download_names_carry_the_period_and_the_card() {
        let read = |q: &str| {
            ActivityFilter::from_query(q.split('&').filter_map(|p| p.split_once('='))).unwrap()
        };
        assert_eq!(
            read("from=2026-11-01&to=2026-11-30&card=90005").file_stem(),
            "activity-2026-11-01_2026-11-30-90005"
        );
        assert_eq!(read("period=2026-11-15").file_stem(), "activity-2026-11-15");
        assert_eq!(read("period=open&q=x").file_stem(), "activity-open");
        assert_eq!(read("from=2026-11-01").file_stem(), "activity-2026-11-01_");
        assert_eq!(read("period=a\"b;c").file_stem(), "activity-abc");
        assert_eq!(read("q=x").file_stem(), "activity");
    }
}
