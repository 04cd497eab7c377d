//! Membership Rewards points (D9): earning and reversal, expiry, using points against the bill, for
//! catalog items, and transfers to partner programs with their member-number formats and states.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

/// Points a posted line earns: 1 for every full 100 yen. Credits earn nothing.
pub fn earned_for(amount_yen: i64) -> i64 {
    if amount_yen > 0 { amount_yen / 100 } else { 0 }
}

/// Points a refund of `refund_yen` (a credit, negative) takes back: what the same amount earned,
/// but never more than the balance, which never goes below zero.
pub fn reversal_for(refund_yen: i64, balance: i64) -> i64 {
    (refund_yen.unsigned_abs() as i64 / 100).min(balance.max(0))
}

/// When points earned on `earned_on` expire: `months` later, on the same day or the month's last.
pub fn expires_on(earned_on: Date, months: u16) -> Date {
    let total = i32::from(u8::from(earned_on.month())) - 1 + i32::from(months);
    let year = earned_on.year() + total.div_euclid(12);
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::December);
    let day = earned_on.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

/// Points earned on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lot {
    pub earned_on: Date,
    pub points: i64,
}

/// What expiry means for an account today.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expiry {
    /// Points whose date has come and that were not used: to be taken off now.
    pub due_now: i64,
    /// Points that expire within the warning window: (expiry date, points), soonest first.
    pub soon: Vec<(Date, i64)>,
}

/// Uses spend the oldest points first, so expiry takes what is left of the oldest lots. `used` is
/// every point ever taken off (uses, reversals, earlier expiries).
pub fn expiry(lots: &[Lot], used: i64, today: Date, months: u16, warn_days: i64) -> Expiry {
    let mut lots = lots.to_vec();
    lots.sort_by_key(|l| l.earned_on);
    let mut used = used.max(0);
    let mut out = Expiry::default();
    for lot in lots {
        let left = lot.points - used.min(lot.points);
        used -= used.min(lot.points);
        if left <= 0 {
            continue;
        }
        let date = expires_on(lot.earned_on, months);
        if date <= today {
            out.due_now += left;
        } else if date <= today + Duration::days(warn_days) {
            match out.soon.last_mut() {
                Some((d, p)) if *d == date => *p += left,
                _ => out.soon.push((date, left)),
            }
        }
    }
    out
}

/// Using points against the card bill: at least `min_points`, in steps of 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillRate {
    /// Yen credited for every 100 points.
    pub yen_per_100: i64,
    pub min_points: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointsProblem {
    /// Below the smallest amount (`min`).
    TooFew { min: i64 },
    /// Not a multiple of `step`.
    Step { step: i64 },
    /// More than the bill it would be credited to: at most `max` points.
    MoreThanBill { max: i64 },
}

/// The yen credited for `points`, or why that many points cannot be used.
pub fn bill_credit(rate: &BillRate, points: i64) -> Result<i64, PointsProblem> {
    if points < rate.min_points.max(100) {
        return Err(PointsProblem::TooFew {
            min: rate.min_points.max(100),
        });
    }
    if points % 100 != 0 {
        return Err(PointsProblem::Step { step: 100 });
    }
    Ok(points / 100 * rate.yen_per_100)
}

/// The most points that can go against a bill of `due_yen`: credits never exceed what is debited.
pub fn bill_max_points(rate: &BillRate, due_yen: i64) -> i64 {
    if rate.yen_per_100 <= 0 {
        return 0;
    }
    due_yen.max(0) / rate.yen_per_100 * 100
}

/// An item in the rewards catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogItem {
    pub code: &'static str,
    pub name_ja: &'static str,
    pub name_en: &'static str,
    pub points: i64,
}

pub const CATALOG: [CatalogItem; 4] = [
    CatalogItem {
        code: "gift-3000",
        name_ja: "百貨店ギフトカード 3,000円分",
        name_en: "Department store gift card, ¥3,000",
        points: 10_000,
    },
    CatalogItem {
        code: "cafe-1000",
        name_ja: "カフェ ギフトチケット 1,000円分",
        name_en: "Café gift ticket, ¥1,000",
        points: 3_500,
    },
    CatalogItem {
        code: "lounge-pass",
        name_ja: "空港ラウンジ 1回利用券",
        name_en: "Airport lounge pass, one visit",
        points: 6_000,
    },
    CatalogItem {
        code: "donation-1000",
        name_ja: "日本赤十字社への寄付 1,000円",
        name_en: "Donation to the Japanese Red Cross, ¥1,000",
        points: 2_000,
    },
];

pub fn catalog_item(code: &str) -> Option<&'static CatalogItem> {
    CATALOG.iter().find(|i| i.code == code)
}

/// The partner programs points can be transferred to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Partner {
    Ana,
    Jal,
    Marriott,
    Hilton,
    Delta,
}

impl Partner {
    pub const ALL: [Partner; 5] = [
        Partner::Ana,
        Partner::Jal,
        Partner::Marriott,
        Partner::Hilton,
        Partner::Delta,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Partner::Ana => "ana",
            Partner::Jal => "jal",
            Partner::Marriott => "marriott",
            Partner::Hilton => "hilton",
            Partner::Delta => "delta",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The program's name and what it calls its member number and its units, (ja, en).
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Partner::Ana => ("ANAマイレージクラブ", "ANA Mileage Club"),
            Partner::Jal => ("JALマイレージバンク", "JAL Mileage Bank"),
            Partner::Marriott => ("マリオット ボンヴォイ", "Marriott Bonvoy"),
            Partner::Hilton => ("ヒルトン・オナーズ", "Hilton Honors"),
            Partner::Delta => ("デルタ航空 スカイマイル", "Delta SkyMiles"),
        }
    }

    pub fn unit_names(self) -> (&'static str, &'static str) {
        match self {
            Partner::Ana | Partner::Jal | Partner::Delta => ("マイル", "miles"),
            Partner::Marriott | Partner::Hilton => ("ポイント", "points"),
        }
    }

    /// Digits in the program's member number.
    pub fn number_digits(self) -> usize {
        match self {
            Partner::Ana | Partner::Delta => 10,
            Partner::Jal | Partner::Marriott | Partner::Hilton => 9,
        }
    }

    /// The member number in its stored form (half-width digits, no spaces or hyphens), or why not.
    pub fn check_number(self, raw: &str) -> Result<String, PartnerNumberProblem> {
        let digits = crate::card::digits_only(raw, &[' ', '　', '-', '－', 'ー'])
            .ok_or(PartnerNumberProblem::NotDigits)?;
        if digits.is_empty() {
            return Err(PartnerNumberProblem::Empty);
        }
        if digits.len() != self.number_digits() {
            return Err(PartnerNumberProblem::Length {
                digits: self.number_digits() as u8,
            });
        }
        Ok(digits)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnerNumberProblem {
    Empty,
    NotDigits,
    Length { digits: u8 },
}

/// How many points buy how many of a partner's units: `points` → `units`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub points: i64,
    pub units: i64,
}

/// The partner's units for `points`, which must be a whole number of the ratio's blocks.
pub fn transfer_units(ratio: Ratio, points: i64) -> Result<i64, PointsProblem> {
    let step = ratio.points.max(1);
    if points < step {
        return Err(PointsProblem::TooFew { min: step });
    }
    if points % step != 0 {
        return Err(PointsProblem::Step { step });
    }
    Ok(points / step * ratio.units)
}

/// Where a transfer stands. It starts requested; the partner's answer ends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferStatus {
    Requested,
    Completed,
    Failed,
}

/// What the partner said about a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerAnswer {
    Credited,
    Refused,
}

impl TransferStatus {
    pub fn code(self) -> &'static str {
        match self {
            TransferStatus::Requested => "requested",
            TransferStatus::Completed => "completed",
            TransferStatus::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "requested" => Some(TransferStatus::Requested),
            "completed" => Some(TransferStatus::Completed),
            "failed" => Some(TransferStatus::Failed),
            _ => None,
        }
    }

    /// The state after the partner's answer; `None` when the transfer has already ended, so an
    /// answer counts once.
    pub fn answered(self, answer: PartnerAnswer) -> Option<TransferStatus> {
        match (self, answer) {
            (TransferStatus::Requested, PartnerAnswer::Credited) => Some(TransferStatus::Completed),
            (TransferStatus::Requested, PartnerAnswer::Refused) => Some(TransferStatus::Failed),
            _ => None,
        }
    }

    /// Whether reaching this state gives the points back.
    pub fn returns_points(self) -> bool {
        self == TransferStatus::Failed
    }
}

// What the screens are sent.

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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn one_point_per_full_hundred_yen() {
        assert_eq!(earned_for(99), 0);
        assert_eq!(earned_for(100), 1);
        assert_eq!(earned_for(12_399), 123);
        assert_eq!(earned_for(-5_000), 0);
    }

    #[test]
    fn refunds_take_back_what_was_earned_but_never_below_zero() {
        assert_eq!(reversal_for(-12_399, 1_000), 123);
        assert_eq!(reversal_for(-12_399, 50), 50);
        assert_eq!(reversal_for(-12_399, 0), 0);
        assert_eq!(reversal_for(-50, 10), 0);
    }

    #[test]
    fn expiry_dates_follow_month_ends_and_leap_days() {
        assert_eq!(expires_on(date!(2026 - 11 - 23), 36), date!(2029 - 11 - 23));
        assert_eq!(expires_on(date!(2028 - 02 - 29), 12), date!(2029 - 02 - 28));
        assert_eq!(expires_on(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(expires_on(date!(2026 - 12 - 15), 1), date!(2027 - 01 - 15));
    }

    #[test]
    fn uses_spend_the_oldest_points_so_expiry_takes_what_is_left_of_them() {
        let lots = [
            Lot {
                earned_on: date!(2023 - 10 - 01),
                points: 1_000,
            },
            Lot {
                earned_on: date!(2024 - 01 - 10),
                points: 500,
            },
            Lot {
                earned_on: date!(2026 - 01 - 10),
                points: 700,
            },
        ];
        let e = expiry(&lots, 600, date!(2026 - 11 - 23), 36, 90);
        assert_eq!(e.due_now, 400, "1,000 earned, 600 used");
        assert_eq!(e.soon, vec![(date!(2027 - 01 - 10), 500)]);
        let all_used = expiry(&lots, 2_200, date!(2026 - 11 - 23), 36, 90);
        assert_eq!(all_used, Expiry::default());
    }

    #[test]
    fn bill_credits_need_a_minimum_and_steps_of_100() {
        let rate = BillRate {
            yen_per_100: 50,
            min_points: 1_000,
        };
        assert_eq!(bill_credit(&rate, 3_000), Ok(1_500));
        assert_eq!(
            bill_credit(&rate, 900),
            Err(PointsProblem::TooFew { min: 1_000 })
        );
        assert_eq!(
            bill_credit(&rate, 1_050),
            Err(PointsProblem::Step { step: 100 })
        );
        assert_eq!(
            bill_max_points(&rate, 1_275),
            2_500,
            "¥1,250 of a ¥1,275 bill"
        );
        assert_eq!(bill_max_points(&rate, -10), 0);
    }

    #[test]
    fn partner_numbers_have_the_programs_length() {
        assert_eq!(
            Partner::Ana.check_number("１２３４ ５６７８９０"),
            Ok("1234567890".into())
        );
        assert_eq!(
            Partner::Ana.check_number("123456789"),
            Err(PartnerNumberProblem::Length { digits: 10 })
        );
        assert_eq!(
            Partner::Jal.check_number("123-456-789"),
            Ok("123456789".into())
        );
        assert_eq!(
            Partner::Hilton.check_number("12345678a"),
            Err(PartnerNumberProblem::NotDigits)
        );
        assert_eq!(
            Partner::Delta.check_number(" "),
            Err(PartnerNumberProblem::Empty)
        );
        for p in Partner::ALL {
            assert_eq!(Partner::from_code(p.code()), Some(p));
        }
    }

    #[test]
    fn transfers_move_in_whole_blocks_of_the_ratio() {
        let ana = Ratio {
            points: 1_000,
            units: 1_000,
        };
        let hilton = Ratio {
            points: 1_000,
            units: 500,
        };
        assert_eq!(transfer_units(ana, 3_000), Ok(3_000));
        assert_eq!(transfer_units(hilton, 2_000), Ok(1_000));
        assert_eq!(
            transfer_units(ana, 1_500),
            Err(PointsProblem::Step { step: 1_000 })
        );
        assert_eq!(
            transfer_units(ana, 0),
            Err(PointsProblem::TooFew { min: 1_000 })
        );
    }

    #[test]
    fn a_transfer_ends_once_and_only_a_failure_returns_points() {
        use PartnerAnswer::*;
        use TransferStatus::*;
        assert_eq!(Requested.answered(Credited), Some(Completed));
        assert_eq!(Requested.answered(Refused), Some(Failed));
        assert_eq!(Completed.answered(Refused), None);
        assert_eq!(Failed.answered(Credited), None);
        assert!(Failed.returns_points());
        assert!(!Completed.returns_points());
        for s in [Requested, Completed, Failed] {
            assert_eq!(TransferStatus::from_code(s.code()), Some(s));
        }
    }
}
