//! Points: the ledger, the balance beside it, uses and partner links.
//!
//! Every change of points is one ledger row and one change of `card_accounts.points_balance`, in
//! one transaction. A use takes points with `UPDATE … WHERE points_balance >= n`, which both
//! databases run atomically, so the balance never goes below zero however many uses race; the
//! request id makes a repeated request the same use.

use sqlx::{Any, Transaction};

use super::{Db, DbResult, is_unique_violation};

/// A ledger row to write.
pub struct PointsEntry<'a> {
    pub account_id: i64,
    pub delta: i64,
    pub kind: &'a str,
    pub reason: &'a str,
    pub transaction_id: Option<i64>,
    pub use_id: Option<i64>,
    /// For points that can expire: the day they were earned.
    pub earned_on: Option<&'a str>,
    pub at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub delta: i64,
    pub kind: String,
    pub reason: String,
    pub at: i64,
}

/// A use of points to record.
pub struct NewUse<'a> {
    pub account_id: i64,
    pub member_id: i64,
    pub request_id: &'a str,
    pub kind: &'a str,
    pub points: i64,
    pub credit_yen: i64,
    pub payment_date: Option<&'a str>,
    pub item: Option<&'a str>,
    pub partner: Option<(&'a str, &'a str, i64)>,
    pub status: &'a str,
    pub reason: &'a str,
    pub at: i64,
    /// For a bill credit: the most that the bill credits of its payment date may add up to,
    /// checked with the account locked so that credits made at the same moment cannot pass it
    /// together.
    pub credit_cap_yen: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseOutcome {
    Recorded(i64),
    /// This request id was already used: the earlier use stands, nothing more was taken.
    Repeated(i64),
    NotEnoughPoints,
    /// The credit would take the bill credits past `credit_cap_yen`; `credited_yen` are already
    /// there.
    OverBill {
        credited_yen: i64,
    },
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UseRow {
    pub id: i64,
    pub kind: String,
    pub points: i64,
    pub credit_yen: i64,
    pub payment_date: Option<String>,
    pub item: Option<String>,
    pub partner: Option<String>,
    pub partner_units: Option<i64>,
    pub status: String,
    pub created_at: i64,
    pub settled_at: Option<i64>,
}

const LOTS_SQL: &str = "SELECT earned_on, CAST(SUM(delta) AS BIGINT) FROM points_ledger
     WHERE account_id = $1 AND earned_on IS NOT NULL AND delta > 0
     GROUP BY earned_on ORDER BY earned_on";

const USE_COLUMNS: &str = "id, kind, points, credit_yen, payment_date, item, partner, partner_units, status, created_at, settled_at";

/// Writes a ledger row and moves the balance with it. A negative delta is taken only if the
/// balance covers it; returns false (and writes nothing) when it does not.
pub(crate) async fn record_points(
    tx: &mut Transaction<'_, Any>,
    entry: &PointsEntry<'_>,
) -> DbResult<bool> {
    let moved = sqlx::query(
        "UPDATE card_accounts SET points_balance = points_balance + $2
         WHERE id = $1 AND points_balance + $2 >= 0",
    )
    .bind(entry.account_id)
    .bind(entry.delta)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO points_ledger (account_id, delta, reason, at, kind, transaction_id, use_id, earned_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.account_id)
    .bind(entry.delta)
    .bind(entry.reason)
    .bind(entry.at)
    .bind(entry.kind)
    .bind(entry.transaction_id)
    .bind(entry.use_id)
    .bind(entry.earned_on)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

async fn insert_use(tx: &mut Transaction<'_, Any>, new: &NewUse<'_>) -> DbResult<i64> {
    let (partner, number, units) = new
        .partner
        .map_or((None, None, None), |(p, n, u)| (Some(p), Some(n), Some(u)));
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO point_uses (account_id, member_id, request_id, kind, points, credit_yen, payment_date, item, partner, partner_number, partner_units, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(new.account_id)
    .bind(new.member_id)
    .bind(new.request_id)
    .bind(new.kind)
    .bind(new.points)
    .bind(new.credit_yen)
    .bind(new.payment_date)
    .bind(new.item)
    .bind(partner)
    .bind(number)
    .bind(units)
    .bind(new.status)
    .bind(new.at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Holds the account row until the transaction ends: a row lock on PostgreSQL, the write lock on
/// SQLite (a transaction whose first statement writes).
pub(crate) async fn lock_account(tx: &mut Transaction<'_, Any>, account_id: i64) -> DbResult<()> {
    sqlx::query("UPDATE card_accounts SET points_balance = points_balance WHERE id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The balance inside a transaction.
pub(crate) async fn balance_in(tx: &mut Transaction<'_, Any>, account_id: i64) -> DbResult<i64> {
    let (balance,): (i64,) =
        sqlx::query_as("SELECT points_balance FROM card_accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(balance)
}

impl Db {
    pub async fn points_balance(&self, account_id: i64) -> DbResult<i64> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT points_balance FROM card_accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map_or(0, |(b,)| b))
    }

    /// Adds points outside any use (a welcome bonus, a campaign).
    pub async fn add_bonus_points(
        &self,
        account_id: i64,
        points: i64,
        reason: &str,
        earned_on: &str,
        at: i64,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        record_points(
            &mut tx,
            &PointsEntry {
                account_id,
                delta: points,
                kind: "bonus",
                reason,
                transaction_id: None,
                use_id: None,
                earned_on: Some(earned_on),
                at,
            },
        )
        .await?;
        tx.commit().await
    }

    /// Newest first.
    pub async fn points_history(&self, account_id: i64, limit: i64) -> DbResult<Vec<LedgerRow>> {
        sqlx::query_as(
            "SELECT delta, kind, reason, at FROM points_ledger WHERE account_id = $1
             ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(account_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
    }

    /// Points added by earning, per day earned: the lots expiry works on.
    pub async fn point_lots(&self, account_id: i64) -> DbResult<Vec<(String, i64)>> {
        sqlx::query_as(LOTS_SQL)
            .bind(account_id)
            .fetch_all(&self.pool)
            .await
    }

    /// Records a use and takes its points, or does nothing if the balance does not cover it or the
    /// request id was seen before.
    pub async fn use_points(&self, new: &NewUse<'_>) -> DbResult<UseOutcome> {
        let mut tx = self.pool.begin().await?;
        if new.credit_cap_yen.is_some() {
            lock_account(&mut tx, new.account_id).await?;
        }
        let inserted = insert_use(&mut tx, new).await;
        let id = match inserted {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => {
                drop(tx);
                let (id,): (i64,) = sqlx::query_as(
                    "SELECT id FROM point_uses WHERE account_id = $1 AND request_id = $2",
                )
                .bind(new.account_id)
                .bind(new.request_id)
                .fetch_one(&self.pool)
                .await?;
                return Ok(UseOutcome::Repeated(id));
            }
            Err(e) => return Err(e),
        };
        if let (Some(cap), Some(date)) = (new.credit_cap_yen, new.payment_date) {
            let (credited,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(credit_yen), 0) AS BIGINT) FROM point_uses
                 WHERE account_id = $1 AND kind = 'bill' AND payment_date = $2",
            )
            .bind(new.account_id)
            .bind(date)
            .fetch_one(&mut *tx)
            .await?;
            if credited > cap {
                return Ok(UseOutcome::OverBill {
                    credited_yen: credited - new.credit_yen,
                });
            }
        }
        let taken = record_points(
            &mut tx,
            &PointsEntry {
                account_id: new.account_id,
                delta: -new.points,
                kind: "use",
                reason: new.reason,
                transaction_id: None,
                use_id: Some(id),
                earned_on: None,
                at: new.at,
            },
        )
        .await?;
        if !taken {
            return Ok(UseOutcome::NotEnoughPoints);
        }
        tx.commit().await?;
        Ok(UseOutcome::Recorded(id))
    }

    /// Takes off the points `due` works out from the lots (day, points) and the balance, read
    /// with the account locked so that nothing earned or used meanwhile is miscounted. Once per
    /// `request_id`. Returns the points taken.
    pub async fn expire_points(
        &self,
        account_id: i64,
        member_id: i64,
        request_id: &str,
        at: i64,
        due: impl FnOnce(&[(String, i64)], i64) -> i64,
    ) -> DbResult<i64> {
        let mut tx = self.pool.begin().await?;
        lock_account(&mut tx, account_id).await?;
        let lots: Vec<(String, i64)> = sqlx::query_as(LOTS_SQL)
            .bind(account_id)
            .fetch_all(&mut *tx)
            .await?;
        let points = due(&lots, balance_in(&mut tx, account_id).await?);
        if points <= 0 {
            return Ok(0);
        }
        let new = NewUse {
            account_id,
            member_id,
            request_id,
            kind: "expire",
            points,
            credit_yen: 0,
            payment_date: None,
            item: None,
            partner: None,
            status: "done",
            reason: "expired",
            at,
            credit_cap_yen: None,
        };
        let id = match insert_use(&mut tx, &new).await {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => return Ok(0),
            Err(e) => return Err(e),
        };
        let taken = record_points(
            &mut tx,
            &PointsEntry {
                account_id,
                delta: -points,
                kind: "expire",
                reason: "expired",
                transaction_id: None,
                use_id: Some(id),
                earned_on: None,
                at,
            },
        )
        .await?;
        if !taken {
            return Ok(0);
        }
        tx.commit().await?;
        Ok(points)
    }

    /// Newest first.
    pub async fn point_uses(&self, account_id: i64, limit: i64) -> DbResult<Vec<UseRow>> {
        sqlx::query_as(&format!(
            "SELECT {USE_COLUMNS} FROM point_uses WHERE account_id = $1 AND kind <> 'expire'
             ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(account_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
    }

    /// Bill credits from points, by payment date.
    pub async fn bill_credits(&self, account_id: i64) -> DbResult<Vec<(String, i64)>> {
        sqlx::query_as(
            "SELECT payment_date, CAST(SUM(credit_yen) AS BIGINT) FROM point_uses
             WHERE account_id = $1 AND kind = 'bill' AND payment_date IS NOT NULL
             GROUP BY payment_date",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Transfers still waiting for their partner, requested at or before `before`.
    pub async fn waiting_transfers(&self, before: i64) -> DbResult<Vec<(i64, i64, String)>> {
        sqlx::query_as(
            "SELECT id, account_id, COALESCE(partner_number, '') FROM point_uses
             WHERE status = 'requested' AND created_at <= $1 ORDER BY id",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await
    }

    /// Ends a requested transfer (once: the status must still be `requested`) and, when it failed,
    /// gives its points back. Returns false if it had already ended.
    pub async fn settle_transfer(
        &self,
        use_id: i64,
        status: &str,
        return_points: bool,
        at: i64,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let row: Option<(i64, i64)> = sqlx::query_as(
            "UPDATE point_uses SET status = $2, settled_at = $3
             WHERE id = $1 AND status = 'requested' RETURNING account_id, points",
        )
        .bind(use_id)
        .bind(status)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((account_id, points)) = row else {
            return Ok(false);
        };
        if return_points {
            record_points(
                &mut tx,
                &PointsEntry {
                    account_id,
                    delta: points,
                    kind: "return",
                    reason: "transfer failed",
                    transaction_id: None,
                    use_id: Some(use_id),
                    earned_on: None,
                    at,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn link_partner(
        &self,
        account_id: i64,
        partner: &str,
        member_number: &str,
        at: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO partner_links (account_id, partner, member_number, linked_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (account_id, partner) DO UPDATE SET member_number = excluded.member_number, linked_at = excluded.linked_at",
        )
        .bind(account_id)
        .bind(partner)
        .bind(member_number)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// (partner code, member number).
    pub async fn partner_links(&self, account_id: i64) -> DbResult<Vec<(String, String)>> {
        sqlx::query_as(
            "SELECT partner, member_number FROM partner_links WHERE account_id = $1 ORDER BY partner",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
    }
}
