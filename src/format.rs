//! Number formatting for people (the tables' visible text). The raw numbers
//! go into `data-value` attributes exactly as the CLI's JSON writes them.

/// `1234567` -> `1,234,567`.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number with `decimals` digits and thousands separators.
pub fn decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-".to_string()
    } else {
        String::new()
    };
    out.push_str(&int(whole.parse::<i64>().unwrap_or(0)));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Money in major units with the currency's symbol: `¥1,234`, `$1,234.56`,
/// `1,234.56 CHF`, or a plain number when the currency is unknown.
pub fn money(major: f64, currency: Option<&str>, exponent: u8) -> String {
    let n = decimal(major, exponent as usize);
    // The sign goes before the symbol: -¥712, not ¥-712.
    match n.strip_prefix('-') {
        Some(abs) => format!("-{}", money_abs(abs, currency)),
        None => money_abs(&n, currency),
    }
}

/// `n` (already formatted, no sign) with the currency's symbol or code.
fn money_abs(n: &str, currency: Option<&str>) -> String {
    match currency {
        Some("JPY") => format!("¥{n}"),
        Some("USD") => format!("${n}"),
        Some("EUR") => format!("€{n}"),
        Some("GBP") => format!("£{n}"),
        Some(code) => format!("{n} {code}"),
        None => n.to_string(),
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
