//! Card activity (D3–D6): a member's lines by filter, page by page, with totals per card holder and
//! category; their notes on a line; and the CSV of any filter, streamed.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use portal_domain::activity::{
    ActivityFilter, Cursor, FilterProblem, LineStatus, PAGE_SIZE, is_category, memo_text,
    search_key, totals,
};
use portal_domain::api::{
    ActivityLine, ActivityPage, ActivitySummary, Field, HolderTotal, PeriodView, Problem, Refusal,
    Reply,
};
use portal_domain::card::chosen_account;
use portal_domain::period::{iso_date, parse_iso_date, tokyo_date};

use crate::statement::{HolderLine, StatementDoc, StatementLine};
use crate::store::activity::{LineQuery, LineRow};
use crate::store::cards::CardRow;
use crate::{Portal, PortalError, PortalResult, SessionUser};

/// The cards of the account the member sees: all of it for the main member, only their own card
/// for a family member.
struct Scope {
    account_id: i64,
    cards: Vec<CardRow>,
}

impl Scope {
    fn card(&self, id: i64) -> Option<&CardRow> {
        self.cards.iter().find(|c| c.card_id == id)
    }
}

impl Portal {
    /// The cards the member sees on the account `wanted` (the URL's), or on the one shown first.
    async fn scope(&self, user: &SessionUser, wanted: Option<i64>) -> PortalResult<Option<Scope>> {
        let cards = self.db.visible_cards(user.member_id).await?;
        let Some(account_id) = chosen_account(
            cards.iter().map(|c| (c.account_id, c.family)),
            wanted,
            false,
        ) else {
            return Ok(None);
        };
        Ok(Some(Scope {
            account_id,
            cards: cards
                .into_iter()
                .filter(|c| c.account_id == account_id)
                .collect(),
        }))
    }

    /// The filter as a query on the member's own cards; `None` when it selects nothing (a card
    /// that is not theirs, a statement that does not exist).
    async fn line_query(
        &self,
        scope: &Scope,
        filter: &ActivityFilter,
    ) -> PortalResult<Option<LineQuery>> {
        let cards: Vec<i64> = match &filter.card {
            Some(last) => scope
                .cards
                .iter()
                .filter(|c| &c.last_digits == last)
                .map(|c| c.card_id)
                .collect(),
            None => scope.cards.iter().map(|c| c.card_id).collect(),
        };
        if cards.is_empty() {
            return Ok(None);
        }
        let (mut from, mut to) = (filter.from.clone(), filter.to.clone());
        if let Some(period) = &filter.period {
            let Some((start, end)) = self.period_bounds(scope.account_id, period).await? else {
                return Ok(None);
            };
            from = Some(from.map_or(start.clone(), |f| f.max(start)));
            to = match (to, end) {
                (Some(t), Some(e)) => Some(t.min(e)),
                (t, e) => t.or(e),
            };
        }
        Ok(Some(LineQuery {
            cards,
            from,
            to,
            text_key: search_key(&filter.text),
            min_yen: filter.min_yen,
            max_yen: filter.max_yen,
            status: filter.status.map(LineStatus::code),
        }))
    }

    /// First and last day of a closed statement, or of the open period (no last day yet).
    async fn period_bounds(
        &self,
        account_id: i64,
        period: &str,
    ) -> PortalResult<Option<(String, Option<String>)>> {
        if period == "open" {
            let Some(cycle) = self.db.account_cycle(account_id).await? else {
                return Ok(None);
            };
            let open = cycle.period_containing(tokyo_date(self.now()));
            return Ok(Some((iso_date(open.start), None)));
        }
        Ok(self
            .db
            .statements(account_id)
            .await?
            .into_iter()
            .find(|s| s.closing_date == period)
            .map(|s| (s.period_start, Some(s.closing_date))))
    }

    fn activity_line(scope: &Scope, row: LineRow) -> ActivityLine {
        let card = scope.card(row.card_id);
        ActivityLine {
            id: row.id,
            used_on: row.used_on,
            posted_on: row.posted_on,
            merchant: row.merchant,
            last_digits: card.map(|c| c.last_digits.clone()).unwrap_or_default(),
            holder_ja: card.map(|c| c.holder_ja.clone()).unwrap_or_default(),
            holder_en: card.map(|c| c.holder_en.clone()).unwrap_or_default(),
            amount_yen: row.amount_yen,
            foreign: row.foreign_currency.zip(row.foreign_minor),
            status: LineStatus::from_code(&row.status).unwrap_or(LineStatus::Posted),
            category: row.category,
            memo: row.memo,
        }
    }

    /// One page of lines, newest first, after `cursor` (from the previous page's `next`).
    pub async fn activity_page(
        &self,
        user: &SessionUser,
        filter: Result<ActivityFilter, FilterProblem>,
        cursor: Option<&str>,
    ) -> PortalResult<Reply<ActivityPage>> {
        let filter = match filter {
            Ok(filter) => filter,
            Err(problem) => return Ok(Reply::Refused(Refusal::Filter(problem))),
        };
        let empty = Reply::Done(ActivityPage {
            lines: Vec::new(),
            next: None,
        });
        let Some(scope) = self.scope(user, filter.account).await? else {
            return Ok(empty);
        };
        let Some(query) = self.line_query(&scope, &filter).await? else {
            return Ok(empty);
        };
        let cursor = cursor.and_then(Cursor::decode);
        let mut rows = self.db.activity_page(&query, cursor.as_ref()).await?;
        let next = (rows.len() > PAGE_SIZE).then(|| {
            rows.truncate(PAGE_SIZE);
            rows.last()
                .map(|r| {
                    Cursor {
                        used_on: r.used_on.clone(),
                        id: r.id,
                    }
                    .encode()
                })
                .unwrap_or_default()
        });
        Ok(Reply::Done(ActivityPage {
            lines: rows
                .into_iter()
                .map(|r| Self::activity_line(&scope, r))
                .collect(),
            next,
        }))
    }

    /// The cards and periods to filter by, and the totals of the filter.
    pub async fn activity_summary(
        &self,
        user: &SessionUser,
        filter: Result<ActivityFilter, FilterProblem>,
    ) -> PortalResult<Reply<ActivitySummary>> {
        let filter = match filter {
            Ok(filter) => filter,
            Err(problem) => return Ok(Reply::Refused(Refusal::Filter(problem))),
        };
        let Some(scope) = self.scope(user, filter.account).await? else {
            return Ok(Reply::Done(ActivitySummary {
                cards: Vec::new(),
                periods: Vec::new(),
                total: Default::default(),
                by_holder: Vec::new(),
                by_category: Vec::new(),
            }));
        };
        let groups = match self.line_query(&scope, &filter).await? {
            Some(query) => self.db.activity_sums(&query).await?,
            None => Vec::new(),
        };
        let card_ids: Vec<i64> = scope.cards.iter().map(|c| c.card_id).collect();
        let sums = totals(&card_ids, &groups);
        let mut periods = Vec::new();
        if let Some(cycle) = self.db.account_cycle(scope.account_id).await? {
            let open = cycle.period_containing(tokyo_date(self.now()));
            periods.push(PeriodView {
                start: iso_date(open.start),
                closing_date: "open".into(),
                payment_date: iso_date(open.payment),
                amount_yen: None,
            });
        }
        let holder = scope.cards.iter().any(|c| !c.family);
        periods.extend(
            self.db
                .statements(scope.account_id)
                .await?
                .into_iter()
                .map(|s| PeriodView {
                    start: s.period_start,
                    closing_date: s.closing_date,
                    payment_date: s.payment_date,
                    // The account's amount is the account holder's business.
                    amount_yen: holder.then_some(s.amount_yen),
                }),
        );
        Ok(Reply::Done(ActivitySummary {
            cards: scope.cards.iter().map(CardRow::view).collect(),
            periods,
            total: sums.all,
            by_holder: sums
                .by_card
                .into_iter()
                .filter_map(|(id, sum)| {
                    scope.card(id).map(|c| HolderTotal {
                        last_digits: c.last_digits.clone(),
                        holder_ja: c.holder_ja.clone(),
                        holder_en: c.holder_en.clone(),
                        family: c.family,
                        sum,
                    })
                })
                .collect(),
            by_category: sums.by_category,
        }))
    }

    /// The member's category and memo on one of their lines.
    pub async fn set_line_note(
        &self,
        user: &SessionUser,
        id: i64,
        category: &str,
        memo: &str,
    ) -> PortalResult<Reply<()>> {
        let mut problems = Vec::new();
        if !is_category(category) {
            problems.push((Field::Category, Problem::UnknownCategory));
        }
        let memo = match memo_text(memo) {
            Ok(memo) => memo,
            Err(problem) => {
                problems.push((Field::Memo, Problem::Memo(problem)));
                String::new()
            }
        };
        if !problems.is_empty() {
            return Ok(Reply::Invalid(problems));
        }
        // Any line of any card in her scope, whichever account the page shows.
        let cards: Vec<i64> = self
            .db
            .visible_cards(user.member_id)
            .await?
            .iter()
            .map(|c| c.card_id)
            .collect();
        if !self.db.set_line_note(&cards, id, category, &memo).await? {
            return Ok(Reply::Refused(Refusal::LineNotFound));
        }
        Ok(Reply::Done(()))
    }

    /// The CSV of a filter: UTF-8 with a byte-order mark (so Excel in Japan reads it), one row per
    /// line, sent as it is read. `None` when the filter cannot be read.
    pub async fn activity_csv(
        &self,
        user: &SessionUser,
        filter: &ActivityFilter,
    ) -> PortalResult<impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static> {
        const CHUNK: usize = 64 * 1024;
        let scope = self.scope(user, filter.account).await?;
        let query = match &scope {
            Some(scope) => self.line_query(scope, filter).await?,
            None => None,
        };
        let cards: Vec<(i64, String, String)> = scope
            .map(|s| {
                s.cards
                    .into_iter()
                    .map(|c| (c.card_id, c.last_digits, c.holder_ja))
                    .collect()
            })
            .unwrap_or_default();
        let rows = match query {
            Some(query) => self.db.activity_lines(&query).boxed(),
            None => futures::stream::empty().boxed(),
        };
        let io = |e: &dyn std::fmt::Display| std::io::Error::other(e.to_string());
        Ok(async_stream::try_stream! {
            yield Bytes::from_static(b"\xEF\xBB\xBF");
            let mut out = csv_writer();
            out.write_record(CSV_HEADER).map_err(|e| io(&e))?;
            let mut rows = rows;
            while let Some(row) = rows.next().await {
                let row = row.map_err(|e| io(&e))?;
                let card = cards.iter().find(|c| c.0 == row.card_id);
                out.write_record(csv_record(&row, card)).map_err(|e| io(&e))?;
                if out.get_ref().len() >= CHUNK {
                    let full = std::mem::replace(&mut out, csv_writer());
                    yield Bytes::from(full.into_inner().map_err(|e| io(&e.into_error()))?);
                }
            }
            let rest = out.into_inner().map_err(|e| io(&e.into_error()))?;
            if !rest.is_empty() {
                yield Bytes::from(rest);
            }
        })
    }
}

impl Portal {
    /// PDFs per member are limited: each is laid out on the blocking pool. `Err` is the seconds to
    /// wait.
    pub fn statement_pdf_allowed(&self, user: &SessionUser) -> Result<(), u64> {
        self.limits.pdf.check(&user.member_id)
    }

    /// The PDF of one of the account's closed statements (`closing_date`), with the lines the
    /// member may see; `None` when there is no such statement.
    pub async fn statement_pdf(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        closing_date: &str,
    ) -> PortalResult<Option<Vec<u8>>> {
        let Some(scope) = self.scope(user, wanted).await? else {
            return Ok(None);
        };
        let Some(statement) = self
            .db
            .statements(scope.account_id)
            .await?
            .into_iter()
            .find(|s| s.closing_date == closing_date)
        else {
            return Ok(None);
        };
        let card_ids: Vec<i64> = scope.cards.iter().map(|c| c.card_id).collect();
        let query = LineQuery {
            cards: card_ids.clone(),
            from: Some(statement.period_start.clone()),
            to: Some(statement.closing_date.clone()),
            ..LineQuery::default()
        };
        let sums = totals(&card_ids, &self.db.activity_sums(&query).await?);
        let mut rows: Vec<LineRow> =
            futures::TryStreamExt::try_collect(self.db.activity_lines(&query)).await?;
        rows.reverse();
        let holder = scope.cards.iter().any(|c| !c.family);
        let debit = match parse_iso_date(&statement.payment_date) {
            Some(payment) if holder => Some(self.due_on(scope.account_id, payment).await?),
            _ => None,
        };
        let member = self.db.member(user.member_id).await?;
        let (member_ja, member_en) = member.map(|m| (m.name_ja, m.name_en)).unwrap_or_default();
        let doc = StatementDoc {
            member_ja,
            member_en,
            product_ja: scope
                .cards
                .first()
                .map(|c| c.product_ja.clone())
                .unwrap_or_default(),
            period_start: statement.period_start,
            closing_date: statement.closing_date,
            payment_date: statement.payment_date,
            // The account holder's final amount as closed; a family member's own lines.
            amount_yen: if holder {
                statement.amount_yen
            } else {
                sums.all.yen
            },
            debit,
            holders: sums
                .by_card
                .iter()
                .filter_map(|(id, sum)| {
                    scope.card(*id).map(|c| HolderLine {
                        name_ja: c.holder_ja.clone(),
                        last_digits: c.last_digits.clone(),
                        family: c.family,
                        count: sum.count,
                        yen: sum.yen,
                    })
                })
                .collect(),
            lines: rows
                .into_iter()
                .map(|r| StatementLine {
                    last_digits: scope
                        .card(r.card_id)
                        .map(|c| c.last_digits.clone())
                        .unwrap_or_default(),
                    used_on: r.used_on,
                    merchant: r.merchant,
                    amount_yen: r.amount_yen,
                    foreign: r.foreign_currency.zip(r.foreign_minor),
                })
                .collect(),
        };
        let pdf = tokio::task::spawn_blocking(move || crate::statement::render(&doc))
            .await
            .map_err(|e| PortalError::Pdf(e.to_string()))?
            .map_err(PortalError::Pdf)?;
        Ok(Some(pdf))
    }
}

/// Columns a household-budget app or an accountant expects, Japanese headings first.
const CSV_HEADER: [&str; 11] = [
    "利用日 / Date used",
    "計上日 / Posted",
    "利用店名 / Merchant",
    "カード / Card",
    "利用者 / Card holder",
    "利用金額（円） / Amount (JPY)",
    "現地通貨 / Currency",
    "現地通貨額 / Foreign amount",
    "状態 / Status",
    "カテゴリー / Category",
    "メモ / Memo",
];

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(72 * 1024))
}

/// A cell a spreadsheet would run as a formula is written as text.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_record(row: &LineRow, card: Option<&(i64, String, String)>) -> Vec<String> {
    let foreign_amount = match (&row.foreign_currency, row.foreign_minor) {
        (Some(_), Some(minor)) => format!(
            "{}{}.{:02}",
            if minor < 0 { "-" } else { "" },
            minor.abs() / 100,
            minor.abs() % 100
        ),
        _ => String::new(),
    };
    vec![
        row.used_on.clone(),
        row.posted_on.clone().unwrap_or_default(),
        cell(&row.merchant),
        card.map(|c| format!("XXXX-XXXXXX-{}", c.1))
            .unwrap_or_default(),
        card.map(|c| cell(&c.2)).unwrap_or_default(),
        row.amount_yen.to_string(),
        row.foreign_currency.clone().unwrap_or_default(),
        foreign_amount,
        row.status.clone(),
        row.category.clone(),
        cell(&row.memo),
    ]
}
