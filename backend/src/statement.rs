//! The PDF statement of a closed period (D4): the member's name, the period, the amount and
//! payment date, a subtotal per card holder, every line, page numbers; Japanese text in an embedded
//! subset of Noto Sans JP (SIL Open Font License, `backend/fonts/OFL.txt`).

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use portal_domain::card::masked;
use portal_domain::money::{format_foreign, format_yen};

static FONT_BYTES: &[u8] = include_bytes!("../fonts/NotoSansJP-Regular.ttf");

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 50.0;
const RIGHT: f32 = 545.0;
const ROW: f32 = 15.0;
const LAST_ROW_Y: f32 = 780.0;
const FIRST_PAGE_ROWS_FROM: f32 = 330.0;
const LATER_PAGES_ROWS_FROM: f32 = 110.0;

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
    pub amount_yen: i64,
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

/// How many lines fit on each page: fewer on the first, which carries the summary.
fn pages(lines: usize) -> Vec<std::ops::Range<usize>> {
    let first = ((LAST_ROW_Y - FIRST_PAGE_ROWS_FROM) / ROW) as usize;
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
    let pages = pages(doc.lines.len());
    let total_pages = pages.len();
    let mut pdf = Document::new();
    for (index, rows) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("page size")?;
        let mut page = pdf.start_page_with(settings);
        let mut s = page.surface();
        let mut y = if index == 0 {
            summary(&pen, &mut s, doc);
            FIRST_PAGE_ROWS_FROM
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
    pen.text(s, LEFT, 195.0, 11.0, "ご請求金額 / Amount due");
    pen.right(s, RIGHT, 197.0, 16.0, &format_yen(doc.amount_yen));
    pen.text(s, LEFT, 215.0, 10.0, "お支払い日 / Payment date");
    pen.right(s, RIGHT, 215.0, 10.0, &slash_date(&doc.payment_date));
    rule(s, 225.0, 0.8);
    pen.text(
        s,
        LEFT,
        245.0,
        10.0,
        "カード会員別の小計 / Subtotal per card holder",
    );
    let mut y = 245.0;
    for h in &doc.holders {
        y += 16.0;
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

    #[test]
    fn pages_hold_every_line_once() {
        for lines in [0, 1, 29, 30, 31, 200] {
            let p = pages(lines);
            assert_eq!(p.iter().map(|r| r.len()).sum::<usize>(), lines);
            assert!(p.windows(2).all(|w| w[0].end == w[1].start));
        }
        assert_eq!(
            pages(0).len(),
            1,
            "a statement without lines is still a page"
        );
    }
}
