//! What the server answers and the browser shows: replies as codes, never as sentences, so each
//! screen words them in the member's language.

use serde::{Deserialize, Serialize};

use crate::activity::{FilterProblem, LineStatus, MemoProblem, Sum};
use crate::card::{CardNumberError, CodeError};
use crate::credentials::{PasswordProblem, UserIdError};
use crate::otp::CodeRefusal;
use crate::passkey::{CeremonyRefusal, NameProblem};
use crate::payments::{Due, PlanChoice, PlanKind, PlanProblem, PlanTerms};
use crate::points::{
    BillRate, Partner, PartnerNumberProblem, PointsProblem, Ratio, TransferStatus,
};

/// A form field a problem belongs to; the screen puts the message next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    CardNumber,
    FrontCode,
    BirthDate,
    UserId,
    Password,
    PasswordConfirm,
    Code,
    PasskeyName,
    Memo,
    Category,
    /// The charges chosen for a payment plan.
    Charges,
    /// The revolving course or the number of instalments.
    Plan,
    /// A yen amount typed by the member.
    Amount,
    Points,
    PartnerNumber,
    Item,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    CardNumber(CardNumberError),
    Code(CodeError),
    BirthDateInvalid,
    UserId(UserIdError),
    Password(PasswordProblem),
    PasswordMismatch,
    OneTimeCodeFormat,
    PasskeyName(NameProblem),
    Memo(MemoProblem),
    UnknownCategory,
    Plan(PlanProblem),
    /// Not a whole number of yen above zero (or above the largest amount checked).
    AmountInvalid,
    Points(PointsProblem),
    PartnerNumber(PartnerNumberProblem),
    UnknownItem,
}

/// Why a well-formed request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// Card number, front code and date of birth do not match one card.
    CardNotMatched,
    /// The card already has an online account.
    AlreadyRegistered,
    /// The card has no online account yet.
    NotRegistered,
    UserIdTaken,
    /// Wrong user ID or password; says nothing about which.
    BadCredentials {
        remaining: u32,
    },
    /// The password is locked after too many wrong entries.
    Locked,
    /// Other attempts on the same user ID or card are being checked this moment; nothing is locked.
    TryAgain,
    /// Identity checks on this card are stopped after too many wrong ones, right answers too, until
    /// `until` (Unix seconds).
    IdentityLocked {
        until: i64,
    },
    RateLimited {
        retry_after_secs: u64,
    },
    /// The registration or recovery steps timed out or were never started here.
    FlowExpired,
    Code(CodeRefusal),
    ResendWait {
        secs: i64,
    },
    /// Too many codes were requested for this recovery; start again.
    TooManyResends,
    SignedOut,
    /// The issuer holds the account: no way of signing in works until the hold is lifted.
    Held,
    /// Changing sign-in settings needs the password or a one-time code again first.
    ConfirmationNeeded,
    Passkey(PasskeyRefusal),
    /// The activity filter cannot be read.
    Filter(FilterProblem),
    /// No such line among the member's own.
    LineNotFound,
    /// Only the account holder (the main card member) manages payments and points.
    HolderOnly,
    /// The charge cannot be changed: already paid, in a plan, or changed a moment ago elsewhere.
    NotEligible,
    /// The payment the change concerns is fixed already.
    PastCutoff,
    NotEnoughPoints,
    /// Link a member number for this partner first.
    PartnerNotLinked,
    /// Since the fee was shown, the cut-off passed or the account changed: the change would not be
    /// what the member saw.
    PreviewChanged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasskeyRefusal {
    /// The challenge expired, was already answered, or was never issued here.
    Ceremony(CeremonyRefusal),
    /// No account has this passkey (it was removed, or belongs to another site's account).
    NotRecognised,
    /// The browser's answer did not verify (signature, origin, user verification).
    Rejected,
    /// The authenticator's counter went backwards: the key may have been copied.
    CounterRegressed,
    /// This authenticator is already registered.
    AlreadyRegistered,
    /// No such passkey among the member's own.
    NotFound,
}

/// The answer to a form: done, or what to fix, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply<T> {
    Done(T),
    Invalid(Vec<(Field, Problem)>),
    Refused(Refusal),
}

impl<T> Reply<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        match self {
            Reply::Done(value) => Reply::Done(f(value)),
            Reply::Invalid(problems) => Reply::Invalid(problems),
            Reply::Refused(refusal) => Reply::Refused(refusal),
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self, Reply::Done(_))
    }
}

/// The issuer's configured limits that screens state ("8文字以上", "10分"), so the words never
/// contradict the rules that run. Rendered into the page by the server and read back by the wasm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    pub user_id_min: usize,
    pub user_id_max: usize,
    pub password_min: usize,
    pub code_digits: u32,
    pub code_ttl_secs: i64,
    pub code_max_entries: u32,
    pub code_resend_secs: i64,
    pub confirmation_secs: i64,
}

impl Default for PolicyView {
    fn default() -> Self {
        let user_id = crate::credentials::UserIdPolicy::default();
        let password = crate::credentials::PasswordPolicy::default();
        let codes = crate::otp::CodePolicy::default();
        Self {
            user_id_min: user_id.min_len,
            user_id_max: user_id.max_len,
            password_min: password.min_len,
            code_digits: codes.digits,
            code_ttl_secs: codes.ttl_secs,
            code_max_entries: codes.max_wrong,
            code_resend_secs: codes.resend_after_secs,
            confirmation_secs: crate::passkey::CONFIRMATION_SECS,
        }
    }
}

impl PolicyView {
    /// Whole minutes, rounded up, for words such as "有効期限は10分".
    pub fn minutes(secs: i64) -> i64 {
        (secs + 59) / 60
    }
}

/// The signed-in member, as the page header needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub user_id: String,
    pub name_ja: String,
    pub name_en: String,
    /// The session ends after this many seconds without activity.
    pub idle_timeout_secs: i64,
    /// A warning appears this many seconds before it ends.
    pub warning_secs: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub product_ja: String,
    pub product_en: String,
    pub holder_ja: String,
    pub holder_en: String,
    pub last_digits: String,
    pub family: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStatement {
    pub amount_yen: i64,
    /// ISO date.
    pub payment_date: String,
    /// ISO date.
    pub closing_date: String,
    /// Closed and final; otherwise the amount so far of the open period.
    pub is_final: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeView {
    pub name_ja: String,
    pub name_en: String,
    pub cards: Vec<CardView>,
    /// Everything used this calendar month (Tokyo), pending included.
    pub month_spending_yen: i64,
    /// ISO date of today in Tokyo.
    pub today: String,
    pub next_statement: Option<NextStatement>,
    /// The account's points balance; `None` for a family member (points are the holder's).
    pub points: Option<i64>,
    /// Signed in with the password: the browser may offer to set up a passkey.
    pub offer_passkey: bool,
    /// Statements that became final lately, newest first.
    pub notices: Vec<StatementNotice>,
}

/// A statement became final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementNotice {
    /// ISO dates.
    pub closing_date: String,
    pub payment_date: String,
    pub amount_yen: i64,
}

/// One of the member's passkeys, as security settings list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: i64,
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// Backed up by its provider and usable on the member's other devices.
    pub synced: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityView {
    pub passkeys: Vec<PasskeyView>,
    /// Seconds left of the last confirmation; passkeys can be added or removed while above 0.
    pub confirmation_left_secs: i64,
    pub password_locked: bool,
    pub signed_in_with_passkey: bool,
}

/// What the browser needs after a passkey sign-in: where to go next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeySignedIn {
    /// The password is locked; the member is asked for a new one.
    pub password_locked: bool,
}

/// One line of card activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityLine {
    pub id: i64,
    /// ISO dates.
    pub used_on: String,
    pub posted_on: Option<String>,
    pub merchant: String,
    pub last_digits: String,
    pub holder_ja: String,
    pub holder_en: String,
    pub amount_yen: i64,
    /// Currency code and amount in minor units, for use abroad.
    pub foreign: Option<(String, i64)>,
    pub status: LineStatus,
    pub category: String,
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub lines: Vec<ActivityLine>,
    /// Where the next page starts; none when this is the last.
    pub next: Option<String>,
}

/// A statement period the member can pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    /// ISO dates; `closing_date` is the period's key in the filter.
    pub start: String,
    pub closing_date: String,
    pub payment_date: String,
    /// The final amount of a closed statement; none for the open period, and for family members.
    pub amount_yen: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderTotal {
    pub last_digits: String,
    pub holder_ja: String,
    pub holder_en: String,
    pub family: bool,
    pub sum: Sum,
}

/// Everything around the lines: the cards and periods to filter by, and the totals of the filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySummary {
    pub cards: Vec<CardView>,
    /// The open period first, then closed statements, newest first.
    pub periods: Vec<PeriodView>,
    pub total: Sum,
    pub by_holder: Vec<HolderTotal>,
    pub by_category: Vec<(String, Sum)>,
}

/// One payment date's debit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueView {
    /// ISO date.
    pub date: String,
    pub due: Due,
    /// The amount is fixed (its cut-off has passed): changes now apply from a later payment.
    pub fixed: bool,
}

/// A posted lump-sum charge the member may move to revolving or split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeView {
    pub id: i64,
    pub used_on: String,
    pub merchant: String,
    pub last_digits: String,
    pub amount_yen: i64,
    /// The payment date of the statement it is on.
    pub statement_payment: String,
    /// The payment a change made today starts on: later than `statement_payment` after the cut-off.
    pub applies_from: String,
}

/// A charge in a payment plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    pub plan_id: i64,
    pub kind: PlanKind,
    pub merchant: String,
    pub used_on: String,
    pub amount_yen: i64,
    /// The revolving course; 0 for instalments.
    pub monthly_yen: i64,
    /// Instalments; 0 for revolving.
    pub payments: u8,
    pub first_payment: String,
    /// The last day it can be undone; none once its first payment is fixed.
    pub undo_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsView {
    /// Payment dates from today on.
    pub coming: Vec<DueView>,
    /// Past payment dates, newest first.
    pub history: Vec<DueView>,
    pub plans: Vec<PlanView>,
    pub eligible: Vec<ChargeView>,
    pub terms: PlanTerms,
    pub today: String,
}

/// What a change would do (or did): each payment it alters, by how much, and its total fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPreview {
    pub choice: PlanChoice,
    pub amount_yen: i64,
    pub statement_payment: String,
    pub applies_from: String,
    pub changes: Vec<DueView>,
    pub fee_total_yen: i64,
    /// Made, not only shown.
    pub confirmed: bool,
}

/// What the member saw before confirming a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSeen {
    pub applies_from: String,
    pub fee_total_yen: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingAnswer {
    pub amount_yen: i64,
    pub approved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsLine {
    /// Unix seconds.
    pub at: i64,
    pub delta: i64,
    /// earn, reverse, bonus, use, return, expire.
    pub kind: String,
    /// The merchant for earned and reversed points, the use for the rest.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerView {
    pub partner: Partner,
    /// The linked member number, all but the last 4 digits hidden.
    pub number: Option<String>,
    pub ratio: Ratio,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UseKind {
    Bill {
        credit_yen: i64,
        payment_date: String,
    },
    Item {
        code: String,
    },
    Transfer {
        partner: Partner,
        units: i64,
        status: TransferStatus,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseView {
    pub id: i64,
    pub points: i64,
    pub kind: UseKind,
    /// Unix seconds.
    pub created_at: i64,
    pub settled_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsView {
    pub balance: i64,
    /// (ISO expiry date, points), soonest first.
    pub expiring: Vec<(String, i64)>,
    pub expiry_months: u16,
    pub history: Vec<PointsLine>,
    pub partners: Vec<PartnerView>,
    pub uses: Vec<UseView>,
    pub bill: BillRate,
    /// The payment date a bill credit made now goes to.
    pub credit_payment: String,
}

/// A use of points, as the browser asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UseRequest {
    Bill { points: i64 },
    Item { code: String },
    Transfer { partner: Partner, points: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseDone {
    pub use_id: i64,
    /// The same request arrived before (a double click): nothing more was taken.
    pub repeated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveredUserId {
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    /// The registered address with most of it hidden: `k***@example.jp`.
    pub email_hint: String,
    pub resend_wait_secs: i64,
}

/// `ke***@example.jp`: enough for the member to recognise the address, not enough to harvest it.
pub fn email_hint(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let shown: String = local.chars().take(2).collect();
            format!("{shown}***@{domain}")
        }
        None => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_hints_hide_the_local_part() {
        assert_eq!(email_hint("ken.sato@example.jp"), "ke***@example.jp");
        assert_eq!(email_hint("k@example.jp"), "k***@example.jp");
        assert_eq!(email_hint("broken"), "***");
    }
}
