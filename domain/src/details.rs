//! Registered details (登録情報, C3) as members type them: postal codes, prefectures, phone numbers,
//! e-mail addresses and free text, folded to one form (full-width digits and letters, the many
//! hyphens of Japanese keyboards) before they are checked and stored.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The 47 prefectures, in the order of their JIS codes, with their English names.
pub const PREFECTURES: [(&str, &str); 47] = [
    ("北海道", "Hokkaido"),
    ("青森県", "Aomori"),
    ("岩手県", "Iwate"),
    ("宮城県", "Miyagi"),
    ("秋田県", "Akita"),
    ("山形県", "Yamagata"),
    ("福島県", "Fukushima"),
    ("茨城県", "Ibaraki"),
    ("栃木県", "Tochigi"),
    ("群馬県", "Gunma"),
    ("埼玉県", "Saitama"),
    ("千葉県", "Chiba"),
    ("東京都", "Tokyo"),
    ("神奈川県", "Kanagawa"),
    ("新潟県", "Niigata"),
    ("富山県", "Toyama"),
    ("石川県", "Ishikawa"),
    ("福井県", "Fukui"),
    ("山梨県", "Yamanashi"),
    ("長野県", "Nagano"),
    ("岐阜県", "Gifu"),
    ("静岡県", "Shizuoka"),
    ("愛知県", "Aichi"),
    ("三重県", "Mie"),
    ("滋賀県", "Shiga"),
    ("京都府", "Kyoto"),
    ("大阪府", "Osaka"),
    ("兵庫県", "Hyogo"),
    ("奈良県", "Nara"),
    ("和歌山県", "Wakayama"),
    ("鳥取県", "Tottori"),
    ("島根県", "Shimane"),
    ("岡山県", "Okayama"),
    ("広島県", "Hiroshima"),
    ("山口県", "Yamaguchi"),
    ("徳島県", "Tokushima"),
    ("香川県", "Kagawa"),
    ("愛媛県", "Ehime"),
    ("高知県", "Kochi"),
    ("福岡県", "Fukuoka"),
    ("佐賀県", "Saga"),
    ("長崎県", "Nagasaki"),
    ("熊本県", "Kumamoto"),
    ("大分県", "Oita"),
    ("宮崎県", "Miyazaki"),
    ("鹿児島県", "Kagoshima"),
    ("沖縄県", "Okinawa"),
];

/// Longest city (市区町村) and address line accepted; employer names likewise.
pub const MAX_TEXT_CHARS: usize = 80;
/// RFC 5321's limit on an address.
pub const MAX_EMAIL_CHARS: usize = 254;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetailProblem {
    /// Not seven digits (`123-4567`).
    PostalCodeFormat,
    UnknownPrefecture,
    /// Not a Japanese number of 10 or 11 digits starting with 0.
    PhoneFormat,
    /// Not a mobile number (070, 080 or 090 and eight digits).
    MobileFormat,
    EmailFormat,
    TooLong,
    /// Control characters or the like.
    BadCharacters,
    /// The same as what is registered.
    Unchanged,
    /// The prefecture is not the one the postal code belongs to.
    NotThisPostalCode,
}

/// Characters Japanese input methods produce where a hyphen is meant.
const HYPHENS: [char; 9] = ['-', '‐', '‑', '‒', '–', '—', '―', '−', 'ー'];

/// Full-width letters, digits and spaces folded to ASCII, half-width kana to full-width (NFKC),
/// surrounding spaces dropped.
pub fn fold(input: &str) -> String {
    input.nfkc().collect::<String>().trim().to_string()
}

/// Digits of a number typed with any hyphens or spaces, or `None` for anything else.
fn digits_with_separators(input: &str) -> Option<(String, Vec<usize>)> {
    let folded = fold(input);
    let mut digits = String::new();
    // Lengths of the groups as typed, to keep the member's own grouping.
    let mut groups = vec![0];
    for c in folded.chars() {
        match c {
            '0'..='9' => {
                digits.push(c);
                *groups.last_mut().unwrap_or(&mut 0) += 1;
            }
            c if HYPHENS.contains(&c) || c == ' ' || c == '(' || c == ')' => {
                if groups.last().is_some_and(|n| *n > 0) {
                    groups.push(0);
                }
            }
            _ => return None,
        }
    }
    groups.retain(|n| *n > 0);
    Some((digits, groups))
}

/// A postal code as stored: seven ASCII digits. Accepts `123-4567`, `1234567`, full-width digits,
/// `〒` in front and any hyphen.
pub fn parse_postal_code(input: &str) -> Result<String, DetailProblem> {
    let trimmed = fold(input);
    let without_mark = trimmed.trim_start_matches('〒').trim();
    let (digits, groups) =
        digits_with_separators(without_mark).ok_or(DetailProblem::PostalCodeFormat)?;
    let grouped_right = groups.len() == 1 || groups == [3, 4];
    if digits.len() != 7 || !grouped_right {
        return Err(DetailProblem::PostalCodeFormat);
    }
    Ok(digits)
}

/// `123-4567` for the seven digits stored.
pub fn format_postal_code(digits: &str) -> String {
    if digits.len() == 7 && digits.is_ascii() {
        format!("{}-{}", &digits[..3], &digits[3..])
    } else {
        digits.to_string()
    }
}

pub fn is_prefecture(name: &str) -> bool {
    PREFECTURES.iter().any(|(ja, _)| *ja == name)
}

pub fn prefecture_en(name: &str) -> Option<&'static str> {
    PREFECTURES
        .iter()
        .find(|(ja, _)| *ja == name)
        .map(|(_, en)| *en)
}

fn is_mobile(digits: &str) -> bool {
    digits.len() == 11 && ["070", "080", "090"].iter().any(|p| digits.starts_with(p))
}

/// A Japanese phone number as stored and shown: ASCII digits and hyphens. The member's grouping is
/// kept when they typed one; otherwise mobile and 050 numbers are written 3-4-4, Tokyo and Osaka
/// (03, 06) 2-4-4, others as digits.
pub fn parse_phone(input: &str) -> Result<String, DetailProblem> {
    let (digits, groups) = digits_with_separators(input).ok_or(DetailProblem::PhoneFormat)?;
    // 0X0 numbers (mobile, 050, 0800) have 11 digits; the rest, 0120 included, 10.
    let shaped = digits.len() >= 10
        && digits.starts_with('0')
        && !digits.starts_with("00")
        && digits.len() == if digits.as_bytes()[2] == b'0' { 11 } else { 10 };
    if !shaped || groups.len() > 3 {
        return Err(DetailProblem::PhoneFormat);
    }
    let groups = if groups.len() == 1 {
        match (digits.len(), &digits[..2]) {
            (11, _) => vec![3, 4, 4],
            (10, "03" | "06") => vec![2, 4, 4],
            _ => vec![digits.len()],
        }
    } else {
        groups
    };
    let mut out = String::new();
    let mut at = 0;
    for (i, len) in groups.iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        out.push_str(&digits[at..at + len]);
        at += len;
    }
    Ok(out)
}

/// A mobile number (070, 080, 090), which one-time codes by SMS can reach.
pub fn parse_mobile(input: &str) -> Result<String, DetailProblem> {
    let phone = parse_phone(input).map_err(|_| DetailProblem::MobileFormat)?;
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if !is_mobile(&digits) {
        return Err(DetailProblem::MobileFormat);
    }
    Ok(phone)
}

/// An e-mail address: one `@`, a dotted domain, no spaces; the domain in lower case.
pub fn parse_email(input: &str) -> Result<String, DetailProblem> {
    let folded = fold(input);
    if folded.chars().count() > MAX_EMAIL_CHARS {
        return Err(DetailProblem::TooLong);
    }
    let Some((local, domain)) = folded.rsplit_once('@') else {
        return Err(DetailProblem::EmailFormat);
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_graphic() && !"@<>()[]\\,;:\"".contains(c));
    if !domain_ok || !local_ok {
        return Err(DetailProblem::EmailFormat);
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// Free text (city, street, building, employer): folded, at most `MAX_TEXT_CHARS`, no control
/// characters. Empty is allowed here; the form says which fields are required.
pub fn parse_text(input: &str) -> Result<String, DetailProblem> {
    let folded = fold(input);
    if folded.chars().any(char::is_control) {
        return Err(DetailProblem::BadCharacters);
    }
    if folded.chars().count() > MAX_TEXT_CHARS {
        return Err(DetailProblem::TooLong);
    }
    Ok(folded)
}

/// `090-1234-5678` → `090-****-5678`: enough to recognise a number in a notice.
pub fn phone_hint(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let shown: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    format!("***-{shown}")
}

/// What a registered item is called in the history and the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetailItem {
    Address,
    HomePhone,
    MobilePhone,
    EmployerName,
    EmployerPhone,
    Email,
}

impl DetailItem {
    pub const ALL: [DetailItem; 6] = [
        DetailItem::Address,
        DetailItem::HomePhone,
        DetailItem::MobilePhone,
        DetailItem::EmployerName,
        DetailItem::EmployerPhone,
        DetailItem::Email,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DetailItem::Address => "address",
            DetailItem::HomePhone => "home_phone",
            DetailItem::MobilePhone => "mobile_phone",
            DetailItem::EmployerName => "employer_name",
            DetailItem::EmployerPhone => "employer_phone",
            DetailItem::Email => "email",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|item| item.code() == code)
    }

    /// What the screens and notices call it, in Japanese and English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            DetailItem::Address => ("住所", "address"),
            DetailItem::HomePhone => ("自宅電話番号", "home phone"),
            DetailItem::MobilePhone => ("携帯電話番号", "mobile number"),
            DetailItem::EmployerName => ("勤務先", "employer"),
            DetailItem::EmployerPhone => ("勤務先電話番号", "employer's phone"),
            DetailItem::Email => ("メールアドレス", "e-mail address"),
        }
    }
}

/// An address as the form sends it and the database keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Seven digits.
    pub postal_code: String,
    pub prefecture: String,
    /// 市区町村.
    pub city: String,
    /// 町名・番地.
    pub line1: String,
    /// 建物名・部屋番号 (optional).
    pub line2: String,
}

impl Address {
    /// One line, as the history and notices show it: `〒100-0001 東京都千代田区千代田1-1`.
    pub fn one_line(&self) -> String {
        if self.postal_code.is_empty() && self.prefecture.is_empty() {
            return String::new();
        }
        let mut text = format!(
            "〒{} {}{}{}",
            format_postal_code(&self.postal_code),
            self.prefecture,
            self.city,
            self.line1
        );
        if !self.line2.is_empty() {
            text.push(' ');
            text.push_str(&self.line2);
        }
        text
    }
}

/// The prefecture and city (and town, 町域) a postal code stands for, from Japan Post's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub prefecture: String,
    pub city: String,
    pub town: String,
}

/// One change, as the member's history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailChangeView {
    /// Unix seconds.
    pub at: i64,
    pub item: DetailItem,
    pub old_value: String,
    pub new_value: String,
}

/// How the account's statements come (C5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperlessView {
    /// Which account (R1: a member may hold several), and its card's name.
    #[serde(default)]
    pub account_id: i64,
    #[serde(default)]
    pub product_ja: String,
    #[serde(default)]
    pub product_en: String,
    /// Paperless from the statement closing on this ISO date; `None`: paper statements.
    pub from: Option<String>,
    /// The next statement's closing date, from which a change takes effect.
    pub next_closing: String,
}

/// The details page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailsView {
    pub name_ja: String,
    pub name_kana: String,
    pub name_en: String,
    pub address: Address,
    pub home_phone: String,
    pub mobile_phone: String,
    pub employer_name: String,
    pub employer_phone: String,
    pub email: String,
    /// A new address waiting for its code, and the number likewise.
    pub pending_email: Option<String>,
    pub pending_mobile: Option<String>,
    /// Seconds left of the fresh confirmation that changes need.
    pub confirmation_left_secs: i64,
    /// Newest first.
    pub history: Vec<DetailChangeView>,
    /// One per account the member holds; none for a family member.
    pub paperless: Vec<PaperlessView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_codes_are_read_however_they_are_typed() {
        for typed in [
            "100-0001",
            "1000001",
            "１００－０００１",
            "〒100-0001",
            "〒 １００ー０００１",
            "100‐0001",
            "100−0001",
            " 100 0001 ",
        ] {
            assert_eq!(parse_postal_code(typed), Ok("1000001".into()), "{typed}");
        }
        for typed in [
            "",
            "100-001",
            "10-00001",
            "100-00011",
            "abc-defg",
            "1000-001",
        ] {
            assert_eq!(
                parse_postal_code(typed),
                Err(DetailProblem::PostalCodeFormat),
                "{typed}"
            );
        }
        assert_eq!(format_postal_code("1000001"), "100-0001");
    }

    #[test]
    fn phone_numbers_keep_the_members_grouping_or_get_the_usual_one() {
        assert_eq!(parse_phone("090-1234-5678"), Ok("090-1234-5678".into()));
        assert_eq!(parse_phone("09012345678"), Ok("090-1234-5678".into()));
        assert_eq!(
            parse_phone("０９０ー１２３４ー５６７８"),
            Ok("090-1234-5678".into())
        );
        assert_eq!(parse_phone("0312345678"), Ok("03-1234-5678".into()));
        assert_eq!(parse_phone("045-123-4567"), Ok("045-123-4567".into()));
        assert_eq!(parse_phone("(03) 1234-5678"), Ok("03-1234-5678".into()));
        assert_eq!(parse_phone("0451234567"), Ok("0451234567".into()));
        for bad in [
            "",
            "12345678901",
            "0012345678",
            "090-1234-567",
            "03-1234-5678-9",
            "090-1234-5678x",
            "01234567890",
        ] {
            assert_eq!(parse_phone(bad), Err(DetailProblem::PhoneFormat), "{bad}");
        }
    }

    #[test]
    fn only_070_080_and_090_numbers_are_mobiles() {
        assert_eq!(parse_mobile("080 9876 5432"), Ok("080-9876-5432".into()));
        assert_eq!(parse_mobile("07011112222"), Ok("070-1111-2222".into()));
        for bad in ["03-1234-5678", "050-1234-5678", "0120-123-456", "090-1234"] {
            assert_eq!(parse_mobile(bad), Err(DetailProblem::MobileFormat), "{bad}");
        }
    }

    #[test]
    fn e_mail_addresses_are_checked_and_their_domain_lowered() {
        assert_eq!(
            parse_email(" Taro.New@Example.JP "),
            Ok("Taro.New@example.jp".into())
        );
        assert_eq!(
            parse_email("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"),
            Ok("taro@example.jp".into())
        );
        for bad in [
            "",
            "taro",
            "taro@",
            "@example.jp",
            "taro@example",
            "taro@.jp",
            "ta ro@example.jp",
            "taro@exa..mple.jp",
            "<a>@example.jp",
        ] {
            assert_eq!(parse_email(bad), Err(DetailProblem::EmailFormat), "{bad}");
        }
        let long = format!("{}@example.jp", "a".repeat(260));
        assert_eq!(parse_email(&long), Err(DetailProblem::TooLong));
    }

    #[test]
    fn free_text_is_folded_and_bounded() {
        assert_eq!(parse_text("　千代田１－１　"), Ok("千代田1-1".into()));
        assert_eq!(parse_text("ｻｸﾗﾏﾝｼｮﾝ"), Ok("サクラマンション".into()));
        assert_eq!(parse_text("a\u{0007}b"), Err(DetailProblem::BadCharacters));
        assert_eq!(
            parse_text(&"長".repeat(MAX_TEXT_CHARS + 1)),
            Err(DetailProblem::TooLong)
        );
        assert_eq!(
            parse_text(&"長".repeat(MAX_TEXT_CHARS)).map(|s| s.chars().count()),
            Ok(MAX_TEXT_CHARS)
        );
    }

    #[test]
    fn prefectures_are_the_forty_seven() {
        assert!(is_prefecture("東京都"));
        assert!(is_prefecture("北海道"));
        assert!(!is_prefecture("東京"));
        assert_eq!(prefecture_en("大阪府"), Some("Osaka"));
    }

    #[test]
    fn an_address_reads_as_one_line() {
        let address = Address {
            postal_code: "1000001".into(),
            prefecture: "東京都".into(),
            city: "千代田区".into(),
            line1: "千代田1-1".into(),
            line2: String::new(),
        };
        assert_eq!(address.one_line(), "〒100-0001 東京都千代田区千代田1-1");
        assert_eq!(Address::default().one_line(), "");
    }

    #[test]
    fn item_codes_read_back() {
        for item in DetailItem::ALL {
            assert_eq!(DetailItem::from_code(item.code()), Some(item));
        }
        assert_eq!(DetailItem::from_code("password"), None);
        assert_eq!(phone_hint("090-1234-5678"), "***-5678");
    }
}
