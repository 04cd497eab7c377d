//! Payment plans: which charges are in revolving or instalments, as a ledger of changes, and the
//! issuer's figures for the spending-power rule.

use super::{Db, DbResult, is_unique_violation};

/// A line with the plan it is in now (the newest change for it).
#[derive(Debug, Clone)]
pub struct PlanLine {
    pub transaction_id: i64,
    pub used_on: String,
    pub amount_yen: i64,
    pub posted: bool,
    pub last_digits: String,
    pub merchant: String,
    /// The number of changes so far; the next change is `seq + 1`.
    pub seq: i64,
    pub plan: Option<PlanRow>,
}

#[derive(Debug, Clone)]
pub struct PlanRow {
    pub id: i64,
    pub kind: String,
    pub monthly_yen: i64,
    pub payments: i64,
    pub first_payment: String,
}

/// A plan to write for one line.
pub struct NewPlan<'a> {
    pub transaction_id: i64,
    /// The line's `seq` when the member saw it.
    pub seq: i64,
    pub kind: &'a str,
    pub monthly_yen: i64,
    pub payments: i64,
    pub first_payment: String,
}

/// A line joined with its newest change and that change's plan, by column name.
#[derive(sqlx::FromRow)]
struct PlanLineRecord {
    transaction_id: i64,
    used_on: String,
    amount_yen: i64,
    status: String,
    last_digits: String,
    merchant: String,
    seq: Option<i64>,
    plan_id: Option<i64>,
    plan_kind: Option<String>,
    monthly_yen: Option<i64>,
    payments: Option<i64>,
    first_payment: Option<String>,
}

impl Db {
    /// The account's lines used on or after `since`, and every line in a plan whatever its date.
    pub async fn plan_lines(&self, account_id: i64, since: &str) -> DbResult<Vec<PlanLine>> {
        let rows: Vec<PlanLineRecord> = sqlx::query_as(
            "SELECT t.id AS transaction_id, t.used_on, t.amount_yen, t.status, c.last_digits, t.merchant,
                    pc.seq, p.id AS plan_id, p.kind AS plan_kind, p.monthly_yen, p.payments, p.first_payment
             FROM transactions t
             JOIN cards c ON c.id = t.card_id
             LEFT JOIN plan_changes pc ON pc.transaction_id = t.id
                 AND pc.seq = (SELECT MAX(x.seq) FROM plan_changes x WHERE x.transaction_id = t.id)
             LEFT JOIN payment_plans p ON p.id = pc.plan_id
             WHERE t.account_id = $1 AND (t.used_on >= $2 OR pc.plan_id IS NOT NULL)
             ORDER BY t.used_on DESC, t.id DESC",
        )
        .bind(account_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| PlanLine {
                transaction_id: r.transaction_id,
                used_on: r.used_on,
                amount_yen: r.amount_yen,
                posted: r.status == "posted",
                last_digits: r.last_digits,
                merchant: r.merchant,
                seq: r.seq.unwrap_or(0),
                plan: match (
                    r.plan_id,
                    r.plan_kind,
                    r.monthly_yen,
                    r.payments,
                    r.first_payment,
                ) {
                    (Some(id), Some(kind), Some(monthly_yen), Some(payments), Some(first)) => {
                        Some(PlanRow {
                            id,
                            kind,
                            monthly_yen,
                            payments,
                            first_payment: first,
                        })
                    }
                    _ => None,
                },
            })
            .collect())
    }

    /// Writes a plan for each line and the change that puts the line in it, all or nothing. None
    /// when a line changed since the member saw it (another tab, a double click).
    pub async fn create_plans(
        &self,
        account_id: i64,
        member_id: i64,
        plans: &[NewPlan<'_>],
        at: i64,
    ) -> DbResult<Option<Vec<i64>>> {
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(plans.len());
        for plan in plans {
            let (plan_id,): (i64,) = sqlx::query_as(
                "INSERT INTO payment_plans (account_id, member_id, kind, monthly_yen, payments, first_payment, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(account_id)
            .bind(member_id)
            .bind(plan.kind)
            .bind(plan.monthly_yen)
            .bind(plan.payments)
            .bind(&plan.first_payment)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let change = insert_change(
                &mut tx,
                account_id,
                plan.transaction_id,
                plan.seq + 1,
                Some(plan_id),
                member_id,
                at,
            )
            .await;
            match change {
                Ok(()) => ids.push(plan_id),
                Err(e) if is_unique_violation(&e) => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        Ok(Some(ids))
    }

    /// Puts a plan's lines back to lump sums with a new change each. False when a line changed
    /// since it was read.
    pub async fn undo_plan(
        &self,
        account_id: i64,
        member_id: i64,
        lines: &[(i64, i64)],
        at: i64,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        for (transaction_id, seq) in lines {
            match insert_change(
                &mut tx,
                account_id,
                *transaction_id,
                seq + 1,
                None,
                member_id,
                at,
            )
            .await
            {
                Ok(()) => {}
                Err(e) if is_unique_violation(&e) => return Ok(false),
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// (internal line, late payments in the last twelve months).
    pub async fn spending_profile(&self, account_id: i64) -> DbResult<(i64, i64)> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT internal_line_yen, late_payments FROM card_accounts WHERE id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.unwrap_or((0, 0)))
    }

    pub async fn set_spending_profile(
        &self,
        account_id: i64,
        internal_line_yen: i64,
        late_payments: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "UPDATE card_accounts SET internal_line_yen = $2, late_payments = $3 WHERE id = $1",
        )
        .bind(account_id)
        .bind(internal_line_yen)
        .bind(late_payments)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

async fn insert_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    transaction_id: i64,
    seq: i64,
    plan_id: Option<i64>,
    member_id: i64,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO plan_changes (account_id, transaction_id, seq, plan_id, member_id, at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(account_id)
    .bind(transaction_id)
    .bind(seq)
    .bind(plan_id)
    .bind(member_id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
