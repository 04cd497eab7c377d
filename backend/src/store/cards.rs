//! Members, card accounts, cards, and the figures the home screen shows.

use portal_domain::card::CardView;
use portal_domain::period::BillingCycle;
use portal_domain::points;

use super::points::{PointsEntry, balance_in, lock_account, record_points};
use super::{Db, DbResult};

/// The one definition of a member's scope, for queries over `cards c JOIN card_accounts a` with
/// the member's id as `$1`.
pub(crate) const IN_SCOPE: &str = "c.account_id IN (SELECT s.account_id FROM online_cards o
         JOIN cards s ON s.id = o.card_id WHERE o.member_id = $1)
     AND (a.primary_member_id = $1 OR c.member_id = $1)";

/// Brings a card into a member's scope (`$1` member, `$2` card, `$3` now); a second time, nothing.
pub(crate) const ADD_ONLINE_CARD: &str =
    "INSERT INTO online_cards (member_id, card_id, added_at) VALUES ($1, $2, $3)
     ON CONFLICT (member_id, card_id) DO NOTHING";

/// A card found by its number, with what identity checks compare.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CardHolder {
    pub card_id: i64,
    pub member_id: i64,
    pub front_code_mac: String,
    pub birth_date: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub name_ja: String,
    pub name_en: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct CardRow {
    pub card_id: i64,
    pub account_id: i64,
    /// The card's holder.
    pub member_id: i64,
    pub product_ja: String,
    pub product_en: String,
    pub holder_ja: String,
    pub holder_en: String,
    pub last_digits: String,
    pub family: bool,
    pub frozen: bool,
}

/// By column name; `is_family` is an INTEGER 0/1 on both databases, `frozen_at` a time or NULL.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for CardRow {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        Ok(Self {
            card_id: row.try_get("card_id")?,
            account_id: row.try_get("account_id")?,
            member_id: row.try_get("member_id")?,
            product_ja: row.try_get("product_ja")?,
            product_en: row.try_get("product_en")?,
            holder_ja: row.try_get("holder_ja")?,
            holder_en: row.try_get("holder_en")?,
            last_digits: row.try_get("last_digits")?,
            family: row.try_get::<i64, _>("is_family")? != 0,
            frozen: row.try_get::<Option<i64>, _>("frozen_at")?.is_some(),
        })
    }
}

impl CardRow {
    /// The card as the screens show it.
    pub fn view(&self) -> CardView {
        CardView {
            account_id: self.account_id,
            product_ja: self.product_ja.clone(),
            product_en: self.product_en.clone(),
            holder_ja: self.holder_ja.clone(),
            holder_en: self.holder_en.clone(),
            last_digits: self.last_digits.clone(),
            family: self.family,
            frozen: self.frozen,
        }
    }
}

pub struct NewTransaction<'a> {
    pub account_id: i64,
    pub card_id: i64,
    pub used_on: &'a str,
    pub posted_on: Option<&'a str>,
    pub merchant: &'a str,
    pub amount_yen: i64,
    pub foreign: Option<(&'a str, i64)>,
    pub category: &'a str,
}

impl Db {
    pub async fn card_holder_by_number_mac(
        &self,
        number_mac: &str,
    ) -> DbResult<Option<CardHolder>> {
        sqlx::query_as(
            "SELECT c.id AS card_id, c.member_id, c.front_code_mac, m.birth_date
             FROM cards c JOIN members m ON m.id = c.member_id WHERE c.number_mac = $1",
        )
        .bind(number_mac)
        .fetch_optional(&self.pool)
        .await
    }

    /// Freezes (`Some(time)`) or unfreezes (`None`) a card; false when it already was so, so two
    /// members pressing at once change it, audit it and mail about it once.
    pub async fn set_card_frozen(&self, card_id: i64, frozen_at: Option<i64>) -> DbResult<bool> {
        let sql = match frozen_at {
            Some(_) => "UPDATE cards SET frozen_at = $2 WHERE id = $1 AND frozen_at IS NULL",
            None => "UPDATE cards SET frozen_at = $2 WHERE id = $1 AND frozen_at IS NOT NULL",
        };
        let done = sqlx::query(sql)
            .bind(card_id)
            .bind(frozen_at)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether the card with this number MAC is frozen; `None` for no such card.
    pub async fn card_frozen_by_number_mac(&self, number_mac: &str) -> DbResult<Option<bool>> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT frozen_at FROM cards WHERE number_mac = $1")
                .bind(number_mac)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(at,)| at.is_some()))
    }

    pub async fn member(&self, member_id: i64) -> DbResult<Option<Member>> {
        sqlx::query_as("SELECT name_ja, name_en, email FROM members WHERE id = $1")
            .bind(member_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// The closing date from which the account's statements are paperless, if they are.
    pub async fn paperless_from(&self, account_id: i64) -> DbResult<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT paperless_from FROM card_accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(from,)| from))
    }

    /// Paperless from `from`, or paper again (`None`); false when it was so already.
    pub async fn set_paperless_from(&self, account_id: i64, from: Option<&str>) -> DbResult<bool> {
        let sql = if from.is_some() {
            "UPDATE card_accounts SET paperless_from = $2 WHERE id = $1 AND paperless_from IS NULL"
        } else {
            "UPDATE card_accounts SET paperless_from = $2 WHERE id = $1 AND paperless_from IS NOT NULL"
        };
        let done = sqlx::query(sql)
            .bind(account_id)
            .bind(from)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The member's scope: on the accounts of the cards she brought into the portal
    /// (`online_cards`), every card of those she holds and her own card of the others.
    pub async fn visible_cards(&self, member_id: i64) -> DbResult<Vec<CardRow>> {
        sqlx::query_as(&format!(
            "SELECT c.id AS card_id, c.account_id, c.member_id, a.product_ja, a.product_en, m.name_ja AS holder_ja,
                    m.name_en AS holder_en, c.last_digits, c.is_family, c.frozen_at
             FROM cards c
             JOIN card_accounts a ON a.id = c.account_id
             JOIN members m ON m.id = c.member_id
             WHERE {IN_SCOPE}
             ORDER BY c.account_id, c.is_family, c.id"
        ))
        .bind(member_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Brings a card (and so its account) into the member's portal; false if it already was.
    pub async fn add_online_card(&self, member_id: i64, card_id: i64, now: i64) -> DbResult<bool> {
        let done = sqlx::query(ADD_ONLINE_CARD)
            .bind(member_id)
            .bind(card_id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn account_cycle(&self, account_id: i64) -> DbResult<Option<BillingCycle>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT closing_day, payment_day FROM card_accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(closing, payment)| billing_cycle(closing, payment)))
    }

    /// Yen used between two ISO dates inclusive, pending included; `card_id` 0 means every card.
    pub async fn spending_between(
        &self,
        account_id: i64,
        card_id: i64,
        from: &str,
        to: &str,
    ) -> DbResult<i64> {
        let (sum,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(amount_yen), 0) AS BIGINT) FROM transactions
             WHERE account_id = $1 AND ($2 = 0 OR card_id = $2) AND used_on >= $3 AND used_on <= $4",
        )
        .bind(account_id)
        .bind(card_id)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Ok(sum)
    }

    /// The final amount of a closed statement.
    pub async fn statement_amount(
        &self,
        account_id: i64,
        closing_date: &str,
    ) -> DbResult<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT amount_yen FROM statements WHERE account_id = $1 AND closing_date = $2",
        )
        .bind(account_id)
        .bind(closing_date)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(a,)| a))
    }

    pub async fn member_count(&self) -> DbResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    pub async fn insert_member(
        &self,
        name_ja: &str,
        name_en: &str,
        birth_date: &str,
        email: &str,
    ) -> DbResult<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO members (name_ja, name_en, birth_date, email) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name_ja)
        .bind(name_en)
        .bind(birth_date)
        .bind(email)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    pub async fn insert_account(
        &self,
        primary_member_id: i64,
        product: (&str, &str),
        closing_day: u8,
        payment_day: u8,
    ) -> DbResult<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO card_accounts (primary_member_id, product_ja, product_en, closing_day, payment_day)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(primary_member_id)
        .bind(product.0)
        .bind(product.1)
        .bind(i64::from(closing_day))
        .bind(i64::from(payment_day))
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_card(
        &self,
        account_id: i64,
        member_id: i64,
        number_mac: &str,
        last_digits: &str,
        front_code_mac: &str,
        back_code_mac: &str,
        family: bool,
    ) -> DbResult<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO cards (account_id, member_id, number_mac, last_digits, front_code_mac, back_code_mac, is_family)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(account_id)
        .bind(member_id)
        .bind(number_mac)
        .bind(last_digits)
        .bind(front_code_mac)
        .bind(back_code_mac)
        .bind(i64::from(family))
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Inserts lines in one transaction. A posted line earns its points; a posted credit (a refund)
    /// takes back what the same amount earned, as far as the balance allows.
    pub async fn insert_transactions(&self, lines: &[NewTransaction<'_>], at: i64) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        for line in lines {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO transactions
                 (account_id, card_id, used_on, posted_on, merchant, amount_yen, foreign_currency, foreign_minor, status, category, merchant_key)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(line.account_id)
            .bind(line.card_id)
            .bind(line.used_on)
            .bind(line.posted_on)
            .bind(line.merchant)
            .bind(line.amount_yen)
            .bind(line.foreign.map(|(currency, _)| currency))
            .bind(line.foreign.map(|(_, minor)| minor))
            .bind(if line.posted_on.is_some() { "posted" } else { "pending" })
            .bind(line.category)
            .bind(portal_domain::activity::search_key(line.merchant))
            .fetch_one(&mut *tx)
            .await?;
            if let Some(posted_on) = line.posted_on {
                let delta = if line.amount_yen >= 0 {
                    points::earned_for(line.amount_yen)
                } else {
                    // Locked, so no use can take the points between reading and reversing.
                    lock_account(&mut tx, line.account_id).await?;
                    let balance = balance_in(&mut tx, line.account_id).await?;
                    -points::reversal_for(line.amount_yen, balance)
                };
                if delta != 0 {
                    record_points(
                        &mut tx,
                        &PointsEntry {
                            account_id: line.account_id,
                            delta,
                            kind: if delta > 0 { "earn" } else { "reverse" },
                            reason: line.merchant,
                            transaction_id: Some(id),
                            use_id: None,
                            earned_on: (delta > 0).then_some(posted_on),
                            at,
                        },
                    )
                    .await?;
                }
            }
        }
        tx.commit().await
    }

    /// Closes a statement at the sum of its period's lines and, given one, leaves its notice for
    /// the account holder, in one transaction: a statement is never final without its notice.
    pub async fn close_statement(
        &self,
        account_id: i64,
        period: &ClosingPeriod<'_>,
        notice: Option<&StatementNotice>,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO statements (account_id, period_start, closing_date, payment_date, amount_yen)
             SELECT $1, $2, $3, $4, CAST(COALESCE(SUM(amount_yen), 0) AS BIGINT) FROM transactions
             WHERE account_id = $1 AND used_on >= $2 AND used_on <= $3",
        )
        .bind(account_id)
        .bind(period.start)
        .bind(period.closing)
        .bind(period.payment)
        .execute(&mut *tx)
        .await?;
        if let Some(notice) = notice {
            sqlx::query(
                "INSERT INTO statement_notices (member_id, closing_date, payment_date, amount_yen, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(notice.member_id)
            .bind(period.closing)
            .bind(period.payment)
            .bind(notice.amount_yen)
            .bind(notice.at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }
}

/// A statement period's dates, ISO.
pub struct ClosingPeriod<'a> {
    pub start: &'a str,
    pub closing: &'a str,
    pub payment: &'a str,
}

/// What the account holder is told when a statement becomes final.
pub struct StatementNotice {
    pub member_id: i64,
    /// What the payment date will debit.
    pub amount_yen: i64,
    pub at: i64,
}

/// The cycle from its two stored columns; a day out of range means the month's last.
pub(crate) fn billing_cycle(closing_day: i64, payment_day: i64) -> BillingCycle {
    BillingCycle {
        closing_day: u8::try_from(closing_day).unwrap_or(31),
        payment_day: u8::try_from(payment_day).unwrap_or(31),
    }
}
