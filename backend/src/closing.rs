//! Statement closing (D8): once a period's closing day has passed, its statement becomes final
//! (the sum of its lines, the payment date) and the account holder gets a notice in the portal of
//! what that payment date will debit; a paperless account's holder is also told by e-mail.
//! Points are earned as each line posts, not here. Runs at start and every hour; any number of
//! server processes may run it, since a statement is stored at most once per account and closing
//! date, together with its notice.

use portal_domain::period::{iso_date, parse_iso_date, periods_to_close, tokyo_date};

use crate::store::cards::{ClosingPeriod, StatementNotice};
use crate::store::is_unique_violation;
use crate::{Portal, PortalResult};

impl Portal {
    /// Closes every period that is due; returns how many statements became final.
    pub async fn close_due_statements(&self) -> PortalResult<usize> {
        let now = self.now();
        let today = tokyo_date(now);
        let mut closed = 0;
        for account in self.db.accounts().await? {
            let cycle = account.cycle;
            let last = self
                .db
                .statements(account.account_id)
                .await?
                .first()
                .and_then(|s| parse_iso_date(&s.closing_date));
            for period in periods_to_close(&cycle, last, today) {
                let (start, closing, payment) = (
                    iso_date(period.start),
                    iso_date(period.closing),
                    iso_date(period.payment),
                );
                // The notice tells what will be debited: the statement's lump sums, plus what
                // plans bring to that date, less credits.
                let notice = StatementNotice {
                    member_id: account.primary_member_id,
                    amount_yen: self
                        .due_on(account.account_id, period.payment)
                        .await?
                        .total_yen(),
                    at: now,
                };
                let dates = ClosingPeriod {
                    start: &start,
                    closing: &closing,
                    payment: &payment,
                };
                match self
                    .db
                    .close_statement(account.account_id, &dates, Some(&notice))
                    .await
                {
                    Ok(()) => {}
                    // Another process closed it first.
                    Err(e) if is_unique_violation(&e) => continue,
                    Err(e) => return Err(e.into()),
                }
                tracing::info!(account = account.account_id, closing, "statement closed");
                // Only the process that closed it gets here, so the mail goes once.
                if let Some(from) = self.db.paperless_from(account.account_id).await?
                    && from <= closing
                {
                    self.mail_final_statement(
                        account.primary_member_id,
                        &closing,
                        &payment,
                        notice.amount_yen,
                    )
                    .await?;
                }
                closed += 1;
            }
        }
        Ok(closed)
    }
}
