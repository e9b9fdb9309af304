//! Calendar periods (暦の期間) for the cohort and month-by-month analyses:
//! months, weeks (Monday to Sunday) and quarters, numbered as integers so
//! that "k periods after the cohort's first" is a subtraction.
//!
//! - month number `= year × 12 + (month − 1)`;
//! - quarter number `= ⌊month number / 3⌋` (January–March is Q1);
//! - week number `= ⌊(day − 1) / 7⌋` with `day` as in [`crate::date`]
//!   (0001-01-01 was a Monday, so every week runs Monday to Sunday).
//!
//! A period is **observed** (complete) as of a date when its last day is on
//! or before that date: [`last_complete`].

use crate::date::{from_day, to_day, Day};
use crate::error::{Error, SettingError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A period number (see the module doc); its meaning depends on the
/// [`Granularity`].
pub type Period = i32;

/// Days in an average month, `365.25 / 12`: converts day counts to months
/// (tenure, F2 windows).
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// The length of the periods of a cohort table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// Monday to Sunday.
    Week,
    /// Calendar month (the field's default).
    #[default]
    Month,
    /// Calendar quarter (January–March, …).
    Quarter,
}

impl Granularity {
    pub const ALL: [Granularity; 3] = [Granularity::Week, Granularity::Month, Granularity::Quarter];

    /// The name used in URLs, the CLI and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
        }
    }

    /// Reads a [`Granularity::name`].
    pub fn from_name(name: &str) -> Option<Granularity> {
        Granularity::ALL.into_iter().find(|g| g.name() == name)
    }
}

/// The month number of a date (`year × 12 + month − 1`).
pub fn month_of(date: NaiveDate) -> Period {
    date.year() * 12 + date.month0() as i32
}

/// The period of a date.
pub fn period_of(date: NaiveDate, g: Granularity) -> Period {
    match g {
        Granularity::Month => month_of(date),
        Granularity::Quarter => month_of(date).div_euclid(3),
        Granularity::Week => week_of_day(to_day(date)),
    }
}

fn week_of_day(day: Day) -> Period {
    ((day as i64 - 1).div_euclid(7)) as Period
}

/// The first day of a month number (`NaiveDate::MIN`/`MAX` out of range).
fn month_start(month: i64) -> NaiveDate {
    let year = month.div_euclid(12);
    let m = month.rem_euclid(12) as u32 + 1;
    match i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, 1))
    {
        Some(d) => d,
        None if month < 0 => NaiveDate::MIN,
        None => NaiveDate::MAX,
    }
}

fn start_i64(p: i64, g: Granularity) -> NaiveDate {
    match g {
        Granularity::Month => month_start(p),
        Granularity::Quarter => month_start(p.saturating_mul(3)),
        Granularity::Week => {
            let day = p.saturating_mul(7).saturating_add(1);
            match i32::try_from(day)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt)
            {
                Some(d) => d,
                None if day < 0 => NaiveDate::MIN,
                None => NaiveDate::MAX,
            }
        }
    }
}

/// The first day of a period.
pub fn period_start(p: Period, g: Granularity) -> NaiveDate {
    start_i64(p as i64, g)
}

/// The last day of a period.
pub fn period_end(p: Period, g: Granularity) -> NaiveDate {
    let next = start_i64(p as i64 + 1, g);
    next.pred_opt().unwrap_or(next)
}

/// The last period that ends on or before `as_of` (the last observed one):
/// the period of `as_of` if `as_of` is its last day, else the one before.
pub fn last_complete(as_of: NaiveDate, g: Granularity) -> Period {
    let p = period_of(as_of, g);
    match as_of.succ_opt() {
        Some(next) if period_of(next, g) == p => p - 1,
        _ => p,
    }
}

/// A period as people write it: `2024-03`, `2024-Q1`, or the ISO week of
/// its Monday, `2024-W05`.
pub fn label(p: Period, g: Granularity) -> String {
    let start = period_start(p, g);
    match g {
        Granularity::Month => format!("{:04}-{:02}", start.year(), start.month()),
        Granularity::Quarter => format!("{:04}-Q{}", start.year(), start.month0() / 3 + 1),
        Granularity::Week => {
            let w = start.iso_week();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
    }
}

/// Reads a month label `YYYY-MM` (or a date `YYYY-MM-DD`, meaning its month).
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").ok())
        .and_then(|d| d.with_day(1))
}

/// A day → month lookup table over the days an analysis covers, so the hot
/// loops index an array instead of converting dates.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    base: Day,
    months: Vec<Period>,
}

impl Calendar {
    /// The longest range of days a calendar covers: 400 Gregorian years
    /// (ingest reads years 1900 to 2200).
    pub const MAX_DAYS: i64 = 146_097;

    /// A calendar of the days `from ..= to` (empty if `to < from`). A range
    /// longer than [`Calendar::MAX_DAYS`] is a setting error (an as-of date
    /// centuries away from the orders).
    pub fn new(from: Day, to: Day) -> Result<Calendar, Error> {
        let span = to as i64 - from as i64 + 1;
        if span > Self::MAX_DAYS {
            return Err(SettingError::SpanTooLong {
                first_order: from_day(from),
                as_of: from_day(to),
                days: span,
                max_days: Self::MAX_DAYS,
            }
            .into());
        }
        let mut months = Vec::with_capacity(span.max(0) as usize);
        let mut date = from_day(from);
        for _ in 0..span.max(0) {
            months.push(month_of(date));
            match date.succ_opt() {
                Some(d) => date = d,
                None => break,
            }
        }
        Ok(Calendar { base: from, months })
    }

    /// The month number of a day in the calendar's range.
    #[inline]
    pub fn month(&self, day: Day) -> Option<Period> {
        let i = usize::try_from(day as i64 - self.base as i64).ok()?;
        self.months.get(i).copied()
    }

    /// The period of a day in the calendar's range.
    #[inline]
    pub fn period(&self, day: Day, g: Granularity) -> Option<Period> {
        let m = self.month(day)?;
        Some(match g {
            Granularity::Month => m,
            Granularity::Quarter => m.div_euclid(3),
            Granularity::Week => week_of_day(day),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_and_labels() {
        let g = Granularity::Month;
        let p = period_of(d("2024-03-15"), g);
        assert_eq!(label(p, g), "2024-03");
        assert_eq!(period_start(p, g), d("2024-03-01"));
        assert_eq!(period_end(p, g), d("2024-03-31"));
        assert_eq!(period_of(d("2025-01-01"), g) - p, 10);
        let q = Granularity::Quarter;
        let p = period_of(d("2024-05-20"), q);
        assert_eq!(label(p, q), "2024-Q2");
        assert_eq!(period_start(p, q), d("2024-04-01"));
        assert_eq!(period_end(p, q), d("2024-06-30"));
        let w = Granularity::Week;
        // 2024-01-03 is a Wednesday of ISO week 1 (Mon 2024-01-01).
        let p = period_of(d("2024-01-03"), w);
        assert_eq!(period_start(p, w), d("2024-01-01"));
        assert_eq!(period_end(p, w), d("2024-01-07"));
        assert_eq!(label(p, w), "2024-W01");
        assert_eq!(period_of(d("2024-01-08"), w), p + 1);
        // 2021-01-03 (Sunday) belongs to ISO week 2020-W53.
        assert_eq!(label(period_of(d("2021-01-03"), w), w), "2020-W53");
    }

    #[test]
    fn observed_periods_end_on_or_before_the_as_of_date() {
        // (as of, granularity, a day in the last complete period)
        for (as_of, g, last) in [
            ("2024-03-31", Granularity::Month, "2024-03-01"),
            ("2024-03-30", Granularity::Month, "2024-02-01"),
            ("2024-01-07", Granularity::Week, "2024-01-01"),
            ("2024-01-06", Granularity::Week, "2023-12-31"),
            ("2024-12-31", Granularity::Quarter, "2024-10-01"),
        ] {
            assert_eq!(
                last_complete(d(as_of), g),
                period_of(d(last), g),
                "{as_of} {g:?}"
            );
        }
        let g = Granularity::Month;
        assert_eq!(
            last_complete(NaiveDate::MAX, g),
            period_of(NaiveDate::MAX, g)
        );
    }

    #[test]
    fn calendar_lookup_and_limits() {
        let c = Calendar::new(to_day(d("2024-01-30")), to_day(d("2024-02-02"))).unwrap();
        assert_eq!(
            c.month(to_day(d("2024-01-31"))),
            Some(month_of(d("2024-01-01")))
        );
        assert_eq!(
            c.month(to_day(d("2024-02-02"))),
            Some(month_of(d("2024-02-01")))
        );
        assert_eq!(c.month(to_day(d("2024-02-03"))), None);
        assert_eq!(c.month(to_day(d("2024-01-29"))), None);
        assert!(Calendar::new(1, 10).is_ok());
        assert!(Calendar::new(10, 1).is_ok_and(|c| c.month(5).is_none()));
        assert!(Calendar::new(i32::MIN, i32::MAX).is_err());
        // Out-of-range period numbers fall back instead of panicking.
        for g in Granularity::ALL {
            let _ = label(i32::MAX, g);
            let _ = period_end(i32::MIN, g);
        }
    }

    #[test]
    fn month_parsing_and_names() {
        assert_eq!(parse_month("2024-03"), Some(d("2024-03-01")));
        assert_eq!(parse_month("2024-03-17"), Some(d("2024-03-01")));
        assert_eq!(parse_month("2024-13"), None);
        assert_eq!(
            Granularity::from_name("quarter"),
            Some(Granularity::Quarter)
        );
        assert_eq!(Granularity::from_name("day"), None);
    }
}
