//! Registered details (登録情報の変更, C3): the address (filled from the postal code), phones and
//! employer, and a new e-mail address or mobile number, which takes effect only once the code sent
//! to it is entered. Every change needs a fresh confirmation, is kept in the member's history with
//! its old and new value, is audited, and is mailed to the member (a new e-mail address: to the old
//! one too).

use portal_domain::api::{CodeSent, DetailsView, Field, PostalAddress, Problem, Refusal, Reply};
use portal_domain::details::{
    Address, DetailItem, DetailProblem, is_prefecture, parse_email, parse_mobile, parse_phone,
    parse_postal_code, parse_text, phone_hint,
};
use portal_domain::otp::email_hint;
use portal_domain::passkey::confirmation_left;
use portal_domain::period::tokyo_date;

use crate::crypto::token_hash;
use crate::store::details::{NewDetail, TextItem};
use crate::{Client, NOT_YOU_EN, NOT_YOU_JA, Portal, PortalResult, SessionUser};

/// Changes the history shows.
const HISTORY_SHOWN: i64 = 50;
/// Codes sent to new addresses and numbers per member and Tokyo day: sending codes to addresses the
/// portal does not know must not become a way to flood someone else's inbox or phone.
const CONTACT_CODES_PER_DAY: i64 = 10;

/// The address form as posted.
pub struct AddressForm<'a> {
    pub postal_code: &'a str,
    pub prefecture: &'a str,
    pub city: &'a str,
    pub line1: &'a str,
    pub line2: &'a str,
}

/// Home phone and employer, as posted; each may be left empty.
pub struct PhonesForm<'a> {
    pub home_phone: &'a str,
    pub employer_name: &'a str,
    pub employer_phone: &'a str,
}

/// A way of reaching the member that changes only after a code sent to the new one is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    Email,
    Mobile,
}

impl Contact {
    fn purpose(self) -> &'static str {
        match self {
            Contact::Email => "email_change",
            Contact::Mobile => "mobile_change",
        }
    }

    fn field(self) -> Field {
        match self {
            Contact::Email => Field::Email,
            Contact::Mobile => Field::MobilePhone,
        }
    }

    fn item(self) -> TextItem {
        match self {
            Contact::Email => TextItem::Email,
            Contact::Mobile => TextItem::MobilePhone,
        }
    }

    fn parse(self, typed: &str) -> Result<String, DetailProblem> {
        match self {
            Contact::Email => parse_email(typed),
            Contact::Mobile => parse_mobile(typed),
        }
    }

    fn hint(self, value: &str) -> String {
        match self {
            Contact::Email => email_hint(value),
            Contact::Mobile => phone_hint(value),
        }
    }
}

type Problems = Vec<(Field, Problem)>;

fn checked(problems: &mut Problems, field: Field, parsed: Result<String, DetailProblem>) -> String {
    parsed.unwrap_or_else(|problem| {
        problems.push((field, Problem::Detail(problem)));
        String::new()
    })
}

fn required(problems: &mut Problems, field: Field, value: &str) {
    if value.is_empty() && !problems.iter().any(|(f, _)| *f == field) {
        problems.push((field, Problem::Required));
    }
}

impl Portal {
    fn contact_flow_hash(user: &SessionUser, contact: Contact) -> String {
        token_hash(&format!("{}:{}", contact.purpose(), user.id_hash))
    }

    pub async fn details(&self, user: &SessionUser) -> PortalResult<Option<DetailsView>> {
        let Some(d) = self.db.member_details(user.member_id).await? else {
            return Ok(None);
        };
        let mut pending = [None, None];
        for (slot, contact) in pending.iter_mut().zip([Contact::Email, Contact::Mobile]) {
            let flow_hash = Self::contact_flow_hash(user, contact);
            *slot = self
                .live_flow(&flow_hash, contact.purpose())
                .await?
                .and_then(|f| f.pending_value);
        }
        let [pending_email, pending_mobile] = pending;
        Ok(Some(DetailsView {
            address: d.address(),
            name_ja: d.name_ja,
            name_kana: d.name_kana,
            name_en: d.name_en,
            home_phone: d.home_phone,
            mobile_phone: d.mobile_phone,
            employer_name: d.employer_name,
            employer_phone: d.employer_phone,
            email: d.email,
            pending_email,
            pending_mobile,
            confirmation_left_secs: confirmation_left(
                user.confirmed_at,
                self.now(),
                self.config.passkeys.confirmation_secs,
            ),
            history: self
                .db
                .detail_history(user.member_id, HISTORY_SHOWN)
                .await?,
            paperless: self.paperless(user).await?,
        }))
    }

    /// The prefecture, city and town of a postal code, `None` when Japan Post's data has no such
    /// code (or was not loaded).
    pub fn find_address(&self, postal_code: &str) -> Reply<Option<PostalAddress>> {
        match parse_postal_code(postal_code) {
            Ok(digits) => Reply::Done(self.postal.find(&digits)),
            Err(_) if postal_code.trim().is_empty() => {
                Reply::Invalid(vec![(Field::PostalCode, Problem::Required)])
            }
            Err(problem) => Reply::Invalid(vec![(Field::PostalCode, Problem::Detail(problem))]),
        }
    }

    pub async fn change_address(
        &self,
        user: &SessionUser,
        form: AddressForm<'_>,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let mut problems = Problems::new();
        let postal_code = checked(
            &mut problems,
            Field::PostalCode,
            if form.postal_code.trim().is_empty() {
                Ok(String::new())
            } else {
                parse_postal_code(form.postal_code)
            },
        );
        let prefecture = form.prefecture.trim().to_string();
        if !prefecture.is_empty() && !is_prefecture(&prefecture) {
            problems.push((
                Field::Prefecture,
                Problem::Detail(DetailProblem::UnknownPrefecture),
            ));
        }
        let address = Address {
            city: checked(&mut problems, Field::City, parse_text(form.city)),
            line1: checked(&mut problems, Field::AddressLine1, parse_text(form.line1)),
            line2: checked(&mut problems, Field::AddressLine2, parse_text(form.line2)),
            postal_code,
            prefecture,
        };
        required(&mut problems, Field::PostalCode, &address.postal_code);
        required(&mut problems, Field::Prefecture, &address.prefecture);
        required(&mut problems, Field::City, &address.city);
        required(&mut problems, Field::AddressLine1, &address.line1);
        let known = self.postal.find(&address.postal_code);
        if problems.is_empty() && known.is_some_and(|k| k.prefecture != address.prefecture) {
            problems.push((
                Field::Prefecture,
                Problem::Detail(DetailProblem::NotThisPostalCode),
            ));
        }
        if !problems.is_empty() {
            return Ok(Reply::Invalid(problems));
        }
        self.apply_changes(user, &[NewDetail::Address(address)], client)
            .await
    }

    pub async fn change_phones(
        &self,
        user: &SessionUser,
        form: PhonesForm<'_>,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let optional_phone = |typed: &str| {
            if typed.trim().is_empty() {
                Ok(String::new())
            } else {
                parse_phone(typed)
            }
        };
        let mut problems = Problems::new();
        let values = [
            (
                TextItem::HomePhone,
                checked(
                    &mut problems,
                    Field::HomePhone,
                    optional_phone(form.home_phone),
                ),
            ),
            (
                TextItem::EmployerName,
                checked(
                    &mut problems,
                    Field::EmployerName,
                    parse_text(form.employer_name),
                ),
            ),
            (
                TextItem::EmployerPhone,
                checked(
                    &mut problems,
                    Field::EmployerPhone,
                    optional_phone(form.employer_phone),
                ),
            ),
        ];
        if !problems.is_empty() {
            return Ok(Reply::Invalid(problems));
        }
        let values: Vec<NewDetail> = values
            .into_iter()
            .map(|(item, value)| NewDetail::Text(item, value))
            .collect();
        self.apply_changes(user, &values, client).await
    }

    /// Writes what changed (with its history), audits it and tells the member which items changed.
    async fn apply_changes(
        &self,
        user: &SessionUser,
        values: &[NewDetail],
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let now = self.now();
        if !self.confirmed(user, now) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        let changed = self
            .db
            .update_details(user.member_id, user.online_user_id, now, values)
            .await?;
        if changed.is_empty() {
            return Ok(Reply::Done(()));
        }
        self.record_change(user, &changed, client).await?;
        Ok(Reply::Done(()))
    }

    async fn record_change(
        &self,
        user: &SessionUser,
        changed: &[DetailItem],
        client: &Client,
    ) -> PortalResult<()> {
        let codes: Vec<&str> = changed.iter().map(|item| item.code()).collect();
        self.audit(
            client,
            "details_changed",
            Some(user.online_user_id),
            None,
            &codes.join(","),
        )
        .await;
        let ja: Vec<&str> = changed.iter().map(|item| item.names().0).collect();
        let en: Vec<&str> = changed.iter().map(|item| item.names().1).collect();
        self.notify_member(
            user.member_id,
            "【会員ポータル】登録情報変更のお知らせ / Your registered details were changed",
            &format!(
                "登録情報（{}）が変更されました。変更の履歴は登録情報のページでご覧いただけます。\n{NOT_YOU_JA}",
                ja.join("・")
            ),
            &format!(
                "Your registered details ({}) were changed. The details page lists every change.\n{NOT_YOU_EN}",
                en.join(", ")
            ),
        )
        .await
    }

    /// Sends a code to the new address or number (again, after the resend wait); the change waits
    /// for it.
    pub async fn start_contact_change(
        &self,
        user: &SessionUser,
        contact: Contact,
        typed: &str,
        client: &Client,
    ) -> PortalResult<Reply<CodeSent>> {
        let field = contact.field();
        if typed.trim().is_empty() {
            return Ok(Reply::Invalid(vec![(field, Problem::Required)]));
        }
        let value = match contact.parse(typed) {
            Ok(value) => value,
            Err(problem) => return Ok(Reply::Invalid(vec![(field, Problem::Detail(problem))])),
        };
        let now = self.now();
        if !self.confirmed(user, now) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        if contact == Contact::Mobile && !self.sms.available() {
            return Ok(Reply::Refused(Refusal::SmsUnavailable));
        }
        let Some(current) = self.db.member_details(user.member_id).await? else {
            return Ok(Reply::Refused(Refusal::SignedOut));
        };
        let registered = match contact {
            Contact::Email => &current.email,
            Contact::Mobile => &current.mobile_phone,
        };
        if value.eq_ignore_ascii_case(registered) {
            return Ok(Reply::Invalid(vec![(
                field,
                Problem::Detail(DetailProblem::Unchanged),
            )]));
        }
        let flow_hash = Self::contact_flow_hash(user, contact);
        let flow = self.live_flow(&flow_hash, contact.purpose()).await?;
        if flow.and_then(|f| f.pending_value).as_deref() != Some(value.as_str()) {
            // Only a code not sent yet counts towards the day: a resend waits its turn anyway.
            let day_key = format!("contact_codes:{}:{}", user.member_id, tokyo_date(now));
            if self
                .db
                .take_use(&day_key, CONTACT_CODES_PER_DAY, now)
                .await?
                .is_none()
            {
                return Ok(Reply::Refused(Refusal::TooManyResends));
            }
            self.db.delete_flow(&flow_hash).await?;
            self.db
                .create_flow(
                    &flow_hash,
                    contact.purpose(),
                    user.member_id,
                    now,
                    now + self.config.flow_ttl_secs,
                )
                .await?;
            self.db.set_flow_pending_value(&flow_hash, &value).await?;
        }
        let code = match self.new_flow_code(&flow_hash).await? {
            Ok(code) => code,
            Err(refusal) => return Ok(Reply::Refused(refusal)),
        };
        match contact {
            Contact::Email => {
                self.mail_code(&value, &current.name_ja, &current.name_en, &code)
                    .await?
            }
            Contact::Mobile => self.text_code(&value, &code).await?,
        }
        self.audit(
            client,
            "code_sent",
            Some(user.online_user_id),
            None,
            contact.purpose(),
        )
        .await;
        Ok(Reply::Done(CodeSent {
            email_hint: contact.hint(&value),
            resend_wait_secs: self.config.codes.resend_after_secs,
        }))
    }

    /// The code sent to the new address or number: the change takes effect. A new e-mail address
    /// is announced to the old one as well.
    pub async fn finish_contact_change(
        &self,
        user: &SessionUser,
        contact: Contact,
        code: &str,
        client: &Client,
    ) -> PortalResult<Reply<()>> {
        let flow_hash = Self::contact_flow_hash(user, contact);
        let flow = self.live_flow(&flow_hash, contact.purpose()).await?;
        let Some(value) = flow.as_ref().and_then(|f| f.pending_value.clone()) else {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        };
        let reply = self.check_flow_code(&flow_hash, flow, code, client).await?;
        if !reply.is_done() {
            return Ok(reply);
        }
        let now = self.now();
        if !self.db.complete_flow(&flow_hash, now).await? {
            return Ok(Reply::Refused(Refusal::FlowExpired));
        }
        let Some(before) = self.db.member_details(user.member_id).await? else {
            return Ok(Reply::Refused(Refusal::SignedOut));
        };
        let changed = self
            .db
            .update_details(
                user.member_id,
                user.online_user_id,
                now,
                &[NewDetail::Text(contact.item(), value.clone())],
            )
            .await?;
        if changed.is_empty() {
            return Ok(Reply::Done(()));
        }
        self.record_change(user, &changed, client).await?;
        if contact == Contact::Email {
            self.tell_old_address(&before, &value).await;
        }
        Ok(Reply::Done(()))
    }

    /// The address mail went to until now hears where it goes from now on, so a change the member
    /// did not make does not go unnoticed.
    async fn tell_old_address(&self, before: &crate::store::details::MemberDetails, new: &str) {
        let hint = email_hint(new);
        let body = format!(
            "{} 様\n\n登録メールアドレスが {hint} に変更されました。今後のお知らせは新しいアドレスに届きます。\n{NOT_YOU_JA}\n\n\
             Dear {},\n\nYour registered e-mail address was changed to {hint}. Notices go there from now on.\n{NOT_YOU_EN}\n",
            before.name_ja, before.name_en,
        );
        if let Err(e) = self
            .mailer
            .send(
                &self.db,
                &before.email,
                "【会員ポータル】メールアドレス変更のお知らせ / Your e-mail address was changed",
                &body,
                self.now(),
            )
            .await
        {
            tracing::error!(error = %e, "notice to the old address not sent");
        }
    }
}
