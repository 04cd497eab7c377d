//! 郵便番号から住所: Japan Post's postal codes, read once at start from the file setup converts
//! (`scripts/postal-codes.sh`), kept sorted in memory and searched by halving. Nothing is fetched at
//! run time; without the file, members type the prefecture and city themselves.

use std::path::Path;

use portal_domain::details::{PostalAddress, fold};

#[derive(Default)]
pub struct PostalCodes {
    /// Sorted by code; the rest of the line is `prefecture\tcity\ttown`.
    entries: Vec<(u32, Box<str>)>,
}

impl PostalCodes {
    /// The file's codes, or none (with a warning) when it cannot be read.
    pub fn load(path: &Path) -> Self {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let codes = Self::parse(&text);
                tracing::info!(codes = codes.len(), "postal codes loaded");
                codes
            }
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "postal codes not loaded; addresses are typed in full");
                Self::default()
            }
        }
    }

    /// Lines of `code\tprefecture\tcity\ttown`; malformed lines are skipped.
    pub fn parse(text: &str) -> Self {
        let mut entries: Vec<(u32, Box<str>)> = text
            .lines()
            .filter_map(|line| {
                let (code, rest) = line.split_once('\t')?;
                let valid = code.len() == 7 && rest.split('\t').count() == 3;
                Some((code.parse().ok().filter(|_| valid)?, rest.into()))
            })
            .collect();
        entries.sort_unstable_by_key(|(code, _)| *code);
        entries.dedup_by_key(|(code, _)| *code);
        Self { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The address of seven digits (as `parse_postal_code` leaves them).
    pub fn find(&self, digits: &str) -> Option<PostalAddress> {
        let code: u32 = digits.parse().ok()?;
        let at = self.entries.binary_search_by_key(&code, |(c, _)| *c).ok()?;
        let mut fields = self.entries[at].1.split('\t');
        Some(PostalAddress {
            prefecture: fields.next()?.to_string(),
            city: fold(fields.next()?),
            town: fold(fields.next()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "1500001\t東京都\t渋谷区\t神宮前\n1000001\t東京都\t千代田区\t千代田\n0295503\t岩手県\t和賀郡西和賀町\t\nbad line\n12345\tx\ty\tz\n1000001\t東京都\t千代田区\t重複\n0200022\t岩手県\t盛岡市\t大通２丁目\n";

    #[test]
    fn codes_are_found_by_their_seven_digits() {
        let codes = PostalCodes::parse(SAMPLE);
        assert_eq!(codes.len(), 4);
        assert_eq!(
            codes.find("1000001"),
            Some(PostalAddress {
                prefecture: "東京都".into(),
                city: "千代田区".into(),
                town: "千代田".into(),
            })
        );
        assert_eq!(codes.find("0295503").map(|a| a.town), Some(String::new()));
        assert_eq!(
            codes.find("0200022").map(|a| a.town),
            Some("大通2丁目".into())
        );
        assert_eq!(codes.find("9999999"), None);
        assert_eq!(codes.find("abc"), None);
    }

    #[test]
    fn a_missing_file_leaves_the_directory_empty() {
        assert!(PostalCodes::load(Path::new("/nonexistent/postal_codes.tsv")).is_empty());
    }
}
