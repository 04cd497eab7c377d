//! The PDF statement of a closed period (D4): the member's name, the period, the amount and
//! payment date, what makes up that amount (the lines, what plans move and add, credits), a subtotal
//! per card holder, every line, page numbers; Japanese text in an embedded subset of Noto Sans JP
//! (SIL Open Font License, `backend/fonts/OFL.txt`).
//!
//! The PDF is tagged, so a screen reader can read it: a title, the language (Japanese; the English
//! halves of the labels are marked English), headings, the tables as tables, all in reading order;
//! rules, the running head and page numbers are artifacts. krilla checks what of PDF/UA-1 a
//! program can check, and fails the export otherwise.

use std::num::NonZeroU16;

use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Node, SpanTag, TableHeaderScope, Tag, TagGroup, TagKind,
    TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
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

/// Japanese even for a member who reads the portal in English (the `portal_lang` cookie, which
/// the PDF's route does not pass here): the statement has the same Japanese text, English beside
/// each label, for everyone, and those English halves are marked as English.
const LANG: &str = "ja";
const TITLE: &str = "ご利用代金明細書 / Card statement";
/// The lines' table has no visible heading; this names it in the tag tree and the outline.
const LINES: &str = "ご利用明細 / Lines";
const HEADS: [&str; 4] = [
    "ご利用日 / Date",
    "ご利用店名 / Merchant",
    "カード / Card",
    "金額 / Amount",
];
/// Drawn for a character the font has no glyph for: PDF/UA refuses the .notdef glyph. The span
/// keeps the real text as its actual text, so a screen reader still reads it.
const MISSING: char = '?';

struct Pen<'a> {
    font: Font,
    face: ttf_parser::Face<'a>,
}

impl Pen<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        let per_unit = size / f32::from(self.face.units_per_em());
        self.shown(text)
            .chars()
            .filter_map(|c| self.face.glyph_index(c))
            .filter_map(|g| self.face.glyph_hor_advance(g))
            .map(|a| f32::from(a) * per_unit)
            .sum()
    }

    /// What is drawn for `text`: see `MISSING`.
    fn shown(&self, text: &str) -> String {
        text.chars()
            .map(|c| match self.face.glyph_index(c) {
                Some(_) => c,
                None => MISSING,
            })
            .collect()
    }

    /// Draws untagged: only inside an artifact.
    fn draw(&self, s: &mut Surface, x: f32, y: f32, size: f32, text: &str) {
        s.draw_text(
            Point::from_xy(x, y),
            self.font.clone(),
            size,
            &self.shown(text),
            false,
            TextDirection::Auto,
        );
    }

    /// One run of text as a span, the leaf the tag tree points to.
    fn span<'t>(
        &self,
        s: &mut Surface,
        x: f32,
        y: f32,
        size: f32,
        text: &'t str,
        tag: SpanTag<'t>,
    ) -> Node {
        let tag = match tag.actual_text {
            None if self.shown(text) != text => tag.with_actual_text(Some(text)),
            _ => tag,
        };
        let id = s.start_tagged(ContentTag::Span(tag));
        self.draw(s, x, y, size, text);
        s.end_tagged();
        id.into()
    }

    /// Text from `x`. In a label that reads "日本語 / English" the English half is a span of its
    /// own, marked English, so that a screen reader switches voice.
    fn text(&self, s: &mut Surface, x: f32, y: f32, size: f32, text: &str) -> Vec<Node> {
        match text.split_once(" / ") {
            Some((ja, en)) if en.is_ascii() => {
                let head = &text[..ja.len() + " / ".len()];
                let en_x = x + self.width(head, size);
                vec![
                    self.span(s, x, y, size, head, SpanTag::empty()),
                    self.span(s, en_x, y, size, en, english()),
                ]
            }
            _ => vec![self.span(s, x, y, size, text, SpanTag::empty())],
        }
    }

    fn right(&self, s: &mut Surface, right: f32, y: f32, size: f32, text: &str) -> Vec<Node> {
        let x = right - self.width(text, size);
        self.text(s, x, y, size, text)
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

fn english() -> SpanTag<'static> {
    SpanTag::empty().with_lang(Some("en"))
}

fn group(tag: impl Into<TagKind>, children: Vec<Node>) -> Node {
    TagGroup::with_children(tag, children).into()
}

/// Draws what a screen reader skips. `draw` must not tag: tagged content does not nest.
fn artifact(s: &mut Surface, kind: ArtifactType, draw: impl FnOnce(&mut Surface)) {
    s.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
    draw(s);
    s.end_tagged();
}

/// A heading under the title, and its entry in the outline, which PDF/UA requires.
fn subheading(pen: &Pen<'_>, s: &mut Surface, y: f32, text: &str) -> (Node, OutlineNode) {
    const H2: NonZeroU16 = NonZeroU16::new(2).unwrap();
    let heading = group(
        Tag::Hn(H2, Some(text.to_string())),
        pen.text(s, LEFT, y, 10.0, text),
    );
    (
        heading,
        OutlineNode::new(text.to_string(), on_first_page(y - 10.0)),
    )
}

fn on_first_page(y: f32) -> XyzDestination {
    XyzDestination::new(0, Point::from_xy(LEFT, y))
}

/// A decorative rule.
fn rule(s: &mut Surface, y: f32, width: f32) {
    let mut path = PathBuilder::new();
    path.move_to(LEFT, y);
    path.line_to(RIGHT, y);
    if let Some(path) = path.finish() {
        artifact(s, ArtifactType::Layout, |s| {
            s.set_fill(None);
            s.set_stroke(Some(Stroke {
                width,
                ..Default::default()
            }));
            s.draw_path(&path);
            s.set_stroke(None);
            s.set_fill(Some(Fill::default()));
        });
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
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| format!("{e:?}"))?;
    let mut pdf = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    let mut tree = TagTree::new();
    let mut outline = Outline::new();
    // One table over every page: its header row where it starts, then the lines in order.
    let mut table = TagGroup::new(Tag::Table.with_summary(Some(LINES.to_string())));
    let mut body = TagGroup::new(Tag::TBody);
    for (index, rows) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("page size")?;
        let mut page = pdf.start_page_with(settings);
        let mut s = page.surface();
        let mut y = if index == 0 {
            let (summary, mut entry) = summary(&pen, &mut s, doc);
            tree.children.extend(summary);
            entry.push_child(OutlineNode::new(
                LINES.to_string(),
                on_first_page(first_rows_from - 20.0),
            ));
            outline.push_child(entry);
            first_rows_from
        } else {
            artifact(&mut s, ArtifactType::Header, |s| {
                pen.draw(
                    s,
                    LEFT,
                    60.0,
                    12.0,
                    "ご利用明細（続き） / Lines (continued)",
                );
            });
            LATER_PAGES_ROWS_FROM
        };
        let heads_x = |i: usize, head: &str| match i {
            0 => LEFT,
            1 => 115.0,
            2 => 370.0,
            _ => RIGHT - pen.width(head, 8.0),
        };
        if index == 0 {
            let cells = HEADS
                .iter()
                .enumerate()
                .map(|(i, head)| {
                    let text = pen.text(&mut s, heads_x(i, head), y - 8.0, 8.0, head);
                    group(Tag::TH(TableHeaderScope::Column), text)
                })
                .collect();
            table.push(group(Tag::THead, vec![group(Tag::TR, cells)]));
        } else {
            // Repeated for the eye; the table already has its header row.
            artifact(&mut s, ArtifactType::PaginationOther, |s| {
                for (i, head) in HEADS.iter().enumerate() {
                    pen.draw(s, heads_x(i, head), y - 8.0, 8.0, head);
                }
            });
        }
        rule(&mut s, y - 4.0, 0.5);
        for line in &doc.lines[rows] {
            y += ROW;
            let merchant = match &line.foreign {
                Some((currency, minor)) => {
                    format!("{} ({})", line.merchant, format_foreign(currency, *minor))
                }
                None => line.merchant.clone(),
            };
            let fitted = pen.fit(&merchant, 9.0, 245.0);
            // A name cut to fit is read whole.
            let whole = SpanTag::empty()
                .with_actual_text(Some(merchant.as_str()).filter(|_| fitted != merchant));
            let cells = vec![
                group(
                    Tag::TD,
                    pen.text(&mut s, LEFT, y, 9.0, &slash_date(&line.used_on)),
                ),
                group(
                    Tag::TD,
                    vec![pen.span(&mut s, 115.0, y, 9.0, &fitted, whole)],
                ),
                group(
                    Tag::TD,
                    pen.text(&mut s, 370.0, y, 9.0, &masked(&line.last_digits)),
                ),
                group(
                    Tag::TD,
                    pen.right(&mut s, RIGHT, y, 9.0, &format_yen(line.amount_yen)),
                ),
            ];
            body.push(group(Tag::TR, cells));
        }
        rule(&mut s, HEIGHT - 50.0, 0.3);
        artifact(&mut s, ArtifactType::Footer, |s| {
            let footer = format!("{} / {}", index + 1, total_pages);
            let x = (WIDTH - pen.width(&footer, 9.0)) / 2.0;
            pen.draw(s, x, HEIGHT - 35.0, 9.0, &footer);
        });
        s.finish();
        page.finish();
    }
    // A group without children would be an empty element.
    if !body.children.is_empty() {
        table.push(body);
    }
    tree.push(table);
    pdf.set_tag_tree(tree);
    pdf.set_outline(outline);
    pdf.set_metadata(
        Metadata::new()
            .title(format!("{TITLE} {}", slash_date(&doc.closing_date)))
            .language(LANG.to_string()),
    );
    pdf.finish().map_err(|e| format!("{e:?}"))
}

/// The first page's summary, drawn, and its part of the tag tree, in reading order, with the
/// outline's entry for its title.
fn summary(pen: &Pen<'_>, s: &mut Surface, doc: &StatementDoc) -> (Vec<Node>, OutlineNode) {
    let mut title = pen.text(s, LEFT, 60.0, 18.0, "ご利用代金明細書");
    title.push(pen.span(s, LEFT, 78.0, 10.0, "Card statement", english()));
    let mut entry = OutlineNode::new(TITLE.to_string(), on_first_page(40.0));
    let mut nodes = vec![
        group(Tag::Hn(NonZeroU16::MIN, Some(TITLE.to_string())), title),
        group(
            Tag::P,
            pen.text(s, LEFT, 110.0, 13.0, &format!("{} 様", doc.member_ja)),
        ),
        group(
            Tag::P,
            vec![pen.span(s, LEFT, 126.0, 9.0, &doc.member_en, english())],
        ),
        group(Tag::P, pen.right(s, RIGHT, 110.0, 10.0, &doc.product_ja)),
        group(
            Tag::P,
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
            ),
        ),
    ];
    rule(s, 170.0, 0.8);
    let (label, amount) = match &doc.debit {
        Some(due) => ("ご請求金額 / Amount due", due.total_yen()),
        None => ("ご利用金額 / Charges", doc.amount_yen),
    };
    let mut line = pen.text(s, LEFT, 195.0, 11.0, label);
    line.extend(pen.right(s, RIGHT, 197.0, 16.0, &format_yen(amount)));
    nodes.push(group(Tag::P, line));
    let mut line = pen.text(s, LEFT, 215.0, 10.0, "お支払い日 / Payment date");
    line.extend(pen.right(s, RIGHT, 215.0, 10.0, &slash_date(&doc.payment_date)));
    nodes.push(group(Tag::P, line));
    rule(s, 225.0, 0.8);
    let mut y = SUMMARY_HEAD_TO;
    if let Some(due) = &doc.debit {
        let (heading, sub) = subheading(pen, s, y, "ご請求金額の内訳 / What makes up the amount");
        nodes.push(heading);
        entry.push_child(sub);
        let mut rows = Vec::new();
        for (label, yen) in breakdown(doc.amount_yen, due) {
            y += BREAKDOWN_ROW;
            rows.push(row_of(
                pen.text(s, LEFT + 10.0, y, 9.0, label),
                vec![pen.right(s, RIGHT, y, 9.0, &format_yen(yen))],
            ));
        }
        y += BREAKDOWN_ROW;
        rule(s, y - 10.0, 0.3);
        let total = row_of(
            pen.text(s, LEFT + 10.0, y, 9.0, "ご請求金額 / Amount due"),
            vec![pen.right(s, RIGHT, y, 9.0, &format_yen(due.total_yen()))],
        );
        nodes.push(group(
            Tag::Table,
            vec![group(Tag::TBody, rows), group(Tag::TFoot, vec![total])],
        ));
        y += 2.0 * BREAKDOWN_ROW;
    }
    let (heading, sub) = subheading(pen, s, y, "カード会員別の小計 / Subtotal per card holder");
    nodes.push(heading);
    entry.push_child(sub);
    let mut rows = Vec::new();
    for h in &doc.holders {
        y += HOLDER_ROW;
        let kind = if h.family {
            "（家族カード）"
        } else {
            ""
        };
        rows.push(row_of(
            pen.text(
                s,
                LEFT + 10.0,
                y,
                10.0,
                &format!("{}{} {}", h.name_ja, kind, masked(&h.last_digits)),
            ),
            vec![
                pen.right(s, 440.0, y, 9.0, &format!("{}件", h.count)),
                pen.right(s, RIGHT, y, 10.0, &format_yen(h.yen)),
            ],
        ));
    }
    if !rows.is_empty() {
        nodes.push(group(Tag::Table, vec![group(Tag::TBody, rows)]));
    }
    (nodes, entry.with_open(true))
}

/// A table row led by the header of that row.
fn row_of(head: Vec<Node>, cells: Vec<Vec<Node>>) -> Node {
    let mut row = vec![group(Tag::TH(TableHeaderScope::Row), head)];
    row.extend(cells.into_iter().map(|cell| group(Tag::TD, cell)));
    group(Tag::TR, row)
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

    fn line(merchant: &str) -> StatementLine {
        StatementLine {
            used_on: "2026-10-01".into(),
            merchant: merchant.into(),
            last_digits: "12345".into(),
            amount_yen: 1_200,
            foreign: None,
        }
    }

    #[test]
    fn the_pdf_is_tagged_with_a_language_and_a_title() {
        let mut statement = doc(
            2,
            Some(Due {
                lump_sum_yen: 100_000,
                revolving_yen: 20_000,
                ..Due::default()
            }),
        );
        // Over two pages, one name too long for its column, one with letters the font lacks.
        statement.lines = (0..60).map(|i| line(&format!("コンビニ {i}"))).collect();
        statement.lines[0] = line(&"とても長いお店の名前".repeat(10));
        statement.lines[1] = line("김밥천국 ソウル");
        let pdf = render(&statement).expect("renders as PDF/UA-1");
        let has = |needle: &str| pdf.windows(needle.len()).any(|w| w == needle.as_bytes());
        // The catalog and the structure elements are not compressed; the content streams are.
        for needle in [
            "/StructTreeRoot",
            "/MarkInfo<</Marked true",
            "/Lang(ja)",
            "/Title",
            "pdfuaid:part",
            "/S/H1",
            "/S/H2",
            "/S/Table",
            "/S/THead",
            "/S/TR",
            "/S/TH",
            "/S/TD",
        ] {
            assert!(has(needle), "the PDF has {needle}");
        }
        render(&doc(0, None)).expect("no holders and no lines are still PDF/UA-1");
    }
}
