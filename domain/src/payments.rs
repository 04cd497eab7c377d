//! Paying statements (C1, C2, D2): pay-later revolving (あとリボ) and instalments (分割), their fees
//! on the daily balance, the cut-off before each payment date, the schedule of coming payments, and
//! the spending-power rule.
//!
//! Conventions, as the issuer states them to members:
//! - A fee is the balance × the annual rate × the days it was owed ÷ the days in that year (366 in a
//!   leap year), counted from the day after one payment date to the next, and rounded down to the yen
//!   at each payment.
//! - A plan's first payment carries no fee (the charge was due that day anyway).
//! - Instalments repay equal parts of the charge; the part that does not divide evenly is paid with
//!   the first instalment.
//! - Revolving charges share one balance; each payment repays the course amount (or what is left).

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::period::BillingCycle;

/// The numbers of payments a charge may be split into.
pub const INSTALMENT_COUNTS: [u8; 9] = [3, 5, 6, 10, 12, 15, 18, 20, 24];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanKind {
    Revolving,
    Instalments,
}

impl PlanKind {
    pub fn code(self) -> &'static str {
        match self {
            PlanKind::Revolving => "revolving",
            PlanKind::Instalments => "instalments",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "revolving" => Some(PlanKind::Revolving),
            "instalments" => Some(PlanKind::Instalments),
            _ => None,
        }
    }
}

/// The issuer's terms for changing how a charge is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanTerms {
    /// Annual fee rate in hundredths of a percent: 1500 is 15.00%.
    pub annual_rate_bp: u32,
    /// The monthly amounts a member may choose for revolving, in yen.
    pub revolving_courses: Vec<i64>,
    /// A payment's amount is fixed this many days before its payment date.
    pub cutoff_days: u8,
    /// The smallest charge that may be moved to revolving or split.
    pub min_charge_yen: i64,
}

/// The fee on `balance` yen owed from the day after `from` to `to` inclusive, rounded down.
pub fn daily_balance_fee(balance: i64, annual_rate_bp: u32, from: Date, to: Date) -> i64 {
    if balance <= 0 || to <= from {
        return 0;
    }
    // Days in common years weigh 1/365, days in leap years 1/366: one exact fraction over 365·366.
    let mut weighted_days: i128 = 0;
    let first = from + Duration::days(1);
    for year in first.year()..=to.year() {
        let start = first.max(first_of_year(year));
        let end = to.min(last_of_year(year));
        if end < start {
            continue;
        }
        let days = i128::from((end - start).whole_days() + 1);
        let other_length = if time::util::is_leap_year(year) {
            365
        } else {
            366
        };
        weighted_days += days * other_length;
    }
    let numerator = i128::from(balance) * i128::from(annual_rate_bp) * weighted_days;
    let denominator: i128 = 10_000 * 365 * 366;
    i64::try_from(numerator / denominator).unwrap_or(i64::MAX)
}

fn first_of_year(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
}

fn last_of_year(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX)
}

/// The last day on which a change still alters the payment on `payment`.
pub fn cutoff(payment: Date, cutoff_days: u8) -> Date {
    payment - Duration::days(i64::from(cutoff_days))
}

/// The payment date a change made `today` starts on: the payment of the charge's own statement
/// while its cut-off has not passed, otherwise the first later one whose cut-off has not.
pub fn first_open_payment(
    cycle: &BillingCycle,
    statement_payment: Date,
    today: Date,
    cutoff_days: u8,
) -> Date {
    let mut period = cycle.period_paid_on(statement_payment);
    while today > cutoff(period.payment, cutoff_days) {
        period = cycle.next(&period);
    }
    period.payment
}

/// What a plan asks for, before it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanChoice {
    /// Revolving with this monthly amount.
    Revolving { monthly_yen: i64 },
    /// This many instalments.
    Instalments { payments: u8 },
}

impl PlanChoice {
    pub fn kind(self) -> PlanKind {
        match self {
            PlanChoice::Revolving { .. } => PlanKind::Revolving,
            PlanChoice::Instalments { .. } => PlanKind::Instalments,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanProblem {
    /// Not one of the issuer's revolving courses.
    UnknownCourse,
    /// Not one of `INSTALMENT_COUNTS`.
    UnknownCount,
    /// No charge chosen, or more than one for instalments.
    ChooseCharges,
    /// The charge is below `min_charge_yen`.
    TooSmall,
}

/// Checks the choice against the terms and the chosen charges' amounts.
pub fn check_plan(
    terms: &PlanTerms,
    choice: PlanChoice,
    amounts: &[i64],
) -> Result<(), PlanProblem> {
    match choice {
        PlanChoice::Revolving { monthly_yen } => {
            if !terms.revolving_courses.contains(&monthly_yen) {
                return Err(PlanProblem::UnknownCourse);
            }
            if amounts.is_empty() {
                return Err(PlanProblem::ChooseCharges);
            }
        }
        PlanChoice::Instalments { payments } => {
            if !INSTALMENT_COUNTS.contains(&payments) {
                return Err(PlanProblem::UnknownCount);
            }
            if amounts.len() != 1 {
                return Err(PlanProblem::ChooseCharges);
            }
        }
    }
    if amounts.iter().any(|&a| a < terms.min_charge_yen) {
        return Err(PlanProblem::TooSmall);
    }
    Ok(())
}

/// A charge in revolving from its first payment date, with the course chosen when it was moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevolvingCharge {
    pub first_payment: Date,
    pub amount_yen: i64,
    pub monthly_yen: i64,
    /// Which change came later: the newest course in force on a date applies to the whole balance.
    pub order: i64,
}

/// A charge split into `payments` instalments from its first payment date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstalmentPlan {
    pub first_payment: Date,
    pub amount_yen: i64,
    pub payments: u8,
}

/// Everything owed, as the schedule needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owed {
    /// Lump-sum charges by payment date.
    pub lump_sums: Vec<(Date, i64)>,
    /// Credits (points used against the bill, adjustments) by payment date.
    pub credits: Vec<(Date, i64)>,
    pub revolving: Vec<RevolvingCharge>,
    pub instalments: Vec<InstalmentPlan>,
}

/// One payment date's debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Due {
    pub lump_sum_yen: i64,
    pub revolving_yen: i64,
    pub revolving_fee_yen: i64,
    pub instalment_yen: i64,
    pub instalment_fee_yen: i64,
    pub credit_yen: i64,
}

impl Due {
    /// What is debited: charges and fees less credits; negative means the issuer pays back.
    pub fn total_yen(&self) -> i64 {
        self.principal_yen() + self.fee_yen() - self.credit_yen
    }

    pub fn principal_yen(&self) -> i64 {
        self.lump_sum_yen + self.revolving_yen + self.instalment_yen
    }

    pub fn fee_yen(&self) -> i64 {
        self.revolving_fee_yen + self.instalment_fee_yen
    }

    /// `self − other`, field by field: what a change adds to a payment.
    pub fn minus(&self, other: &Due) -> Due {
        Due {
            lump_sum_yen: self.lump_sum_yen - other.lump_sum_yen,
            revolving_yen: self.revolving_yen - other.revolving_yen,
            revolving_fee_yen: self.revolving_fee_yen - other.revolving_fee_yen,
            instalment_yen: self.instalment_yen - other.instalment_yen,
            instalment_fee_yen: self.instalment_fee_yen - other.instalment_fee_yen,
            credit_yen: self.credit_yen - other.credit_yen,
        }
    }

    fn is_zero(&self) -> bool {
        *self == Due::default()
    }
}

/// A charge as billed: the payment date of its statement, its amount, and the plan it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charge {
    pub statement_payment: Date,
    pub amount_yen: i64,
    pub plan: Option<ChargePlan>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargePlan {
    pub choice: PlanChoice,
    pub first_payment: Date,
    /// Which plan was made later (the plan id; a plan not yet made comes last).
    pub order: i64,
}

/// What is owed for these charges. A plan that starts on its statement's payment takes the charge
/// out of that lump sum. A plan made after the cut-off starts a month later: the lump sum was
/// debited as billed, so the charge is credited back on the plan's first payment.
pub fn owed(charges: &[Charge], credits: Vec<(Date, i64)>) -> Owed {
    let mut out = Owed {
        credits,
        ..Owed::default()
    };
    for charge in charges {
        let Some(plan) = charge.plan else {
            out.lump_sums
                .push((charge.statement_payment, charge.amount_yen));
            continue;
        };
        if plan.first_payment != charge.statement_payment {
            out.lump_sums
                .push((charge.statement_payment, charge.amount_yen));
            out.credits.push((plan.first_payment, charge.amount_yen));
        }
        match plan.choice {
            PlanChoice::Revolving { monthly_yen } => out.revolving.push(RevolvingCharge {
                first_payment: plan.first_payment,
                amount_yen: charge.amount_yen,
                monthly_yen,
                order: plan.order,
            }),
            PlanChoice::Instalments { payments } => out.instalments.push(InstalmentPlan {
                first_payment: plan.first_payment,
                amount_yen: charge.amount_yen,
                payments,
            }),
        }
    }
    out
}

/// Longest schedule worked out: a revolving balance repaid at the smallest course may take years.
const MAX_PAYMENTS: usize = 600;

/// Every payment date from the earliest thing owed until nothing is left, with what is debited.
pub fn schedule(cycle: &BillingCycle, annual_rate_bp: u32, owed: &Owed) -> Vec<(Date, Due)> {
    let starts = owed
        .lump_sums
        .iter()
        .chain(&owed.credits)
        .map(|(d, _)| *d)
        .chain(owed.revolving.iter().map(|r| r.first_payment))
        .chain(owed.instalments.iter().map(|p| p.first_payment));
    let (Some(first), Some(last_start)) = (starts.clone().min(), starts.max()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut period = cycle.period_paid_on(first);
    let mut revolving_balance = 0i64;
    let mut previous: Option<Date> = None;
    let mut instalments: Vec<(InstalmentPlan, i64, u8)> = Vec::new();
    while out.len() < MAX_PAYMENTS {
        let date = period.payment;
        let mut due = Due {
            lump_sum_yen: sum_on(&owed.lump_sums, date),
            credit_yen: sum_on(&owed.credits, date),
            ..Due::default()
        };
        if let Some(prev) = previous {
            due.revolving_fee_yen =
                daily_balance_fee(revolving_balance, annual_rate_bp, prev, date);
        }
        revolving_balance += owed
            .revolving
            .iter()
            .filter(|r| r.first_payment == date)
            .map(|r| r.amount_yen)
            .sum::<i64>();
        // The course of the newest move in force by this date: a new course never reaches back
        // to payments already fixed.
        let course = owed
            .revolving
            .iter()
            .filter(|r| r.first_payment <= date)
            .max_by_key(|r| r.order)
            .map_or(1, |r| r.monthly_yen.max(1));
        let repaid = revolving_balance.min(course);
        due.revolving_yen = repaid;
        revolving_balance -= repaid;

        instalments.extend(
            owed.instalments
                .iter()
                .filter(|p| p.first_payment == date)
                .map(|p| (*p, p.amount_yen, 0u8)),
        );
        for (plan, balance, paid) in instalments.iter_mut() {
            if *paid >= plan.payments {
                continue;
            }
            if let Some(prev) = previous
                && *paid > 0
            {
                due.instalment_fee_yen += daily_balance_fee(*balance, annual_rate_bp, prev, date);
            }
            let part = instalment_part(plan.amount_yen, plan.payments, *paid);
            due.instalment_yen += part;
            *balance -= part;
            *paid += 1;
        }
        if !due.is_zero() {
            out.push((date, due));
        }
        let instalments_left = instalments.iter().any(|(p, _, paid)| *paid < p.payments);
        if date >= last_start && revolving_balance == 0 && !instalments_left {
            break;
        }
        previous = Some(date);
        period = cycle.next(&period);
    }
    out
}

/// The principal of instalment number `index` (from 0): equal parts, the remainder in the first.
pub fn instalment_part(amount: i64, payments: u8, index: u8) -> i64 {
    let n = i64::from(payments.max(1));
    let part = amount / n;
    if index == 0 {
        amount - part * (n - 1)
    } else {
        part
    }
}

fn sum_on(items: &[(Date, i64)], date: Date) -> i64 {
    items
        .iter()
        .filter(|(d, _)| *d == date)
        .map(|(_, y)| y)
        .sum()
}

/// What a change does to each payment: the schedule with it less the schedule without it.
pub fn difference(with: &[(Date, Due)], without: &[(Date, Due)]) -> Vec<(Date, Due)> {
    with.iter()
        .map(|(date, due)| {
            let before = without
                .iter()
                .find(|(d, _)| d == date)
                .map(|(_, d)| *d)
                .unwrap_or_default();
            (*date, due.minus(&before))
        })
        .chain(
            without
                .iter()
                .filter(|(d, _)| !with.iter().any(|(w, _)| w == d))
                .map(|(date, due)| (*date, Due::default().minus(due))),
        )
        .filter(|(_, d)| !d.is_zero())
        .collect()
}

/// The issuer's spending-power rule (D2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingRule {
    /// Share of the internal line kept, in percent, while a payment was late in the last year.
    pub late_line_pct: u8,
    /// Largest amount one check may ask about.
    pub max_amount_yen: i64,
}

/// Whether a purchase of `amount` would be approved now: it must fit, with what is still owed,
/// in the internal line (reduced after a late payment). The line itself is never shown.
pub fn approves(
    rule: &SpendingRule,
    amount: i64,
    internal_line: i64,
    owed: i64,
    late_payments: i64,
) -> bool {
    let line = if late_payments > 0 {
        internal_line * i64::from(rule.late_line_pct.min(100)) / 100
    } else {
        internal_line
    };
    amount > 0 && amount <= rule.max_amount_yen && amount + owed.max(0) <= line
}

// What the screens are sent.

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
    /// The card is frozen: nothing is approved on it.
    #[serde(default)]
    pub frozen: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const CYCLE: BillingCycle = BillingCycle {
        closing_day: 20,
        payment_day: 10,
    };

    #[test]
    fn fee_counts_days_after_the_first_date_through_the_second() {
        // 100,000 yen for 30 days at 15%: 100000 × 0.15 × 30 / 365 = 1232.87 → 1232.
        assert_eq!(
            daily_balance_fee(100_000, 1500, date!(2026 - 12 - 10), date!(2027 - 01 - 09)),
            1232
        );
        assert_eq!(
            daily_balance_fee(100_000, 1500, date!(2026 - 12 - 10), date!(2026 - 12 - 10)),
            0
        );
        assert_eq!(
            daily_balance_fee(0, 1500, date!(2026 - 12 - 10), date!(2027 - 01 - 10)),
            0
        );
    }

    #[test]
    fn leap_years_divide_by_366_and_a_year_boundary_splits_the_count() {
        // 29 days of February 2028 (a leap year): 366_000 × 0.15 × 29 / 366 = 4350.
        assert_eq!(
            daily_balance_fee(366_000, 1500, date!(2028 - 01 - 31), date!(2028 - 02 - 29)),
            4350
        );
        // 2027-12-10 → 2028-01-10: 21 days of 2027 (/365) and 10 of 2028 (/366).
        let fee = daily_balance_fee(
            1_000_000,
            1500,
            date!(2027 - 12 - 10),
            date!(2028 - 01 - 10),
        );
        let exact: f64 = 1_000_000.0 * 0.15 * (21.0 / 365.0 + 10.0 / 366.0);
        assert_eq!(fee, exact.floor() as i64);
    }

    #[test]
    fn the_cut_off_moves_a_change_to_the_next_payment() {
        let payment = date!(2026 - 12 - 10);
        assert_eq!(cutoff(payment, 6), date!(2026 - 12 - 04));
        assert_eq!(
            first_open_payment(&CYCLE, payment, date!(2026 - 12 - 04), 6),
            payment
        );
        assert_eq!(
            first_open_payment(&CYCLE, payment, date!(2026 - 12 - 05), 6),
            date!(2027 - 01 - 10)
        );
        // Month-end payment days: the cut-off of 2028-02-29 counts back from the leap day.
        let end = BillingCycle {
            closing_day: 31,
            payment_day: 31,
        };
        assert_eq!(cutoff(date!(2028 - 02 - 29), 6), date!(2028 - 02 - 23));
        assert_eq!(
            first_open_payment(&end, date!(2028 - 02 - 29), date!(2028 - 02 - 24), 6),
            date!(2028 - 03 - 31)
        );
    }

    #[test]
    fn instalments_repay_equal_parts_with_the_remainder_first() {
        let parts: Vec<i64> = (0..6).map(|i| instalment_part(100_001, 6, i)).collect();
        assert_eq!(parts, [16_671, 16_666, 16_666, 16_666, 16_666, 16_666]);
        assert_eq!(parts.iter().sum::<i64>(), 100_001);
    }

    #[test]
    fn six_instalments_are_six_payments_with_fees_on_what_is_left() {
        let owed = Owed {
            instalments: vec![InstalmentPlan {
                first_payment: date!(2026 - 12 - 10),
                amount_yen: 60_000,
                payments: 6,
            }],
            ..Owed::default()
        };
        let s = schedule(&CYCLE, 1500, &owed);
        assert_eq!(s.len(), 6);
        assert_eq!(s[0].0, date!(2026 - 12 - 10));
        assert_eq!(s[5].0, date!(2027 - 05 - 10));
        assert_eq!(s[0].1.instalment_fee_yen, 0, "no fee on the first payment");
        // Second payment: 50,000 owed for the 31 days to 2027-01-10.
        assert_eq!(
            s[1].1.instalment_fee_yen,
            daily_balance_fee(50_000, 1500, date!(2026 - 12 - 10), date!(2027 - 01 - 10))
        );
        assert_eq!(s.iter().map(|(_, d)| d.instalment_yen).sum::<i64>(), 60_000);
        assert!(s.iter().all(|(_, d)| d.instalment_yen == 10_000));
    }

    #[test]
    fn every_count_repays_the_whole_charge() {
        for n in INSTALMENT_COUNTS {
            let owed = Owed {
                instalments: vec![InstalmentPlan {
                    first_payment: date!(2027 - 01 - 10),
                    amount_yen: 123_457,
                    payments: n,
                }],
                ..Owed::default()
            };
            let s = schedule(&CYCLE, 1500, &owed);
            assert_eq!(s.len(), usize::from(n));
            assert_eq!(
                s.iter().map(|(_, d)| d.instalment_yen).sum::<i64>(),
                123_457
            );
        }
    }

    #[test]
    fn revolving_repays_the_course_each_month_with_a_fee_on_the_balance() {
        let owed = Owed {
            lump_sums: vec![(date!(2026 - 12 - 10), 8_000)],
            revolving: vec![RevolvingCharge {
                first_payment: date!(2026 - 12 - 10),
                amount_yen: 25_000,
                monthly_yen: 10_000,
                order: 1,
            }],
            ..Owed::default()
        };
        let s = schedule(&CYCLE, 1500, &owed);
        let principal: Vec<i64> = s.iter().map(|(_, d)| d.revolving_yen).collect();
        assert_eq!(principal, [10_000, 10_000, 5_000]);
        assert_eq!(s[0].1.lump_sum_yen, 8_000);
        assert_eq!(s[0].1.revolving_fee_yen, 0);
        assert_eq!(
            s[1].1.revolving_fee_yen,
            daily_balance_fee(15_000, 1500, date!(2026 - 12 - 10), date!(2027 - 01 - 10))
        );
        assert_eq!(
            s[2].1.revolving_fee_yen,
            daily_balance_fee(5_000, 1500, date!(2027 - 01 - 10), date!(2027 - 02 - 10))
        );
        assert_eq!(
            s[0].1.total_yen(),
            18_000,
            "lump sum plus the first revolving part"
        );
    }

    #[test]
    fn a_new_course_applies_from_its_own_first_payment_only() {
        let charge = |first_payment, monthly_yen, order| RevolvingCharge {
            first_payment,
            amount_yen: 30_000,
            monthly_yen,
            order,
        };
        let older = charge(date!(2026 - 11 - 10), 10_000, 1);
        let before = schedule(
            &CYCLE,
            1500,
            &Owed {
                revolving: vec![older],
                ..Owed::default()
            },
        );
        let after = schedule(
            &CYCLE,
            1500,
            &Owed {
                revolving: vec![older, charge(date!(2027 - 01 - 10), 20_000, 2)],
                ..Owed::default()
            },
        );
        assert_eq!(before[0], after[0], "November is paid at the old course");
        assert_eq!(before[1], after[1], "December too");
        assert_eq!(after[2].0, date!(2027 - 01 - 10));
        assert_eq!(
            after[2].1.revolving_yen, 20_000,
            "the new course from January"
        );
    }

    #[test]
    fn a_change_shows_as_the_difference_it_makes() {
        let base = Owed {
            lump_sums: vec![(date!(2026 - 12 - 10), 30_000)],
            ..Owed::default()
        };
        let mut moved = Owed {
            lump_sums: vec![(date!(2026 - 12 - 10), 10_000)],
            ..base.clone()
        };
        moved.revolving.push(RevolvingCharge {
            first_payment: date!(2026 - 12 - 10),
            amount_yen: 20_000,
            monthly_yen: 10_000,
            order: 1,
        });
        let diff = difference(
            &schedule(&CYCLE, 1500, &moved),
            &schedule(&CYCLE, 1500, &base),
        );
        assert_eq!(diff.len(), 2);
        assert_eq!(
            diff[0].1.total_yen(),
            -10_000,
            "10,000 less due in December"
        );
        assert_eq!(diff[1].1.revolving_yen, 10_000);
        assert!(diff[1].1.revolving_fee_yen > 0);
        let principal: i64 = diff.iter().map(|(_, d)| d.principal_yen()).sum();
        assert_eq!(principal, 0, "the same yen, paid later");
    }

    #[test]
    fn a_plan_made_after_the_cut_off_is_credited_back_when_it_starts() {
        let december = date!(2026 - 12 - 10);
        let january = date!(2027 - 01 - 10);
        let split = |first_payment| Charge {
            statement_payment: december,
            amount_yen: 30_000,
            plan: Some(ChargePlan {
                choice: PlanChoice::Instalments { payments: 3 },
                first_payment,
                order: 1,
            }),
        };
        let in_time = schedule(&CYCLE, 1500, &owed(&[split(december)], vec![]));
        assert_eq!(in_time[0].0, december);
        assert_eq!(in_time[0].1.total_yen(), 10_000);
        let late = schedule(&CYCLE, 1500, &owed(&[split(january)], vec![]));
        assert_eq!(late[0].0, december);
        assert_eq!(late[0].1.total_yen(), 30_000, "already billed in full");
        assert_eq!(late[1].0, january);
        assert_eq!(late[1].1.credit_yen, 30_000);
        assert_eq!(
            late[1].1.total_yen(),
            -20_000,
            "paid back, less the first part"
        );
        let principal: i64 = late
            .iter()
            .map(|(_, d)| d.principal_yen() - d.credit_yen)
            .sum();
        assert_eq!(principal, 30_000, "the charge is paid exactly once");
    }

    #[test]
    fn credits_reduce_the_debit() {
        let owed = Owed {
            lump_sums: vec![(date!(2026 - 12 - 10), 5_000)],
            credits: vec![(date!(2026 - 12 - 10), 1_500)],
            ..Owed::default()
        };
        let s = schedule(&CYCLE, 1500, &owed);
        assert_eq!(s[0].1.total_yen(), 3_500);
    }

    #[test]
    fn plans_are_checked_against_the_terms() {
        let terms = PlanTerms {
            annual_rate_bp: 1500,
            revolving_courses: vec![5_000, 10_000],
            cutoff_days: 6,
            min_charge_yen: 3_000,
        };
        let revolving = |monthly_yen| PlanChoice::Revolving { monthly_yen };
        let split = |payments| PlanChoice::Instalments { payments };
        assert_eq!(
            check_plan(&terms, revolving(10_000), &[20_000, 4_000]),
            Ok(())
        );
        assert_eq!(
            check_plan(&terms, revolving(7_000), &[20_000]),
            Err(PlanProblem::UnknownCourse)
        );
        assert_eq!(
            check_plan(&terms, revolving(5_000), &[]),
            Err(PlanProblem::ChooseCharges)
        );
        assert_eq!(check_plan(&terms, split(6), &[60_000]), Ok(()));
        assert_eq!(
            check_plan(&terms, split(7), &[60_000]),
            Err(PlanProblem::UnknownCount)
        );
        assert_eq!(
            check_plan(&terms, split(6), &[60_000, 1]),
            Err(PlanProblem::ChooseCharges)
        );
        assert_eq!(
            check_plan(&terms, split(3), &[2_999]),
            Err(PlanProblem::TooSmall)
        );
    }

    #[test]
    fn spending_power_fits_the_amount_and_what_is_owed_in_the_line() {
        let rule = SpendingRule {
            late_line_pct: 50,
            max_amount_yen: 100_000_000,
        };
        assert!(approves(&rule, 300_000, 2_000_000, 500_000, 0));
        assert!(approves(&rule, 1_500_000, 2_000_000, 500_000, 0));
        assert!(!approves(&rule, 1_500_001, 2_000_000, 500_000, 0));
        assert!(
            !approves(&rule, 600_000, 2_000_000, 500_000, 1),
            "late payment halves the line"
        );
        assert!(!approves(&rule, 0, 2_000_000, 0, 0));
        assert!(!approves(&rule, 100_000_001, i64::MAX / 2, 0, 0));
    }
}
