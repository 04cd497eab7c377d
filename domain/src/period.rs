//! Calendar rules: Tokyo dates and the issuer's statement periods.
//!
//! Times are stored as UTC Unix seconds and shown in Asia/Tokyo, which has no daylight saving, so a
//! fixed +09:00 offset is exact.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset};

pub const TOKYO: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("+09:00 is a valid offset"),
};

/// The calendar date in Tokyo at a UTC instant.
pub fn tokyo_date(unix_secs: i64) -> Date {
    tokyo_datetime(unix_secs).date()
}

/// Seconds until the next midnight in Tokyo, when a day's limits start again.
pub fn secs_to_tokyo_midnight(unix_secs: i64) -> i64 {
    const DAY: i64 = 86_400;
    DAY - (unix_secs + 9 * 3600).rem_euclid(DAY)
}

pub fn tokyo_datetime(unix_secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix_secs)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(TOKYO)
}

/// `2026-11-22`, the storage and URL form of a date.
pub fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

pub fn parse_iso_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = Month::try_from(parts.next()?.parse::<u8>().ok()?).ok()?;
    let day = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// When an account's statements close and are paid: the closing day of each month (a day past the
/// month's end means its last day), and the payment day in the following month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingCycle {
    pub closing_day: u8,
    pub payment_day: u8,
}

/// One statement's period: use dates from `start` to `closing` inclusive, paid on `payment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementPeriod {
    pub start: Date,
    pub closing: Date,
    pub payment: Date,
}

impl BillingCycle {
    /// The period whose statement will include a use on `date`.
    pub fn period_containing(&self, date: Date) -> StatementPeriod {
        let this_month = day_in_month(date.year(), date.month(), self.closing_day);
        let closing = if date <= this_month {
            this_month
        } else {
            let (y, m) = next_month(date.year(), date.month());
            day_in_month(y, m, self.closing_day)
        };
        self.period_closing_on(closing)
    }

    /// The period before `period`.
    pub fn previous(&self, period: &StatementPeriod) -> StatementPeriod {
        self.period_containing(period.start - Duration::days(1))
    }

    /// The period after `period`.
    pub fn next(&self, period: &StatementPeriod) -> StatementPeriod {
        self.period_containing(period.closing + Duration::days(1))
    }

    /// The period whose statement is paid on `payment`, a payment date of this cycle.
    pub fn period_paid_on(&self, payment: Date) -> StatementPeriod {
        let (y, m) = prev_month(payment.year(), payment.month());
        self.period_closing_on(day_in_month(y, m, self.closing_day))
    }

    fn period_closing_on(&self, closing: Date) -> StatementPeriod {
        let (py, pm) = prev_month(closing.year(), closing.month());
        let start = day_in_month(py, pm, self.closing_day) + Duration::days(1);
        let (ny, nm) = next_month(closing.year(), closing.month());
        StatementPeriod {
            start,
            closing,
            payment: day_in_month(ny, nm, self.payment_day),
        }
    }
}

/// The periods whose closing day has passed (a period closes at the end of its closing day, Tokyo
/// time) and that have no statement yet, oldest first. With no statement at all, only the latest.
pub fn periods_to_close(
    cycle: &BillingCycle,
    last_closed: Option<Date>,
    today: Date,
) -> Vec<StatementPeriod> {
    let latest = cycle.previous(&cycle.period_containing(today));
    let Some(last_closed) = last_closed else {
        return vec![latest];
    };
    let mut due = Vec::new();
    let mut period = latest;
    while period.closing > last_closed {
        due.push(period);
        period = cycle.previous(&period);
    }
    due.reverse();
    due
}

/// The first day of the month `date` is in.
pub fn month_start(date: Date) -> Date {
    day_in_month(date.year(), date.month(), 1)
}

/// `day` of the month, or the month's last day when the month is shorter.
fn day_in_month(year: i32, month: Month, day: u8) -> Date {
    let day = day.clamp(1, month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

fn next_month(year: i32, month: Month) -> (i32, Month) {
    match month {
        Month::December => (year + 1, Month::January),
        m => (year, m.next()),
    }
}

fn prev_month(year: i32, month: Month) -> (i32, Month) {
    match month {
        Month::January => (year - 1, Month::December),
        m => (year, m.previous()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_closes_the_day_after_its_closing_day() {
        let cycle = BillingCycle {
            closing_day: 20,
            payment_day: 10,
        };
        let d =
            |y, m: u8, day| Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap();
        let on_closing_day = periods_to_close(&cycle, Some(d(2026, 10, 20)), d(2026, 11, 20));
        assert!(
            on_closing_day.is_empty(),
            "still open on the closing day itself"
        );
        let next_day = periods_to_close(&cycle, Some(d(2026, 10, 20)), d(2026, 11, 21));
        assert_eq!(next_day.len(), 1);
        assert_eq!(next_day[0].closing, d(2026, 11, 20));
        assert_eq!(next_day[0].payment, d(2026, 12, 10));
        let missed = periods_to_close(&cycle, Some(d(2026, 8, 20)), d(2026, 11, 21));
        let closings: Vec<Date> = missed.iter().map(|p| p.closing).collect();
        assert_eq!(closings, [d(2026, 9, 20), d(2026, 10, 20), d(2026, 11, 20)]);
        assert_eq!(periods_to_close(&cycle, None, d(2026, 11, 21)).len(), 1);
        let month_end = BillingCycle {
            closing_day: 31,
            payment_day: 26,
        };
        let leap = periods_to_close(&month_end, Some(d(2028, 1, 31)), d(2028, 3, 1));
        assert_eq!(leap.len(), 1);
        assert_eq!(leap[0].closing, d(2028, 2, 29));
        assert_eq!(leap[0].start, d(2028, 2, 1));
    }
    use time::macros::date;

    const CYCLE_20: BillingCycle = BillingCycle {
        closing_day: 20,
        payment_day: 10,
    };

    #[test]
    fn a_use_before_or_on_the_closing_day_is_in_this_months_statement() {
        let p = CYCLE_20.period_containing(date!(2026 - 11 - 20));
        assert_eq!(p.start, date!(2026 - 10 - 21));
        assert_eq!(p.closing, date!(2026 - 11 - 20));
        assert_eq!(p.payment, date!(2026 - 12 - 10));
    }

    #[test]
    fn a_use_after_the_closing_day_goes_to_next_month_and_across_the_year() {
        let p = CYCLE_20.period_containing(date!(2026 - 12 - 21));
        assert_eq!(p.start, date!(2026 - 12 - 21));
        assert_eq!(p.closing, date!(2027 - 01 - 20));
        assert_eq!(p.payment, date!(2027 - 02 - 10));
    }

    #[test]
    fn month_end_closing_follows_short_months_and_leap_years() {
        let end = BillingCycle {
            closing_day: 31,
            payment_day: 31,
        };
        let p = end.period_containing(date!(2028 - 02 - 15));
        assert_eq!(p.start, date!(2028 - 02 - 01));
        assert_eq!(p.closing, date!(2028 - 02 - 29));
        assert_eq!(p.payment, date!(2028 - 03 - 31));
        let p = end.period_containing(date!(2027 - 02 - 28));
        assert_eq!(p.closing, date!(2027 - 02 - 28));
        assert_eq!(p.payment, date!(2027 - 03 - 31));
        let p = end.period_containing(date!(2027 - 03 - 01));
        assert_eq!(p.start, date!(2027 - 03 - 01));
        assert_eq!(p.payment, date!(2027 - 04 - 30));
    }

    #[test]
    fn the_period_paid_on_a_date_is_found_back_from_the_date() {
        let end = BillingCycle {
            closing_day: 31,
            payment_day: 26,
        };
        for cycle in [CYCLE_20, end] {
            let mut p = cycle.period_containing(date!(2027 - 11 - 05));
            for _ in 0..30 {
                assert_eq!(cycle.period_paid_on(p.payment), p);
                let next = cycle.next(&p);
                assert_eq!(next.start, p.closing + Duration::days(1));
                p = next;
            }
        }
    }

    #[test]
    fn previous_periods_tile_without_gaps() {
        let mut p = CYCLE_20.period_containing(date!(2026 - 03 - 05));
        for _ in 0..24 {
            let prev = CYCLE_20.previous(&p);
            assert_eq!(prev.closing + Duration::days(1), p.start);
            p = prev;
        }
    }

    #[test]
    fn a_day_ends_at_midnight_in_tokyo() {
        // 1_795_273_200 is 2026-11-22 00:00 in Tokyo.
        assert_eq!(secs_to_tokyo_midnight(1_795_273_200), 86_400);
        assert_eq!(secs_to_tokyo_midnight(1_795_273_199), 1);
    }

    #[test]
    fn tokyo_midnight_is_the_next_day_in_tokyo() {
        // 2026-11-21 15:00 UTC is 2026-11-22 00:00 in Tokyo.
        assert_eq!(tokyo_date(1_795_273_200), date!(2026 - 11 - 22));
        assert_eq!(tokyo_date(1_795_273_199), date!(2026 - 11 - 21));
    }

    #[test]
    fn iso_dates_round_trip() {
        assert_eq!(parse_iso_date("2028-02-29"), Some(date!(2028 - 02 - 29)));
        assert_eq!(parse_iso_date("2027-02-29"), None);
        assert_eq!(parse_iso_date("nonsense"), None);
        assert_eq!(iso_date(date!(2026 - 01 - 05)), "2026-01-05");
    }

    #[test]
    fn month_start_is_the_first() {
        assert_eq!(month_start(date!(2026 - 11 - 22)), date!(2026 - 11 - 01));
    }
}
