//! Card activity: pages of lines by key, sums per card and category, the member's notes on a
//! line, and the statements of an account. Every query is limited to the card ids the caller
//! passes, which the service takes from the member's own cards.

use portal_domain::activity::{Cursor, GroupSum, PAGE_SIZE, Sum, search_key};

use super::{Db, DbResult};

/// The lines a member asked for, among the cards they may see.
#[derive(Debug, Clone, Default)]
pub struct LineQuery {
    /// Never empty: the service refuses before asking with no cards.
    pub cards: Vec<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Already in search form (`search_key`).
    pub text_key: String,
    pub min_yen: Option<i64>,
    pub max_yen: Option<i64>,
    pub status: Option<&'static str>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub id: i64,
    pub card_id: i64,
    pub used_on: String,
    pub posted_on: Option<String>,
    pub merchant: String,
    pub amount_yen: i64,
    pub foreign_currency: Option<String>,
    pub foreign_minor: Option<i64>,
    pub status: String,
    pub category: String,
    pub memo: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementRow {
    pub period_start: String,
    pub closing_date: String,
    pub payment_date: String,
    pub amount_yen: i64,
}

enum Bind {
    Int(i64),
    Text(String),
}

/// `WHERE` conditions with `$n` parameters, one text for SQLite and PostgreSQL.
struct Conditions {
    sql: String,
    binds: Vec<Bind>,
}

impl Conditions {
    fn param(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.binds.len())
    }

    fn and(&mut self, clause: String) {
        self.sql.push_str(" AND ");
        self.sql.push_str(&clause);
    }

    fn of(query: &LineQuery) -> Self {
        let mut c = Conditions {
            sql: String::new(),
            binds: Vec::new(),
        };
        let cards: Vec<String> = query
            .cards
            .iter()
            .map(|&id| c.param(Bind::Int(id)))
            .collect();
        c.sql = format!("t.card_id IN ({})", cards.join(", "));
        if let Some(from) = &query.from {
            let p = c.param(Bind::Text(from.clone()));
            c.and(format!("t.used_on >= {p}"));
        }
        if let Some(to) = &query.to {
            let p = c.param(Bind::Text(to.clone()));
            c.and(format!("t.used_on <= {p}"));
        }
        if !query.text_key.is_empty() {
            let escaped = query
                .text_key
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let p = c.param(Bind::Text(format!("%{escaped}%")));
            c.and(format!(
                "(t.merchant_key LIKE {p} ESCAPE '\\' OR t.memo_key LIKE {p} ESCAPE '\\')"
            ));
        }
        if let Some(min) = query.min_yen {
            let p = c.param(Bind::Int(min));
            c.and(format!("t.amount_yen >= {p}"));
        }
        if let Some(max) = query.max_yen {
            let p = c.param(Bind::Int(max));
            c.and(format!("t.amount_yen <= {p}"));
        }
        if let Some(status) = query.status {
            let p = c.param(Bind::Text(status.to_string()));
            c.and(format!("t.status = {p}"));
        }
        c
    }
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for bind in $binds {
            q = match bind {
                Bind::Int(v) => q.bind(v),
                Bind::Text(v) => q.bind(v),
            };
        }
        q
    }};
}

/// The columns of a `LineRow`.
const LINE_COLUMNS: &str = "t.id, t.card_id, t.used_on, t.posted_on, t.merchant, t.amount_yen, \
     t.foreign_currency, t.foreign_minor, t.status, t.category, t.memo";

impl Db {
    /// One page of the query, newest first, after `cursor`; one line more than a page tells there
    /// is another.
    pub async fn activity_page(
        &self,
        query: &LineQuery,
        cursor: Option<&Cursor>,
    ) -> DbResult<Vec<LineRow>> {
        self.lines_after(query, cursor, PAGE_SIZE + 1).await
    }

    /// Up to `limit` lines of the query after `cursor`, newest first.
    async fn lines_after(
        &self,
        query: &LineQuery,
        cursor: Option<&Cursor>,
        limit: usize,
    ) -> DbResult<Vec<LineRow>> {
        let mut c = Conditions::of(query);
        if let Some(cursor) = cursor {
            let date = c.param(Bind::Text(cursor.used_on.clone()));
            let id = c.param(Bind::Int(cursor.id));
            c.and(format!(
                "(t.used_on < {date} OR (t.used_on = {date} AND t.id < {id}))"
            ));
        }
        let sql = format!(
            "SELECT {LINE_COLUMNS} FROM transactions t WHERE {} ORDER BY t.used_on DESC, t.id DESC LIMIT {limit}",
            c.sql
        );
        bind_all!(sqlx::query_as(&sql), c.binds)
            .fetch_all(&self.pool)
            .await
    }

    /// Every line of the query, newest first, as a stream (for downloads). Read a batch at a time
    /// by key, so a slow download holds no database connection between batches.
    pub fn activity_lines(
        &self,
        query: &LineQuery,
    ) -> impl futures::Stream<Item = DbResult<LineRow>> + Send + 'static {
        const BATCH: usize = 5_000;
        let db = self.clone();
        let query = query.clone();
        async_stream::try_stream! {
            let mut cursor: Option<Cursor> = None;
            loop {
                let batch = db.lines_after(&query, cursor.as_ref(), BATCH).await?;
                let more = batch.len() == BATCH;
                cursor = batch.last().map(|row| Cursor {
                    used_on: row.used_on.clone(),
                    id: row.id,
                });
                for row in batch {
                    yield row;
                }
                if !more {
                    break;
                }
            }
        }
    }

    /// Count and yen per (card, category) for the query.
    pub async fn activity_sums(&self, query: &LineQuery) -> DbResult<Vec<GroupSum>> {
        let c = Conditions::of(query);
        let sql = format!(
            "SELECT t.card_id, t.category, COUNT(*) AS count,
                    CAST(COALESCE(SUM(t.amount_yen), 0) AS BIGINT) AS yen
             FROM transactions t WHERE {} GROUP BY t.card_id, t.category",
            c.sql
        );
        let rows: Vec<GroupRow> = bind_all!(sqlx::query_as(&sql), c.binds)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| GroupSum {
                card_id: r.card_id,
                category: r.category,
                sum: Sum {
                    count: r.count,
                    yen: r.yen,
                },
            })
            .collect())
    }

    /// Sets the member's category and memo on a line of one of `cards`; false if there is none.
    pub async fn set_line_note(
        &self,
        cards: &[i64],
        id: i64,
        category: &str,
        memo: &str,
    ) -> DbResult<bool> {
        let mut c = Conditions::of(&LineQuery {
            cards: cards.to_vec(),
            ..LineQuery::default()
        });
        let id = c.param(Bind::Int(id));
        let category = c.param(Bind::Text(category.to_string()));
        let memo_p = c.param(Bind::Text(memo.to_string()));
        let key = c.param(Bind::Text(search_key(memo)));
        let sql = format!(
            "UPDATE transactions SET category = {category}, memo = {memo_p}, memo_key = {key}
             WHERE id IN (SELECT t.id FROM transactions t WHERE {} AND t.id = {id})",
            c.sql
        );
        let done = bind_all!(sqlx::query(&sql), c.binds)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Newest first.
    pub async fn statements(&self, account_id: i64) -> DbResult<Vec<StatementRow>> {
        sqlx::query_as(
            "SELECT period_start, closing_date, payment_date, amount_yen FROM statements
             WHERE account_id = $1 ORDER BY closing_date DESC",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Fills the search columns of lines stored before they existed. Returns how many.
    pub async fn fill_search_keys(&self) -> DbResult<u64> {
        let rows: Vec<UnkeyedLine> =
            sqlx::query_as("SELECT id, merchant, memo FROM transactions WHERE merchant_key = ''")
                .fetch_all(&self.pool)
                .await?;
        let mut tx = self.pool.begin().await?;
        for line in &rows {
            sqlx::query("UPDATE transactions SET merchant_key = $2, memo_key = $3 WHERE id = $1")
                .bind(line.id)
                .bind(search_key(&line.merchant))
                .bind(search_key(&line.memo))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    card_id: i64,
    category: String,
    count: i64,
    yen: i64,
}

#[derive(sqlx::FromRow)]
struct UnkeyedLine {
    id: i64,
    merchant: String,
    memo: String,
}
