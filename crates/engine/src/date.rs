//! Dates as written in exports, bucketed by the local date written.
//!
//! The calendar day is the one written in the cell; a UTC offset or `Z` is
//! not applied (a shop's export is in the shop's time zone). Accepted:
//! `2024-03-05 14:22:10 +0900`, `2024/03/05 14:22`, `2024/3/5`, `20240305`,
//! `2024-03-05T14:22:10Z`, `2024.3.5`, `2024年3月5日`, and day-first or
//! month-first forms such as `05/03/2024` when the [`DateOrder`] says which.

use chrono::{Datelike, NaiveDate};

/// How a date whose year comes last is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// 03/05/2024 is March 5 (US exports).
    #[default]
    MonthFirst,
    /// 05/03/2024 is March 5 (European exports).
    DayFirst,
}

/// A day as a compact integer: days since 0001-01-01 (chrono's
/// `num_days_from_ce`), so the order store holds 4 bytes per date.
pub type Day = i32;

pub fn to_day(d: NaiveDate) -> Day {
    d.num_days_from_ce()
}

pub fn from_day(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(NaiveDate::MIN) // ok-panic: never panics, falls back
}

/// Reads the leading number of `max` digits; returns it and the rest.
fn number(s: &[u8], max: usize) -> Option<(u32, usize)> {
    let mut v = 0u32;
    let mut n = 0;
    while n < s.len() && n < max && s[n].is_ascii_digit() {
        v = v * 10 + (s[n] - b'0') as u32;
        n += 1;
    }
    if n == 0 {
        None
    } else {
        Some((v, n))
    }
}

/// Skips one date separator: `-`, `/`, `.`, or the UTF-8 of 年/月.
fn separator(s: &[u8]) -> Option<usize> {
    match s.first()? {
        b'-' | b'/' | b'.' => Some(1),
        _ if s.starts_with("年".as_bytes()) || s.starts_with("月".as_bytes()) => Some(3),
        _ => None,
    }
}

/// Parses the date part of a cell. Returns `None` for anything that is not a
/// real calendar date (2024-02-30 is rejected).
pub fn parse_date(cell: &str, order: DateOrder) -> Option<NaiveDate> {
    let s = cell.trim().as_bytes();
    let (first, n1) = number(s, 8)?;
    let rest = &s[n1..];
    let (y, m, d) = if n1 == 8 {
        // 20240305, optionally followed by a time.
        if !rest.is_empty() && !matches!(rest[0], b' ' | b'T') && !rest[0].is_ascii_digit() {
            return None;
        }
        (first as i32 / 10000, first / 100 % 100, first % 100)
    } else if n1 == 4 {
        let k = separator(rest)?;
        let rest = &rest[k..];
        let (m, n2) = number(rest, 2)?;
        let rest = &rest[n2..];
        let k = separator(rest)?;
        let rest = &rest[k..];
        let (d, n3) = number(rest, 2)?;
        let tail = &rest[n3..];
        if !tail_ok(tail) {
            return None;
        }
        (first as i32, m, d)
    } else if n1 <= 2 {
        let k = separator(rest)?;
        let rest = &rest[k..];
        let (second, n2) = number(rest, 2)?;
        let rest = &rest[n2..];
        let k = separator(rest)?;
        let rest = &rest[k..];
        let (year, n3) = number(rest, 4)?;
        if n3 != 4 || !tail_ok(&rest[n3..]) {
            return None;
        }
        match order {
            DateOrder::MonthFirst => (year as i32, first, second),
            DateOrder::DayFirst => (year as i32, second, first),
        }
    } else {
        return None;
    };
    if !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// After the date: nothing, 日, or a space / `T` before a time.
fn tail_ok(tail: &[u8]) -> bool {
    tail.is_empty() || matches!(tail[0], b' ' | b'T' | b'\t') || tail.starts_with("日".as_bytes())
}

/// For a date whose year comes last, tells which order the cell proves
/// (a first number over 12 proves day-first, a second over 12 month-first).
pub fn proves_order(cell: &str) -> Option<DateOrder> {
    let s = cell.trim().as_bytes();
    let (first, n1) = number(s, 4)?;
    if n1 > 2 {
        return None;
    }
    let rest = &s[n1..];
    let k = separator(rest)?;
    let (second, _) = number(&rest[k..], 2)?;
    if first > 12 && second <= 12 {
        Some(DateOrder::DayFirst)
    } else if second > 12 && first <= 12 {
        Some(DateOrder::MonthFirst)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn formats_from_the_domain() {
        let mf = DateOrder::MonthFirst;
        assert_eq!(parse_date("2024-03-05 14:22:10 +0900", mf), d(2024, 3, 5));
        assert_eq!(parse_date("2024/03/05 14:22", mf), d(2024, 3, 5));
        assert_eq!(parse_date("2024/3/5", mf), d(2024, 3, 5));
        assert_eq!(parse_date("20240305", mf), d(2024, 3, 5));
        assert_eq!(parse_date("2024-03-05T23:30:00Z", mf), d(2024, 3, 5));
        assert_eq!(parse_date("2024-03-05T00:10:00-0800", mf), d(2024, 3, 5));
        assert_eq!(parse_date("2024年3月5日", mf), d(2024, 3, 5));
        assert_eq!(parse_date("2024.03.05", mf), d(2024, 3, 5));
        assert_eq!(parse_date("03/05/2024", mf), d(2024, 3, 5));
        assert_eq!(parse_date("05/03/2024", DateOrder::DayFirst), d(2024, 3, 5));
    }

    #[test]
    fn rejects_non_dates() {
        let mf = DateOrder::MonthFirst;
        for bad in [
            "",
            "2024-02-30",
            "2024-13-01",
            "hello",
            "12345",
            "2024-03",
            "2024-03-05x",
            "0000-01-01",
        ] {
            assert_eq!(parse_date(bad, mf), None, "{bad:?}");
        }
    }

    #[test]
    fn order_evidence() {
        assert_eq!(proves_order("25/03/2024"), Some(DateOrder::DayFirst));
        assert_eq!(proves_order("03/25/2024"), Some(DateOrder::MonthFirst));
        assert_eq!(proves_order("03/05/2024"), None);
        assert_eq!(proves_order("2024-03-25"), None);
    }

    #[test]
    fn day_roundtrip() {
        let x = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(from_day(to_day(x)), x);
    }
}
