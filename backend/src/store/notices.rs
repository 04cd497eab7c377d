//! Notices in the portal: a statement became final.

use portal_domain::period::BillingCycle;

use super::cards::billing_cycle;
use super::{Db, DbResult};

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub account_id: i64,
    pub primary_member_id: i64,
    pub cycle: BillingCycle,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementNoticeRow {
    pub closing_date: String,
    pub payment_date: String,
    pub amount_yen: i64,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct AccountCycleRow {
    id: i64,
    primary_member_id: i64,
    closing_day: i64,
    payment_day: i64,
}

impl Db {
    pub async fn accounts(&self) -> DbResult<Vec<AccountRow>> {
        let rows: Vec<AccountCycleRow> = sqlx::query_as(
            "SELECT id, primary_member_id, closing_day, payment_day FROM card_accounts ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AccountRow {
                account_id: r.id,
                primary_member_id: r.primary_member_id,
                cycle: billing_cycle(r.closing_day, r.payment_day),
            })
            .collect())
    }

    /// Newest first, created after `since`.
    pub async fn statement_notices(
        &self,
        member_id: i64,
        since: i64,
    ) -> DbResult<Vec<StatementNoticeRow>> {
        sqlx::query_as(
            "SELECT closing_date, payment_date, amount_yen, created_at FROM statement_notices
             WHERE member_id = $1 AND created_at > $2 ORDER BY created_at DESC, id DESC LIMIT 5",
        )
        .bind(member_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await
    }
}
