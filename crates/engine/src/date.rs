//! Dates as written in exports, bucketed by the local date written.
//!
//! The calendar day is the one written in the cell; a UTC offset or `Z` is
//! not applied (a shop's export is in the shop's time zone). Accepted:
//! `2024-03-05 14:22:10 +0900`, `2024/03/05 14:22`, `2024/3/5`, `20240305`,
//! `2024-03-05T14:22:10Z`, `2024.3.5`, `2024年3月5日`, day-first or
//! month-first forms such as `05/03/2024` or `12/30/25` when the
//! [`DateOrder`] says which, and English month names: `Dec 8, 2024`,
//! `8 Dec 2024`.

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
    let Some((first, n1)) = number(s, 8) else {
        return month_name_first(s);
    };
    if n1 <= 2 && s.get(n1) == Some(&b' ') {
        return day_then_month_name(first, &s[n1 + 1..]);
    }
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
        if !matches!(n3, 2 | 4) || !tail_ok(&rest[n3..]) {
            return None;
        }
        let year = if n3 == 2 { two_digit_year(year) } else { year };
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

/// `25` is 2025, `98` 1998 (Etsy writes `12/30/25`).
fn two_digit_year(yy: u32) -> u32 {
    if yy < 70 {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// The month of an English month name or its three-letter abbreviation at
/// the start of `s` (any case), and the bytes it takes.
fn month_name(s: &[u8]) -> Option<(u32, usize)> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let n = s.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if n < 3 {
        return None;
    }
    let word = s[..n].to_ascii_lowercase();
    let m = NAMES.iter().position(|name| {
        name.as_bytes() == word.as_slice()
            || (n == 3 && name.as_bytes().starts_with(&word))
            || (word == b"sept" && *name == "september")
    })?;
    Some((m as u32 + 1, n))
}

/// `Dec 8, 2024`, `May 23, 2024 10:00:45 PM`, `December 8 2024`
/// (Magento's and Wix's order grids).
fn month_name_first(s: &[u8]) -> Option<NaiveDate> {
    let (m, n) = month_name(s)?;
    let rest = s[n..].strip_prefix(b".").unwrap_or(&s[n..]);
    let rest = rest.strip_prefix(b" ")?;
    let (d, n2) = number(rest, 2)?;
    let rest = &rest[n2..];
    let rest = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suf| rest.strip_prefix(suf.as_bytes()))
        .unwrap_or(rest);
    year_last(rest, m, d)
}

/// `, 2024` or ` 2024` (and a time) ending a date whose month and day came
/// first.
fn year_last(rest: &[u8], m: u32, d: u32) -> Option<NaiveDate> {
    let rest = rest.strip_prefix(b",").unwrap_or(rest);
    let rest = rest.strip_prefix(b" ")?;
    let (y, n) = number(rest, 4)?;
    if n != 4 || !tail_ok(&rest[n..]) || !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// `8 Dec 2024`, `08 December 2024` (after the day and its space).
fn day_then_month_name(d: u32, s: &[u8]) -> Option<NaiveDate> {
    let (m, n) = month_name(s)?;
    let rest = s[n..].strip_prefix(b".").unwrap_or(&s[n..]);
    year_last(rest, m, d)
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
    fn month_names_and_two_digit_years() {
        let mf = DateOrder::MonthFirst;
        assert_eq!(parse_date("Dec 8, 2024", mf), d(2024, 12, 8));
        assert_eq!(parse_date("May 23, 2024 10:00:45 PM", mf), d(2024, 5, 23));
        assert_eq!(parse_date("december 8 2024", mf), d(2024, 12, 8));
        assert_eq!(parse_date("Mar 13th 2026", mf), d(2026, 3, 13));
        assert_eq!(parse_date("Sept. 1, 2024", mf), d(2024, 9, 1));
        assert_eq!(parse_date("8 Dec 2024", mf), d(2024, 12, 8));
        assert_eq!(parse_date("08 December 2024 14:00", mf), d(2024, 12, 8));
        assert_eq!(parse_date("12/30/25", mf), d(2025, 12, 30));
        assert_eq!(parse_date("30/12/25", DateOrder::DayFirst), d(2025, 12, 30));
        assert_eq!(parse_date("01/02/99", mf), d(1999, 1, 2));
        for bad in [
            "Dex 8, 2024",
            "Feb 30, 2024",
            "Ma 3, 2024",
            "Dec 2024",
            "8 Dec",
            "12/30/2",
            "May",
        ] {
            assert_eq!(parse_date(bad, mf), None, "{bad:?}");
        }
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
