//! Money as members read it. Yen are whole integers; foreign amounts keep their currency and minor
//! units (cents for USD and EUR).

/// An amount as members type it: full-width digits and `，` fold (NFKC), and `,`, `¥`, `円` and
/// spaces are ignored. `Ok(None)` when nothing was typed; `Err` when it is not a whole number.
pub fn parse_amount(text: &str) -> Result<Option<i64>, std::num::ParseIntError> {
    use unicode_normalization::UnicodeNormalization;
    let digits: String = text
        .nfkc()
        .filter(|c| !matches!(c, ',' | '¥' | '円' | ' '))
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    digits.parse().map(Some)
}

/// `¥12,345`, or `-¥1,200` for a credit.
pub fn format_yen(amount: i64) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}¥{}", group_thousands(amount.unsigned_abs()))
}

/// `12,345 pt`.
pub fn format_points(points: i64) -> String {
    let sign = if points < 0 { "-" } else { "" };
    format!("{sign}{} pt", group_thousands(points.unsigned_abs()))
}

/// `12,345`: a count grouped by thousands.
pub fn format_count(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(n.unsigned_abs()))
}

/// Decimal places of a currency's minor unit (ISO 4217).
pub fn minor_unit_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" => 0,
        "BHD" | "KWD" | "OMR" => 3,
        _ => 2,
    }
}

/// `USD 1,234.56` from a currency code and an amount in minor units.
pub fn format_foreign(currency: &str, minor_units: i64) -> String {
    let digits = minor_unit_digits(currency);
    let sign = if minor_units < 0 { "-" } else { "" };
    let abs = minor_units.unsigned_abs();
    if digits == 0 {
        return format!("{currency} {sign}{}", group_thousands(abs));
    }
    let scale = 10u64.pow(digits);
    format!(
        "{currency} {sign}{}.{:0width$}",
        group_thousands(abs / scale),
        abs % scale,
        width = digits as usize
    )
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_are_grouped_by_thousands() {
        assert_eq!(format_yen(0), "¥0");
        assert_eq!(format_yen(999), "¥999");
        assert_eq!(format_yen(12_345), "¥12,345");
        assert_eq!(format_yen(1_234_567), "¥1,234,567");
        assert_eq!(format_yen(-1_200), "-¥1,200");
    }

    #[test]
    fn points_are_grouped_too() {
        assert_eq!(format_points(15_000), "15,000 pt");
        assert_eq!(format_points(-300), "-300 pt");
        assert_eq!(format_count(1_000), "1,000");
    }

    #[test]
    fn amounts_are_read_as_members_type_them() {
        assert_eq!(parse_amount("300000"), Ok(Some(300_000)));
        assert_eq!(parse_amount("¥300,000"), Ok(Some(300_000)));
        assert_eq!(parse_amount("３００，０００円"), Ok(Some(300_000)));
        assert_eq!(parse_amount(" "), Ok(None));
        assert!(parse_amount("3e5").is_err());
    }

    #[test]
    fn foreign_amounts_keep_their_minor_units() {
        assert_eq!(format_foreign("USD", 123_456), "USD 1,234.56");
        assert_eq!(format_foreign("EUR", 5), "EUR 0.05");
        assert_eq!(format_foreign("KRW", 15_000), "KRW 15,000");
        assert_eq!(format_foreign("USD", -250), "USD -2.50");
    }
}
