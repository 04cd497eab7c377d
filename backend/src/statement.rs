//! The PDF statement of a closed period (D4): the member's name, the period, the amount and
//! payment date, what makes up that amount (the lines, what plans move and add, credits), a subtotal
//! per card holder, every line, page numbers; Japanese text in an embedded subset of Noto Sans JP
//! (SIL Open Font License, `backend/fonts/OFL.txt`).

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use portal_domain::card::masked;
use portal_domain::money::{format_foreign, format_yen};
use portal_domain::payments::Due;

static FONT_BYTES: &[u8] = include_bytes!("../fonts/NotoSansJP-Regular.ttf");

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 50.0;
const RIGHT: f32 = 545.0;
const ROW: f32 = 15.0;
const LAST_ROW_Y: f32 = 780.0;
const LATER_PAGES_ROWS_FROM: f32 = 110.0;
/// The summary's parts: its fixed head, a row of the amount's breakdown, a holder's subtotal.
const SUMMARY_HEAD_TO: f32 = 245.0;
const BREAKDOWN_ROW: f32 = 14.0;
const HOLDER_ROW: f32 = 16.0;
/// From the summary's last row to the first line's.
const SUMMARY_GAP: f32 = 45.0;

pub struct HolderLine {
    pub name_ja: String,
    pub last_digits: String,
    pub family: bool,
    pub count: i64,
    pub yen: i64,
}

pub struct StatementLine {
    pub used_on: String,
    pub merchant: String,
    pub last_digits: String,
    pub amount_yen: i64,
    pub foreign: Option<(String, i64)>,
}

pub struct StatementDoc {
    pub member_ja: String,
    pub member_en: String,
    pub product_ja: String,
    pub period_start: String,
    pub closing_date: String,
    pub payment_date: String,
    /// The sum of the statement's lines (for a family member, of her own).
    pub amount_yen: i64,
    /// For the account holder, what the payment date debits.
    pub debit: Option<Due>,
    pub holders: Vec<HolderLine>,
    /// Oldest first.
    pub lines: Vec<StatementLine>,
}

struct Pen<'a> {
    font: Font,
    face: ttf_parser::Face<'a>,
}

impl Pen<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        let per_unit = size / f32::from(self.face.units_per_em());
        text.chars()
            .filter_map(|c| self.face.glyph_index(c))
            .filter_map(|g| self.face.glyph_hor_advance(g))
            .map(|a| f32::from(a) * per_unit)
            .sum()
    }

    fn text(&self, s: &mut Surface, x: f32, y: f32, size: f32, text: &str) {
        s.draw_text(
            Point::from_xy(x, y),
            self.font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    fn right(&self, s: &mut Surface, right: f32, y: f32, size: f32, text: &str) {
        let x = right - self.width(text, size);
        self.text(s, x, y, size, text);
    }

    /// Cut to fit `max` points, with an ellipsis.
    fn fit(&self, text: &str, size: f32, max: f32) -> String {
        if self.width(text, size) <= max {
            return text.to_string();
        }
        let mut cut: String = text.to_string();
        while !cut.is_empty() && self.width(&format!("{cut}…"), size) > max {
            cut.pop();
        }
        format!("{cut}…")
    }
}

fn rule(s: &mut Surface, y: f32, width: f32) {
    let mut path = PathBuilder::new();
    path.move_to(LEFT, y);
    path.line_to(RIGHT, y);
    if let Some(path) = path.finish() {
        s.set_fill(None);
        s.set_stroke(Some(Stroke {
            width,
            ..Default::default()
        }));
        s.draw_path(&path);
        s.set_stroke(None);
        s.set_fill(Some(Fill::default()));
    }
}

fn slash_date(iso: &str) -> String {
    iso.replace('-', "/")
}

/// What makes up the amount debited, top to bottom: the statement's lines, less what plans moved
/// off this payment date, plus what plans bring to it, less credits. The rows add up to
/// `due.total_yen()`; rows of zero are left out, except the lines'.
fn breakdown(lines_yen: i64, due: &Due) -> Vec<(&'static str, i64)> {
    let rows = [
        ("ご利用金額 / Charges in this statement", lines_yen),
        (
            "リボ・分割へのご変更 / Moved to revolving or instalments",
            due.lump_sum_yen - lines_yen,
        ),
        ("リボ払い元金 / Revolving principal", due.revolving_yen),
        ("リボ払い手数料 / Revolving fee", due.revolving_fee_yen),
        ("分割払い元金 / Instalment principal", due.instalment_yen),
        ("分割払い手数料 / Instalment fee", due.instalment_fee_yen),
        ("ポイント・調整 / Points and adjustments", -due.credit_yen),
    ];
    rows.into_iter()
        .enumerate()
        .filter(|(i, (_, yen))| *i == 0 || *yen != 0)
        .map(|(_, row)| row)
        .collect()
}

/// Where the first page's lines start: below the summary, which grows with the breakdown and the
/// holders.
fn first_rows_from(doc: &StatementDoc) -> f32 {
    let breakdown_rows = doc
        .debit
        // Its heading, its rows, the total and a blank row.
        .map_or(0, |due| breakdown(doc.amount_yen, &due).len() + 3);
    SUMMARY_HEAD_TO
        + breakdown_rows as f32 * BREAKDOWN_ROW
        + doc.holders.len() as f32 * HOLDER_ROW
        + SUMMARY_GAP
}

/// How many lines fit on each page: fewer on the first, which carries the summary.
fn pages(lines: usize, first_rows_from: f32) -> Vec<std::ops::Range<usize>> {
    let first = ((LAST_ROW_Y - first_rows_from).max(0.0) / ROW) as usize;
    let later = ((LAST_ROW_Y - LATER_PAGES_ROWS_FROM) / ROW) as usize;
    let mut pages = Vec::new();
    pages.push(0..lines.min(first));
    let mut start = first;
    while start < lines {
        pages.push(start..lines.min(start + later));
        start += later;
    }
    pages
}

pub fn render(doc: &StatementDoc) -> Result<Vec<u8>, String> {
    let font = Font::new(FONT_BYTES.into(), 0).ok_or("font not readable")?;
    let face = ttf_parser::Face::parse(FONT_BYTES, 0).map_err(|e| e.to_string())?;
    let pen = Pen { font, face };
    let first_rows_from = first_rows_from(doc);
    let pages = pages(doc.lines.len(), first_rows_from);
    let total_pages = pages.len();
    let mut pdf = Document::new();
    for (index, rows) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("page size")?;
        let mut page = pdf.start_page_with(settings);
        let mut s = page.surface();
        let mut y = if index == 0 {
            summary(&pen, &mut s, doc);
            first_rows_from
        } else {
            pen.text(
                &mut s,
                LEFT,
                60.0,
                12.0,
                "ご利用明細（続き） / Lines (continued)",
            );
            LATER_PAGES_ROWS_FROM
        };
        pen.text(&mut s, LEFT, y - 8.0, 8.0, "ご利用日 / Date");
        pen.text(&mut s, 115.0, y - 8.0, 8.0, "ご利用店名 / Merchant");
        pen.text(&mut s, 370.0, y - 8.0, 8.0, "カード / Card");
        pen.right(&mut s, RIGHT, y - 8.0, 8.0, "金額 / Amount");
        rule(&mut s, y - 4.0, 0.5);
        for line in &doc.lines[rows] {
            y += ROW;
            pen.text(&mut s, LEFT, y, 9.0, &slash_date(&line.used_on));
            let merchant = match &line.foreign {
                Some((currency, minor)) => {
                    format!("{} ({})", line.merchant, format_foreign(currency, *minor))
                }
                None => line.merchant.clone(),
            };
            pen.text(&mut s, 115.0, y, 9.0, &pen.fit(&merchant, 9.0, 245.0));
            pen.text(&mut s, 370.0, y, 9.0, &masked(&line.last_digits));
            pen.right(&mut s, RIGHT, y, 9.0, &format_yen(line.amount_yen));
        }
        rule(&mut s, HEIGHT - 50.0, 0.3);
        let footer = format!("{} / {}", index + 1, total_pages);
        let x = (WIDTH - pen.width(&footer, 9.0)) / 2.0;
        pen.text(&mut s, x, HEIGHT - 35.0, 9.0, &footer);
        s.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| format!("{e:?}"))
}

fn summary(pen: &Pen<'_>, s: &mut Surface, doc: &StatementDoc) {
    pen.text(s, LEFT, 60.0, 18.0, "ご利用代金明細書");
    pen.text(s, LEFT, 78.0, 10.0, "Card statement");
    pen.text(s, LEFT, 110.0, 13.0, &format!("{} 様", doc.member_ja));
    pen.text(s, LEFT, 126.0, 9.0, &doc.member_en);
    pen.right(s, RIGHT, 110.0, 10.0, &doc.product_ja);
    pen.text(
        s,
        LEFT,
        155.0,
        10.0,
        &format!(
            "ご利用期間 / Period: {} – {}（{}締め）",
            slash_date(&doc.period_start),
            slash_date(&doc.closing_date),
            slash_date(&doc.closing_date)
        ),
    );
    rule(s, 170.0, 0.8);
    let (label, amount) = match &doc.debit {
        Some(due) => ("ご請求金額 / Amount due", due.total_yen()),
        None => ("ご利用金額 / Charges", doc.amount_yen),
    };
    pen.text(s, LEFT, 195.0, 11.0, label);
    pen.right(s, RIGHT, 197.0, 16.0, &format_yen(amount));
    pen.text(s, LEFT, 215.0, 10.0, "お支払い日 / Payment date");
    pen.right(s, RIGHT, 215.0, 10.0, &slash_date(&doc.payment_date));
    rule(s, 225.0, 0.8);
    let mut y = SUMMARY_HEAD_TO;
    if let Some(due) = &doc.debit {
        pen.text(
            s,
            LEFT,
            y,
            10.0,
            "ご請求金額の内訳 / What makes up the amount",
        );
        for (label, yen) in breakdown(doc.amount_yen, due) {
            y += BREAKDOWN_ROW;
            pen.text(s, LEFT + 10.0, y, 9.0, label);
            pen.right(s, RIGHT, y, 9.0, &format_yen(yen));
        }
        y += BREAKDOWN_ROW;
        rule(s, y - 10.0, 0.3);
        pen.text(s, LEFT + 10.0, y, 9.0, "ご請求金額 / Amount due");
        pen.right(s, RIGHT, y, 9.0, &format_yen(due.total_yen()));
        y += 2.0 * BREAKDOWN_ROW;
    }
    pen.text(
        s,
        LEFT,
        y,
        10.0,
        "カード会員別の小計 / Subtotal per card holder",
    );
    for h in &doc.holders {
        y += HOLDER_ROW;
        let kind = if h.family {
            "（家族カード）"
        } else {
            ""
        };
        pen.text(
            s,
            LEFT + 10.0,
            y,
            10.0,
            &format!("{}{} {}", h.name_ja, kind, masked(&h.last_digits)),
        );
        pen.right(s, 440.0, y, 9.0, &format!("{}件", h.count));
        pen.right(s, RIGHT, y, 10.0, &format_yen(h.yen));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(holders: usize, debit: Option<Due>) -> StatementDoc {
        StatementDoc {
            member_ja: "山田 太郎".into(),
            member_en: "TARO YAMADA".into(),
            product_ja: "プラチナ・カード".into(),
            period_start: "2026-09-21".into(),
            closing_date: "2026-10-20".into(),
            payment_date: "2026-11-10".into(),
            amount_yen: 120_000,
            debit,
            holders: (0..holders)
                .map(|i| HolderLine {
                    name_ja: format!("会員 {i}"),
                    last_digits: "12345".into(),
                    family: i > 0,
                    count: 1,
                    yen: 1,
                })
                .collect(),
            lines: Vec::new(),
        }
    }

    #[test]
    fn pages_hold_every_line_once() {
        for from in [300.0, 700.0, 900.0] {
            for lines in [0, 1, 29, 30, 31, 200] {
                let p = pages(lines, from);
                assert_eq!(p.iter().map(|r| r.len()).sum::<usize>(), lines);
                assert!(p.windows(2).all(|w| w[0].end == w[1].start));
            }
        }
        assert_eq!(
            pages(0, 300.0).len(),
            1,
            "a statement without lines is still a page"
        );
    }

    #[test]
    fn the_breakdown_adds_up_to_the_debit() {
        let due = Due {
            lump_sum_yen: 90_000,
            revolving_yen: 10_000,
            revolving_fee_yen: 312,
            instalment_yen: 5_001,
            instalment_fee_yen: 240,
            credit_yen: 500,
        };
        let rows = breakdown(120_000, &due);
        assert_eq!(
            rows.iter().map(|(_, yen)| yen).sum::<i64>(),
            due.total_yen()
        );
        assert_eq!(rows[1].1, -30_000, "the charges moved off this date");

        let lump_only = Due {
            lump_sum_yen: 120_000,
            ..Due::default()
        };
        assert_eq!(
            breakdown(120_000, &lump_only),
            vec![("ご利用金額 / Charges in this statement", 120_000)],
            "rows of zero are left out"
        );
    }

    #[test]
    fn lines_start_below_the_summary() {
        let plain = first_rows_from(&doc(2, None));
        let with_debit = first_rows_from(&doc(
            2,
            Some(Due {
                lump_sum_yen: 100_000,
                revolving_yen: 20_000,
                ..Due::default()
            }),
        ));
        // Heading, lines, moved, revolving, total, blank.
        assert_eq!(with_debit - plain, 6.0 * BREAKDOWN_ROW);
        assert_eq!(first_rows_from(&doc(7, None)) - plain, 5.0 * HOLDER_ROW);
        for holders in [1, 8, 20] {
            let pdf = render(&doc(holders, None)).expect("renders");
            assert!(pdf.starts_with(b"%PDF-"));
        }
    }
}
