//! Number formatting for people (the tables' visible text). The raw numbers
//! go into `data-value` attributes exactly as the CLI's JSON writes them.

use ltv_engine::money::{currency_affixes, fixed, group_thousands};

/// `1234567` -> `1,234,567`.
pub fn int(n: i64) -> String {
    let digits = group_thousands(&n.unsigned_abs().to_string());
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// A number with `decimals` digits and thousands separators.
pub fn decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let (negative, digits) = fixed(x, decimals, true);
    if negative {
        format!("-{digits}")
    } else {
        digits
    }
}

/// Money in major units with the currency's symbol: `¥1,234`, `$1,234.56`,
/// `1,234.56 CHF`, or a plain number when the currency is unknown.
pub fn money(major: f64, currency: Option<&str>, exponent: u8) -> String {
    let n = decimal(major, exponent as usize);
    let (symbol, suffix) = currency_affixes(currency);
    // The sign goes before the symbol: -¥712, not ¥-712.
    match n.strip_prefix('-') {
        Some(abs) => format!("-{symbol}{abs}{suffix}"),
        None => format!("{symbol}{n}{suffix}"),
    }
}

/// A fraction of 1 as a percentage with one decimal: `0.4567` -> `45.7%`.
pub fn percent(f: f64) -> String {
    format!("{}%", decimal(f * 100.0, 1))
}

/// The raw value for a `data-value` attribute: the same text serde_json
/// writes in the CLI's JSON.
pub fn raw<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(-1234567), "-1,234,567");
        assert_eq!(decimal(1234.5, 2), "1,234.50");
        assert_eq!(decimal(-0.004, 2), "0.00");
        assert_eq!(decimal(f64::NAN, 1), "–");
    }

    #[test]
    fn money_and_percent() {
        assert_eq!(money(1234567.0, Some("JPY"), 0), "¥1,234,567");
        assert_eq!(money(1234.5, Some("USD"), 2), "$1,234.50");
        assert_eq!(money(10.0, Some("CHF"), 2), "10.00 CHF");
        assert_eq!(money(10.0, None, 0), "10");
        assert_eq!(money(-712.0, Some("JPY"), 0), "-¥712");
        assert_eq!(money(-1.5, Some("CHF"), 2), "-1.50 CHF");
        assert_eq!(percent(0.4567), "45.7%");
        assert_eq!(percent(1.0), "100.0%");
    }

    #[test]
    fn raw_values_match_serde_json() {
        assert_eq!(raw(&0.1f64), "0.1");
        assert_eq!(raw(&1234.0f64), "1234.0");
        assert_eq!(raw(&42u64), "42");
    }
}
