//! IC card PIN (ICカード暗証番号, C8), per card and once: the card's front and back codes (under
//! the card's identity-check lock), a one-time code by e-mail or SMS, then the PIN twice. It cannot
//! be changed; a member who forgot it has it shown on screen after the same checks, never by mail.
//! The PIN is sealed under its own key (`Keys::seal_pin`) and never logged.

use portal_domain::api::{CodeSent, Field, PinCardView, PinStep, PinView, Problem, Refusal, Reply};
use portal_domain::card::{BACK_CODE_LEN, CodeError, FRONT_CODE_LEN, parse_code};
use portal_domain::details::phone_hint;
use portal_domain::otp::email_hint;
use portal_domain::pin::{CodeChannel, PinProblem, check_new_pin};

use crate::crypto::{same_digest, token_hash};
use crate::store::auth::FlowRow;
use crate::store::cards::CardRow;
use crate::{Client, NOT_YOU_EN, NOT_YOU_JA, Portal, PortalResult, SessionUser};

const REGISTER: &str = "pin_register";
const REVEAL: &str = "pin_reveal";

/// What the member typed to start.
pub struct PinStart<'a> {
    /// The card's last 5 digits.
    pub card: &'a str,
    pub front_code: &'a str,
    pub back_code: &'a str,
    pub channel: CodeChannel,
    /// A forgotten PIN, to be shown, rather than a new one.
    pub reveal: bool,
}

fn code_problem(field: Field, typed: &str, len: usize) -> Result<String, (Field, Problem)> {
    parse_code(typed, len).map_err(|e| {
        let problem = if e == CodeError::Empty {
            Problem::Required
        } else {
            Problem::Code(e)
        };
        (field, problem)
    })
}

impl Portal {
    fn pin_flow_hash(user: &SessionUser, purpose: &str) -> String {
        token_hash(&format!("{purpose}:{}", user.id_hash))
    }

    /// The member's cards, her own first.
    async fn pin_cards_of(&self, user: &SessionUser) -> PortalResult<Vec<CardRow>> {
        let mut cards = self.db.visible_cards(user.member_id).await?;
        cards.sort_by_key(|c| c.member_id != user.member_id);
        Ok(cards)
    }

    /// The live flow of either purpose, with the card it is for.
    async fn pin_flow(&self, user: &SessionUser) -> PortalResult<Option<(&'static str, FlowRow)>> {
        for purpose in [REGISTER, REVEAL] {
            let hash = Self::pin_flow_hash(user, purpose);
            if let Some(flow) = self.live_flow(&hash, purpose).await? {
                return Ok(Some((purpose, flow)));
            }
        }
        Ok(None)
    }

    pub async fn pin_page(&self, user: &SessionUser) -> PortalResult<Option<PinView>> {
        let Some(me) = self.db.member_details(user.member_id).await? else {
            return Ok(None);
        };
        let cards = self.pin_cards_of(user).await?;
        let with_pin = self.db.cards_with_pin(user.member_id).await?;
        let step = self.pin_flow(user).await?.and_then(|(purpose, flow)| {
            let card_id: i64 = flow.pending_value.as_deref()?.parse().ok()?;
            let card = cards.iter().find(|c| c.card_id == card_id)?;
            Some(PinStep {
                card: card.last_digits.clone(),
                reveal: purpose == REVEAL,
                verified: flow.code_used_at.is_some(),
            })
        });
        Ok(Some(PinView {
            cards: cards
                .iter()
                .map(|c| PinCardView {
                    card: c.view(),
                    registered: with_pin.contains(&c.card_id),
                })
                .collect(),
            step,
            email_hint: email_hint(&me.email),
            mobile_hint: (self.sms.available() && !me.mobile_phone.is_empty())
                .then(|| phone_hint(&me.mobile_phone)),
        }))
    }

    /// Step 1: the card's codes, then a one-time code to the member.
    pub async fn start_pin(
        &self,
        user: &SessionUser,
        form: PinStart<'_>,
        client: &Client,
    ) -> PortalResult<Reply<CodeSent>> {
        let mut problems = Vec::new();
        let front = code_problem(Field::FrontCode, form.front_code, FRONT_CODE_LEN)
            .map_err(|p| problems.push(p))
            .ok();
        let back = code_problem(Field::BackCode, form.back_code, BACK_CODE_LEN)
            .map_err(|p| problems.push(p))
            .ok();
        let (Some(front), Some(back)) = (front, back) else {
            return Ok(Reply::Invalid(problems));
        };
        let cards = self.pin_cards_of(user).await?;
        let Some(card) = cards.iter().find(|c| c.last_digits == form.card) else {
            return Ok(Reply::Refused(Refusal::CardNotFound));
        };
        let registered = self.db.sealed_pin(card.card_id).await?.is_some();
        match (form.reveal, registered) {
            (false, true) => return Ok(Reply::Refused(Refusal::PinAlreadyRegistered)),
            (true, false) => return Ok(Reply::Refused(Refusal::PinNotRegistered)),
            _ => {}
        }
        let Some(me) = self.db.member_details(user.member_id).await? else {
            return Ok(Reply::Refused(Refusal::SignedOut));
        };
        let to_mobile = form.channel == CodeChannel::Sms;
        if to_mobile && (!self.sms.available() || me.mobile_phone.is_empty()) {
            return Ok(Reply::Refused(Refusal::SmsUnavailable));
        }
        let Some(codes) = self.db.card_codes(card.card_id).await? else {
            return Ok(Reply::Refused(Refusal::CardNotFound));
        };
        let matched = same_digest(
            &codes.front_code_mac,
            &self.keys.card_code_mac(&codes.number_mac, "front", &front),
        ) & same_digest(
            &codes.back_code_mac,
            &self.keys.card_code_mac(&codes.number_mac, "back", &back),
        );
        let card_text = format!("card …{}", card.last_digits);
        if let Err(refusal) = self
            .guarded_card_check(
                &codes.number_mac,
                &card_text,
                Some(card.member_id),
                matched,
                client,
            )
            .await?
        {
            return Ok(Reply::Refused(match refusal {
                Refusal::CardNotMatched => Refusal::CardCodesNotMatched,
                other => other,
            }));
        }
        let purpose = if form.reveal { REVEAL } else { REGISTER };
        let now = self.now();
        // One PIN flow per session: starting again (another card, the other purpose) replaces it.
        for old in [REGISTER, REVEAL] {
            self.db.delete_flow(&Self::pin_flow_hash(user, old)).await?;
        }
        let flow_hash = Self::pin_flow_hash(user, purpose);
        self.db
            .create_flow(
                &flow_hash,
                purpose,
                user.member_id,
                now,
                now + self.config.flow_ttl_secs,
            )
            .await?;
        self.db
            .set_flow_pending_value(&flow_hash, &card.card_id.to_string())
            .await?;
        let code = match self.new_flow_code(&flow_hash).await? {
            Ok(code) => code,
            Err(refusal) => return Ok(Reply::Refused(refusal)),
        };
        let sent_to = if to_mobile {
            self.text_code(&me.mobile_phone, &code).await?;
            phone_hint(&me.mobile_phone)
        } else {
            self.mail_code(&me.email, &me.name_ja, &me.name_en, &code)
                .await?;
            email_hint(&me.email)
        };
        self.audit(
            client,
            "code_sent",
            Some(user.online_user_id),
            None,
            purpose,
        )
        .await;
        Ok(Reply::Done(CodeSent {
            email_hint: sent_to,
            resend_wait_secs: self.config.codes.resend_after_secs,
        }))
    }

    /// Step 2 of a registration: the one-time code.
    pub async fn verify_pin_code(
        &self,
        user: &SessionUser,
        code: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let flow_hash = Self::pin_flow_hash(user, REGISTER);
        let flow = self.live_flow(&flow_hash, REGISTER).await?;
        self.check_flow_code(&flow_hash, flow, code, client).await
    }

    /// Step 3: the PIN twice. Registered once: a second registration, however it races, is refused.
    pub async fn register_pin(
        &self,
        user: &SessionUser,
        pin: &str,
        pin_confirm: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let flow_hash = Self::pin_flow_hash(user, REGISTER);
        let Some(flow) = self
            .live_flow(&flow_hash, REGISTER)
            .await?
            .filter(|f| f.code_used_at.is_some())
        else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let cards = self.pin_cards_of(user).await?;
        let card_id: Option<i64> = flow.pending_value.as_deref().and_then(|v| v.parse().ok());
        let Some(card) = cards.iter().find(|c| Some(c.card_id) == card_id) else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let Some(codes) = self.db.card_codes(card.card_id).await? else {
            return Ok(Reply::Refused(Refusal::CardNotFound));
        };
        let pin = match check_new_pin(pin, pin_confirm, &codes.birth_date) {
            Ok(pin) => pin,
            Err(PinProblem::Mismatch) => {
                return Ok(Reply::Invalid(vec![(
                    Field::PinConfirm,
                    Problem::Pin(PinProblem::Mismatch),
                )]));
            }
            Err(problem) => return Ok(Reply::Invalid(vec![(Field::Pin, Problem::Pin(problem))])),
        };
        let now = self.now();
        let sealed = self.keys.seal_pin(card.card_id, &pin);
        if !self
            .db
            .insert_pin(card.card_id, &sealed, user.online_user_id, now)
            .await?
        {
            return Ok(Reply::Refused(Refusal::PinAlreadyRegistered));
        }
        self.db.complete_flow(&flow_hash, now).await?;
        let card_text = format!("card …{}", card.last_digits);
        self.audit(
            client,
            "pin_registered",
            Some(user.online_user_id),
            None,
            &card_text,
        )
        .await;
        self.notify_pin(user, card, "を登録しました", "was registered")
            .await?;
        Ok(Reply::Done(()))
    }

    /// A forgotten PIN, after the card's codes and the one-time code: shown once, on this screen.
    pub async fn reveal_pin(
        &self,
        user: &SessionUser,
        code: &str,
        client: &Client,
    ) -> PortalResult<Reply<String>> {
        let flow_hash = Self::pin_flow_hash(user, REVEAL);
        let flow = self.live_flow(&flow_hash, REVEAL).await?;
        let card_id: Option<i64> = flow
            .as_ref()
            .and_then(|f| f.pending_value.as_deref())
            .and_then(|v| v.parse().ok());
        let checked = self.check_flow_code(&flow_hash, flow, code, client).await?;
        let Reply::Done(()) = checked else {
            return Ok(checked.map(|()| String::new()));
        };
        // The code is spent; completing the flow makes sure the PIN is shown once for it.
        if !self.db.complete_flow(&flow_hash, self.now()).await? {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        }
        let cards = self.pin_cards_of(user).await?;
        let Some(card) = cards.iter().find(|c| Some(c.card_id) == card_id) else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let Some(sealed) = self.db.sealed_pin(card.card_id).await? else {
            return Ok(Reply::Refused(Refusal::PinNotRegistered));
        };
        let Some(pin) = self.keys.open_pin(card.card_id, &sealed) else {
            return Err(crate::PortalError::Pin);
        };
        let card_text = format!("card …{}", card.last_digits);
        self.audit(
            client,
            "pin_revealed",
            Some(user.online_user_id),
            None,
            &card_text,
        )
        .await;
        self.notify_pin(user, card, "を画面に表示しました", "was shown on screen")
            .await?;
        Ok(Reply::Done(pin))
    }

    async fn notify_pin(
        &self,
        user: &SessionUser,
        card: &CardRow,
        ja: &str,
        en: &str,
    ) -> PortalResult<()> {
        let subject = "【会員ポータル】ICカード暗証番号のお知らせ / Your card PIN";
        let body_ja = format!(
            "カード（下5桁 {}）のICカード暗証番号{ja}。\n{NOT_YOU_JA}",
            card.last_digits
        );
        let body_en = format!(
            "The PIN of your card ending {} {en}.\n{NOT_YOU_EN}",
            card.last_digits
        );
        self.notify_member(card.member_id, subject, &body_ja, &body_en)
            .await?;
        if card.member_id != user.member_id {
            self.notify_member(user.member_id, subject, &body_ja, &body_en)
                .await?;
        }
        Ok(())
    }
}
