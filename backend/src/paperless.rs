//! Paperless statements (オンライン明細, C5): the account holder stops the paper statement from the
//! next one on; from then on a statement becoming final is also sent by e-mail (`closing.rs`).

use portal_domain::api::{PaperlessView, Refusal, Reply};
use portal_domain::money::format_yen;
use portal_domain::period::{iso_date, tokyo_date};

use crate::payments::held_account_of;
use crate::store::cards::CardRow;
use crate::{Client, NOT_YOU_EN, NOT_YOU_JA, Portal, PortalResult, SessionUser};

impl Portal {
    /// How each account the member holds gets its statements; none for a family member.
    pub async fn paperless(&self, user: &SessionUser) -> PortalResult<Vec<PaperlessView>> {
        let mut cards = self.db.visible_cards(user.member_id).await?;
        cards.retain(|c| !c.family);
        cards.dedup_by_key(|c| c.account_id);
        let mut views = Vec::new();
        for card in &cards {
            if let Some(view) = self.paperless_of(card).await? {
                views.push(view);
            }
        }
        Ok(views)
    }

    /// How the account of `card` gets its statements.
    pub(crate) async fn paperless_of(&self, card: &CardRow) -> PortalResult<Option<PaperlessView>> {
        let account_id = card.account_id;
        let Some(cycle) = self.db.account_cycle(account_id).await? else {
            return Ok(None);
        };
        let next_closing = iso_date(cycle.period_containing(tokyo_date(self.now())).closing);
        Ok(Some(PaperlessView {
            account_id,
            product_ja: card.product_ja.clone(),
            product_en: card.product_en.clone(),
            from: self.db.paperless_from(account_id).await?,
            next_closing,
        }))
    }

    /// On: statements closing from the open period's on are online only. Off: paper again from the
    /// next one. Needs a fresh confirmation; audited and mailed.
    pub async fn set_paperless(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        on: bool,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let cards = self.db.visible_cards(user.member_id).await?;
        let held = held_account_of(&cards, wanted);
        let Some(card) = cards.iter().find(|c| Some(c.account_id) == held) else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        if !self.confirmed(user, self.now()) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        let Some(view) = self.paperless_of(card).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let account_id = view.account_id;
        let from = on.then_some(view.next_closing.as_str());
        if !self.db.set_paperless_from(account_id, from).await? {
            return Ok(Reply::Done(()));
        }
        let (event, ja, en) = if on {
            (
                "paperless_on",
                format!(
                    "{}締めのご利用明細から、紙の明細の郵送を停止し、確定時にメールでお知らせします。",
                    view.next_closing
                ),
                format!(
                    "From the statement closing on {}, no paper statement is posted: we e-mail you when each becomes final.",
                    view.next_closing
                ),
            )
        } else {
            (
                "paperless_off",
                "次回のご利用明細から、紙の明細を郵送します。".to_string(),
                "From the next statement on, paper statements are posted again.".to_string(),
            )
        };
        self.audit(client, event, Some(user.online_user_id), None, "")
            .await;
        self.notify_member(
            user.member_id,
            "【会員ポータル】明細の送付方法変更のお知らせ / How you get statements has changed",
            &format!("{ja}\n{NOT_YOU_JA}"),
            &format!("{en}\n{NOT_YOU_EN}"),
        )
        .await?;
        Ok(Reply::Done(()))
    }

    /// A statement just became final on a paperless account: the holder hears of it by e-mail.
    pub(crate) async fn mail_final_statement(
        &self,
        member_id: i64,
        closing: &str,
        payment: &str,
        amount_yen: i64,
    ) -> PortalResult<()> {
        let origin = &self.config.passkeys.origin;
        let amount = format_yen(amount_yen);
        self.notify_member(
            member_id,
            "【会員ポータル】ご利用明細確定のお知らせ / Your statement is final",
            &format!(
                "{closing}締めのご利用明細が確定しました。\nお支払い金額: {amount}（{payment} 口座振替）\n明細: {origin}/activity"
            ),
            &format!(
                "Your statement closing on {closing} is final.\nAmount due: {amount} (debited on {payment})\nStatement: {origin}/activity"
            ),
        )
        .await
    }
}
