//! Family card applications (家族カードの追加, C3): the account's main member applies online for a
//! spouse, parent or adult child, after a fresh confirmation; the application is received, then
//! issued by the issuer, when the new card joins the account and its holder can register online.
//! In demo mode the portal plays the issuer: it issues each application after a short delay and
//! "posts" the card to the outbox (channel `post`), the demo's stand-in for the letter it comes in.

use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::card::{BACK_CODE_LEN, CardNumber, FRONT_CODE_LEN, with_check_digit};
use portal_domain::details::parse_email;
use portal_domain::family::{
    ApplicationStatus, FamilyApplicationView, FamilyProblem, MAX_PER_ACCOUNT, Relationship,
    parse_birth_date, parse_kana, parse_latin, parse_name,
};
use portal_domain::period::{iso_date, tokyo_date};

use crate::crypto::random_code;
use crate::store::family::{ApplicationRow, Applied, IssuedCard, NewApplication};
use crate::{Client, NOT_YOU_EN, NOT_YOU_JA, Portal, PortalResult, SessionUser};

/// The application form as typed.
pub struct FamilyForm<'a> {
    pub name_ja: &'a str,
    pub name_kana: &'a str,
    pub name_en: &'a str,
    pub relationship: &'a str,
    pub birth_date: &'a str,
    pub email: &'a str,
}

/// The form once every field is read.
struct Applicant {
    name_ja: String,
    name_kana: String,
    name_en: String,
    relationship: Relationship,
    birth_date: String,
    email: String,
}

/// How many fresh numbers the demo issuer tries before giving up on a collision.
const NUMBER_TRIES: usize = 5;

fn view(row: &ApplicationRow) -> Option<FamilyApplicationView> {
    Some(FamilyApplicationView {
        name_ja: row.name_ja.clone(),
        name_kana: row.name_kana.clone(),
        relationship: Relationship::from_code(&row.relationship)?,
        applied_on: iso_date(tokyo_date(row.received_at)),
        status: ApplicationStatus::from_code(&row.status)?,
        last_digits: row.last_digits.clone(),
    })
}

impl Portal {
    /// The applications of the account the member holds (`wanted`, else the first), newest first.
    pub async fn family_applications(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
    ) -> PortalResult<Reply<Vec<FamilyApplicationView>>> {
        let Some(account_id) = self.held_account(user, wanted).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let rows = self.db.family_applications(account_id).await?;
        Ok(Reply::Done(rows.iter().filter_map(view).collect()))
    }

    fn read_applicant(&self, form: &FamilyForm<'_>) -> Result<Applicant, Vec<(Field, Problem)>> {
        let mut problems = Vec::new();
        let mut check =
            |field: Field, typed: &str, rule: &dyn Fn(&str) -> Result<String, Problem>| {
                if typed.trim().is_empty() {
                    problems.push((field, Problem::Required));
                    return String::new();
                }
                rule(typed).unwrap_or_else(|problem| {
                    problems.push((field, problem));
                    String::new()
                })
            };
        let family = |rule: fn(&str) -> Result<String, FamilyProblem>| {
            move |typed: &str| rule(typed).map_err(Problem::Family)
        };
        let today = tokyo_date(self.now());
        let name_ja = check(Field::NameJa, form.name_ja, &family(parse_name));
        let name_kana = check(Field::NameKana, form.name_kana, &family(parse_kana));
        let name_en = check(Field::NameEn, form.name_en, &family(parse_latin));
        let birth_date = check(Field::BirthDate, form.birth_date, &|typed| {
            parse_birth_date(typed, today)
                .map(iso_date)
                .map_err(Problem::Family)
        });
        let email = check(Field::Email, form.email, &|typed| {
            parse_email(typed).map_err(Problem::Detail)
        });
        let relationship = Relationship::from_code(form.relationship.trim());
        if relationship.is_none() {
            let problem = if form.relationship.trim().is_empty() {
                Problem::Required
            } else {
                Problem::Family(FamilyProblem::UnknownRelationship)
            };
            problems.push((Field::Relationship, problem));
        }
        match relationship {
            Some(relationship) if problems.is_empty() => Ok(Applicant {
                name_ja,
                name_kana,
                name_en,
                relationship,
                birth_date,
                email,
            }),
            _ => Err(problems),
        }
    }

    /// Applies for a family card on the account the member holds, after a fresh confirmation;
    /// audited and mailed. One application per person (kana name and birth date) and account, and
    /// at most `MAX_PER_ACCOUNT` per account.
    pub async fn apply_family_card(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        form: FamilyForm<'_>,
        client: &Client,
    ) -> PortalResult<Reply<FamilyApplicationView>> {
        let Some(account_id) = self.held_account(user, wanted).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let applicant = match self.read_applicant(&form) {
            Ok(applicant) => applicant,
            Err(problems) => return Ok(Reply::Invalid(problems)),
        };
        let now = self.now();
        if !self.confirmed(user, now) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        let application = NewApplication {
            account_id,
            applied_by: user.member_id,
            name_ja: &applicant.name_ja,
            name_kana: &applicant.name_kana,
            name_en: &applicant.name_en,
            relationship: applicant.relationship.code(),
            birth_date: &applicant.birth_date,
            email: &applicant.email,
        };
        match self
            .db
            .insert_family_application(&application, MAX_PER_ACCOUNT, now)
            .await?
        {
            Applied::Received(_) => {}
            Applied::Duplicate => return Ok(Reply::Refused(Refusal::AlreadyApplied)),
            Applied::Full => return Ok(Reply::Refused(Refusal::TooManyApplications)),
        }
        self.audit(
            client,
            "family_card_applied",
            Some(user.online_user_id),
            None,
            applicant.relationship.code(),
        )
        .await;
        let (relation_ja, relation_en) = applicant.relationship.names();
        self.notify_member(
            user.member_id,
            "【会員ポータル】家族カードお申し込み受付のお知らせ / Family card application received",
            &format!(
                "{}様（{relation_ja}）の家族カードのお申し込みを受け付けました。発行後、カードをご自宅にお送りします。\n{NOT_YOU_JA}",
                applicant.name_ja
            ),
            &format!(
                "We received your application for a family card for {} ({relation_en}). Once it is issued, the card is posted to your home.\n{NOT_YOU_EN}",
                applicant.name_en
            ),
        )
        .await?;
        Ok(Reply::Done(FamilyApplicationView {
            name_ja: applicant.name_ja,
            name_kana: applicant.name_kana,
            relationship: applicant.relationship,
            applied_on: iso_date(tokyo_date(now)),
            status: ApplicationStatus::Received,
            last_digits: None,
        }))
    }

    /// The issuer's side: the card made for an application joins the account, its holder becomes a
    /// member who can register online, and the main member and the holder are told. False when the
    /// application was issued already.
    pub async fn issue_family_card(
        &self,
        application: &ApplicationRow,
        number: &CardNumber,
        front_code: &str,
        back_code: &str,
    ) -> PortalResult<bool> {
        let number_mac = self.keys.card_number_mac(number);
        let card = IssuedCard {
            number_mac: &number_mac,
            last_digits: number.last_digits(),
            front_code_mac: &self.keys.card_code_mac(&number_mac, "front", front_code),
            back_code_mac: &self.keys.card_code_mac(&number_mac, "back", back_code),
        };
        let Some(holder_id) = self
            .db
            .issue_family_card(application, &card, self.now())
            .await?
        else {
            return Ok(false);
        };
        tracing::info!(application = application.id, "family card issued");
        let last = number.last_digits();
        self.notify_member(
            application.applied_by,
            "【会員ポータル】家族カード発行のお知らせ / Your family card was issued",
            &format!(
                "{}様の家族カード（下5桁 {last}）を発行しました。カードはご自宅に郵送します。\n{NOT_YOU_JA}",
                application.name_ja
            ),
            &format!(
                "The family card for {} (ending {last}) was issued and is posted to your home.\n{NOT_YOU_EN}",
                application.name_en
            ),
        )
        .await?;
        let origin = &self.config.passkeys.origin;
        self.notify_member(
            holder_id,
            "【会員ポータル】家族カードのご案内 / Your family card",
            &format!(
                "家族カード（下5桁 {last}）を発行しました。カードが届いたら、会員ポータルでご登録いただけます: {origin}/register"
            ),
            &format!(
                "A family card (ending {last}) was issued for you. When it arrives, register it in the member portal: {origin}/register"
            ),
        )
        .await?;
        Ok(true)
    }

    /// The demo issuer: applications waiting longer than the configured delay are issued with a
    /// fresh number and codes, and the card is "posted" to the outbox.
    pub async fn issue_demo_family_cards(&self) -> PortalResult<usize> {
        if !self.config.demo {
            return Ok(0);
        }
        let now = self.now();
        let waiting = self
            .db
            .waiting_family_applications(now - self.config.demo_issue_secs)
            .await?;
        let mut issued = 0;
        for application in waiting {
            let Some(number) = self.fresh_card_number().await? else {
                tracing::warn!(application = application.id, "no free card number");
                continue;
            };
            let front = random_code(FRONT_CODE_LEN as u32);
            let back = random_code(BACK_CODE_LEN as u32);
            if !self
                .issue_family_card(&application, &number, &front, &back)
                .await?
            {
                continue;
            }
            issued += 1;
            let address = self
                .db
                .member_details(application.applied_by)
                .await?
                .map(|d| {
                    format!(
                        "〒{} {}{}{} {}",
                        portal_domain::details::format_postal_code(&d.postal_code),
                        d.prefecture,
                        d.city,
                        d.address_line1,
                        d.address_line2
                    )
                })
                .unwrap_or_default();
            let digits = number.digits();
            let body = format!(
                "（デモ：郵送の代わりにここに表示しています / Demo: shown here instead of the post）\n\
                 {} 様 / {}\n\
                 カード番号 / Card number: {} {} {}\n\
                 カード表面の4桁のコード / Front code: {front}\n\
                 カード裏面の3桁のコード / Back code: {back}\n\
                 会員ポータルでご登録ください / Register in the member portal: {}/register",
                application.name_ja,
                application.name_en,
                &digits[..4],
                &digits[4..10],
                &digits[10..],
                self.config.passkeys.origin
            );
            self.db
                .push_outbox(
                    "post",
                    &format!("{} {} 様", address.trim(), application.name_ja),
                    "家族カード送付 / Your family card",
                    &body,
                    now,
                )
                .await?;
        }
        Ok(issued)
    }

    /// A Luhn-valid number in the issuer's range that no card has yet.
    async fn fresh_card_number(&self) -> PortalResult<Option<CardNumber>> {
        for _ in 0..NUMBER_TRIES {
            let body = format!("3712{}", random_code(10));
            let Some(number) = with_check_digit(&body) else {
                continue;
            };
            let mac = self.keys.card_number_mac(&number);
            if self.db.card_holder_by_number_mac(&mac).await?.is_none() {
                return Ok(Some(number));
            }
        }
        Ok(None)
    }
}
