//! The home screen (D1): each account's cards, this month's spending, the next statement, points.

use portal_domain::api::{AccountSummary, HomeView, NextStatement, StatementNotice};
use portal_domain::period::{iso_date, month_start, tokyo_date};
use time::Date;

use crate::sessions::SignInMethod;
use crate::store::cards::CardRow;
use crate::{Portal, PortalResult, SessionUser};

/// How long a closed statement's notice stays on the home screen.
const NOTICE_DAYS: i64 = 40;

impl Portal {
    pub async fn home(&self, user: &SessionUser) -> PortalResult<HomeView> {
        let member = self.db.member(user.member_id).await?;
        let (name_ja, name_en) = member.map(|m| (m.name_ja, m.name_en)).unwrap_or_default();
        let cards = self.db.visible_cards(user.member_id).await?;
        let today = tokyo_date(self.now());
        // Accounts she holds first, then those her family cards are on; each in the order seen.
        let mut account_ids: Vec<i64> = Vec::new();
        for held in [true, false] {
            for card in cards.iter().filter(|c| c.family != held) {
                if !account_ids.contains(&card.account_id) {
                    account_ids.push(card.account_id);
                }
            }
        }
        let mut accounts = Vec::new();
        for account_id in account_ids {
            let of_account: Vec<CardRow> = cards
                .iter()
                .filter(|c| c.account_id == account_id)
                .cloned()
                .collect();
            if let Some(summary) = self.account_summary(&of_account, today).await? {
                accounts.push(summary);
            }
        }
        Ok(HomeView {
            name_ja,
            name_en,
            today: iso_date(today),
            accounts,
            offer_passkey: user.method == SignInMethod::Password,
            notices: self
                .db
                .statement_notices(user.member_id, self.now() - NOTICE_DAYS * 86_400)
                .await?
                .into_iter()
                .map(|n| StatementNotice {
                    closing_date: n.closing_date,
                    payment_date: n.payment_date,
                    amount_yen: n.amount_yen,
                })
                .collect(),
        })
    }

    /// The figures of one account from the cards of it the member sees. On an account she does
    /// not hold she sees her own card's spending only, and no points.
    async fn account_summary(
        &self,
        cards: &[CardRow],
        today: Date,
    ) -> PortalResult<Option<AccountSummary>> {
        let Some(card) = cards.first() else {
            return Ok(None);
        };
        let holder = cards.iter().any(|c| !c.family);
        let account_id = card.account_id;
        let scope = if holder { 0 } else { card.card_id };
        let month_spending_yen = self
            .db
            .spending_between(
                account_id,
                scope,
                &iso_date(month_start(today)),
                &iso_date(today),
            )
            .await?;
        let mut next_statement = None;
        if let Some(cycle) = self.db.account_cycle(account_id).await? {
            let open = cycle.period_containing(today);
            let last = cycle.previous(&open);
            let last_amount = self
                .db
                .statement_amount(account_id, &iso_date(last.closing))
                .await?;
            next_statement = Some(match last_amount {
                Some(_) if last.payment >= today => NextStatement {
                    // The holder's debit follows the payment schedule: plans and point credits
                    // change it. A family member sees the sum of her own card's lines.
                    amount_yen: if holder {
                        self.due_on(account_id, last.payment).await?.total_yen()
                    } else {
                        self.db
                            .spending_between(
                                account_id,
                                scope,
                                &iso_date(last.start),
                                &iso_date(last.closing),
                            )
                            .await?
                    },
                    payment_date: iso_date(last.payment),
                    closing_date: iso_date(last.closing),
                    is_final: true,
                },
                _ => NextStatement {
                    amount_yen: self
                        .db
                        .spending_between(
                            account_id,
                            scope,
                            &iso_date(open.start),
                            &iso_date(today),
                        )
                        .await?,
                    payment_date: iso_date(open.payment),
                    closing_date: iso_date(open.closing),
                    is_final: false,
                },
            });
        }
        // Points and how statements come, like payments, are the account holder's.
        let (points, paperless) = if holder {
            (
                Some(self.db.points_balance(account_id).await?),
                self.paperless_of(card).await?,
            )
        } else {
            (None, None)
        };
        Ok(Some(AccountSummary {
            account_id,
            product_ja: card.product_ja.clone(),
            product_en: card.product_en.clone(),
            cards: cards.iter().map(CardRow::view).collect(),
            month_spending_yen,
            next_statement,
            points,
            paperless,
        }))
    }
}
