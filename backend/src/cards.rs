//! Freezing a card (C7): at once, by the card's holder or the account's main member, with no
//! confirmation, so a member who mislaid a card stops it in one tap; unfreezing needs a fresh
//! confirmation, as it opens the card to spending again. Each change is audited and mailed to the
//! card's holder (and to the main member when they made it for a family card).

use portal_domain::api::{Refusal, Reply};
use portal_domain::card::{CardNumber, CardView};

use crate::identity::IdentityForm;
use crate::store::cards::CardRow;
use crate::{Client, NOT_YOU_EN, NOT_YOU_JA, Portal, PortalResult, SessionUser};

impl Portal {
    /// The cards the member may freeze: every card of the account for the main member, her own for
    /// a family member.
    pub async fn cards(&self, user: &SessionUser) -> PortalResult<Vec<CardView>> {
        Ok(self
            .db
            .visible_cards(user.member_id)
            .await?
            .iter()
            .map(CardRow::view)
            .collect())
    }

    async fn own_card(
        &self,
        user: &SessionUser,
        last_digits: &str,
    ) -> PortalResult<Option<CardRow>> {
        Ok(self
            .db
            .visible_cards(user.member_id)
            .await?
            .into_iter()
            .find(|c| c.last_digits == last_digits))
    }

    pub async fn freeze_card(
        &self,
        user: &SessionUser,
        last_digits: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        self.set_frozen(user, last_digits, true, client).await
    }

    pub async fn unfreeze_card(
        &self,
        user: &SessionUser,
        last_digits: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        if !self.confirmed(user, self.now()) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        self.set_frozen(user, last_digits, false, client).await
    }

    async fn set_frozen(
        &self,
        user: &SessionUser,
        last_digits: &str,
        frozen: bool,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let Some(card) = self.own_card(user, last_digits).await? else {
            return Ok(Reply::Refused(Refusal::CardNotFound));
        };
        let now = self.now();
        if !self
            .db
            .set_card_frozen(card.card_id, frozen.then_some(now))
            .await?
        {
            return Ok(Reply::Done(()));
        }
        let (event, ja, en) = if frozen {
            ("card_frozen", "一時停止しました", "was frozen")
        } else {
            ("card_unfrozen", "一時停止を解除しました", "was unfrozen")
        };
        let card_text = format!("card …{}", card.last_digits);
        self.audit(client, event, Some(user.online_user_id), None, &card_text)
            .await;
        let subject = if frozen {
            "【会員ポータル】カード一時停止のお知らせ / Your card was frozen"
        } else {
            "【会員ポータル】カード一時停止解除のお知らせ / Your card was unfrozen"
        };
        let body_ja = format!("カード（下5桁 {}）を{ja}。\n{NOT_YOU_JA}", card.last_digits);
        let body_en = format!("Your card ending {} {en}.\n{NOT_YOU_EN}", card.last_digits);
        self.notify_member(card.member_id, subject, &body_ja, &body_en)
            .await?;
        if card.member_id != user.member_id {
            self.notify_member(user.member_id, subject, &body_ja, &body_en)
                .await?;
        }
        Ok(Reply::Done(()))
    }

    /// Brings a card of another account the member holds into her portal (R1), after the same
    /// identity check as registration, under the same lock: the card must be her own. Its account
    /// then shows on home, and activity, payments and points can switch to it.
    pub async fn add_card(
        &self,
        user: &SessionUser,
        form: IdentityForm<'_>,
        client: &Client,
    ) -> PortalResult<Reply<CardView>> {
        let proven = match self.check_identity(form, client).await? {
            Ok(proven) => proven,
            Err(failure) => return Ok(failure.into_reply()),
        };
        // Someone else's card, even with its right codes, says no more than a wrong code does.
        if proven.member_id != user.member_id {
            self.audit(
                client,
                "card_add_refused",
                Some(user.online_user_id),
                None,
                "",
            )
            .await;
            return Ok(Reply::Refused(Refusal::CardNotMatched));
        }
        let now = self.now();
        if !self
            .db
            .add_online_card(user.member_id, proven.card_id, now)
            .await?
        {
            return Ok(Reply::Refused(Refusal::CardAlreadyAdded));
        }
        let Some(card) = self
            .db
            .visible_cards(user.member_id)
            .await?
            .into_iter()
            .find(|c| c.card_id == proven.card_id)
        else {
            return Ok(Reply::Refused(Refusal::CardNotFound));
        };
        let card_text = format!("card …{}", card.last_digits);
        self.audit(
            client,
            "card_added",
            Some(user.online_user_id),
            None,
            &card_text,
        )
        .await;
        self.notify_member(
            user.member_id,
            "【会員ポータル】カード追加のお知らせ / A card was added",
            &format!(
                "{}（下5桁 {}）を会員ポータルに追加しました。\n{NOT_YOU_JA}",
                card.product_ja, card.last_digits
            ),
            &format!(
                "Your {} ending {} was added to your member portal.\n{NOT_YOU_EN}",
                card.product_en, card.last_digits
            ),
        )
        .await?;
        Ok(Reply::Done(card.view()))
    }

    /// For the issuer's side (the transaction feed declines authorisations on a frozen card):
    /// whether the card with this number is frozen, `None` for a number the portal does not know.
    pub async fn card_is_frozen(&self, number: &CardNumber) -> PortalResult<Option<bool>> {
        Ok(self
            .db
            .card_frozen_by_number_mac(&self.keys.card_number_mac(number))
            .await?)
    }
}
