//! The home screen (D1): cards, this month's spending, the next statement, points.

use portal_domain::api::{HomeView, NextStatement, StatementNotice};
use portal_domain::period::{iso_date, month_start, tokyo_date};

use crate::sessions::SignInMethod;
use crate::{Portal, PortalResult, SessionUser};

/// How long a closed statement's notice stays on the home screen.
const NOTICE_DAYS: i64 = 40;

impl Portal {
    pub async fn home(&self, user: &SessionUser) -> PortalResult<HomeView> {
        let member = self.db.member(user.member_id).await?;
        let (name_ja, name_en) = member.map(|m| (m.name_ja, m.name_en)).unwrap_or_default();
        let cards = self.db.visible_cards(user.member_id).await?;
        let today = tokyo_date(self.now());
        // The account the member holds, else the one their family card is on (then only their card).
        let main_account = cards.iter().find(|c| !c.family).or(cards.first());
        let (mut month_spending_yen, mut next_statement, mut points) = (0, None, None);
        if let Some(card) = main_account {
            let scope = if card.family { card.card_id } else { 0 };
            month_spending_yen = self
                .db
                .spending_between(
                    card.account_id,
                    scope,
                    &iso_date(month_start(today)),
                    &iso_date(today),
                )
                .await?;
            if let Some(cycle) = self.db.account_cycle(card.account_id).await? {
                let open = cycle.period_containing(today);
                let last = cycle.previous(&open);
                let last_amount = self
                    .db
                    .statement_amount(card.account_id, &iso_date(last.closing))
                    .await?;
                next_statement = Some(match last_amount {
                    Some(_) if last.payment >= today => NextStatement {
                        // The holder's debit follows the payment schedule: plans and point credits
                        // change it. A family member sees the sum of her own card's lines.
                        amount_yen: if card.family {
                            self.db
                                .spending_between(
                                    card.account_id,
                                    scope,
                                    &iso_date(last.start),
                                    &iso_date(last.closing),
                                )
                                .await?
                        } else {
                            self.due_on(card.account_id, last.payment)
                                .await?
                                .total_yen()
                        },
                        payment_date: iso_date(last.payment),
                        closing_date: iso_date(last.closing),
                        is_final: true,
                    },
                    _ => NextStatement {
                        amount_yen: self
                            .db
                            .spending_between(
                                card.account_id,
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
            // Points, like payments, are the account holder's.
            if !card.family {
                points = Some(self.db.points_balance(card.account_id).await?);
            }
        }
        Ok(HomeView {
            name_ja,
            name_en,
            cards: cards.into_iter().map(|c| c.view()).collect(),
            month_spending_yen,
            today: iso_date(today),
            next_statement,
            points,
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
            paperless: self.paperless(user).await?,
        })
    }
}
