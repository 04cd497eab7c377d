//! What the server answers and the browser shows: replies as codes, never as sentences, so each
//! screen words them in the member's language.

use serde::{Deserialize, Serialize};

use crate::activity::{FilterProblem, MemoProblem};
use crate::card::{CardNumberError, CodeError};
use crate::credentials::{PasswordProblem, UserIdError};
use crate::details::DetailProblem;
use crate::family::FamilyProblem;
use crate::otp::CodeRefusal;
use crate::passkey::{CeremonyRefusal, NameProblem};
use crate::payments::PlanProblem;
use crate::pin::PinProblem;
use crate::points::{PartnerNumberProblem, PointsProblem};

// The views of each feature live beside its rules; they are named here too, as the vocabulary the
// server functions answer in.
pub use crate::activity::{ActivityLine, ActivityPage, ActivitySummary, HolderTotal, PeriodView};
pub use crate::card::CardView;
pub use crate::credentials::RecoveredUserId;
pub use crate::details::{DetailChangeView, DetailsView, PaperlessView, PostalAddress};
pub use crate::family::{ApplicationStatus, FamilyApplicationView, Relationship};
pub use crate::otp::{CodeSent, email_hint};
pub use crate::passkey::{PasskeySignedIn, PasskeyView, SecurityView};
pub use crate::payments::{
    ChargeView, DueView, PaymentsView, PlanPreview, PlanSeen, PlanView, SpendingAnswer,
};
pub use crate::pin::{PinCardView, PinStep, PinView};
pub use crate::points::{
    PartnerView, PointsLine, PointsView, UseDone, UseKind, UseRequest, UseView,
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
    PostalCode,
    Prefecture,
    City,
    AddressLine1,
    AddressLine2,
    HomePhone,
    MobilePhone,
    EmployerName,
    EmployerPhone,
    Email,
    /// The 3-digit code on the back of the card.
    BackCode,
    Pin,
    PinConfirm,
    /// A family card applicant's name in kanji, in kana, on the card; how they are related.
    NameJa,
    NameKana,
    NameEn,
    Relationship,
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
    Detail(DetailProblem),
    Pin(PinProblem),
    Family(FamilyProblem),
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
    /// No such card among those the member manages.
    CardNotFound,
    /// The card is in the member's portal already.
    CardAlreadyAdded,
    /// A family card was applied for already for this person on this account.
    AlreadyApplied,
    /// The account has as many family card applications as one account may have.
    TooManyApplications,
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
    /// No SMS can be sent (no gateway is configured, or no mobile number is registered).
    SmsUnavailable,
    /// The card has an IC card PIN already; it cannot be registered again.
    PinAlreadyRegistered,
    /// The card has no PIN to show.
    PinNotRegistered,
    /// The front and back codes typed are not the chosen card's.
    CardCodesNotMatched,
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

    /// `map` with a step that can fail.
    pub fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Reply<U>, E> {
        Ok(match self {
            Reply::Done(value) => Reply::Done(f(value)?),
            Reply::Invalid(problems) => Reply::Invalid(problems),
            Reply::Refused(refusal) => Reply::Refused(refusal),
        })
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
    /// ISO date of today in Tokyo.
    pub today: String,
    /// Every account in the member's scope (R1), the one she holds first.
    pub accounts: Vec<AccountSummary>,
    /// Signed in with the password: the browser may offer to set up a passkey.
    pub offer_passkey: bool,
    /// Statements that became final lately, newest first.
    pub notices: Vec<StatementNotice>,
}

/// One account on the home screen: its cards and figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub account_id: i64,
    pub product_ja: String,
    pub product_en: String,
    /// The cards of the account the member sees (all of them if she holds it, else her own).
    pub cards: Vec<CardView>,
    /// Everything used this calendar month (Tokyo), pending included.
    pub month_spending_yen: i64,
    pub next_statement: Option<NextStatement>,
    /// The account's points balance; `None` for a family member (points are the holder's).
    pub points: Option<i64>,
    /// How the account's statements come; `None` for a family member.
    pub paperless: Option<PaperlessView>,
}

/// A statement became final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementNotice {
    /// ISO dates.
    pub closing_date: String,
    pub payment_date: String,
    pub amount_yen: i64,
}
