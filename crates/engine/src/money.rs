//! Money: amounts as written in exports, parsed into exact integers.
//!
//! Amounts are kept as integer minor units of the file's currency (yen for
//! JPY, cents for USD). Parsing accepts the forms shops export: `1234`,
//! `1,234`, `¥1,234`, `1,234円`, `$1,234.56`, `1.234,56`, `(1,234)`, `-1234`,
//! and treats Rakuten's `-99999` as "no value".

/// A decimal number as written: `mantissa × 10^-scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i64,
    pub scale: u8,
}

/// The outcome of reading an amount cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedAmount {
    /// The cell is empty or a sentinel meaning "no value".
    Missing,
    Value(Decimal),
    Invalid,
}

/// Which character marks decimals in a file's amounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    /// Decided per cell: the last of `.` and `,` when both appear; a lone
    /// comma followed by three digits is a thousands separator.
    #[default]
    Auto,
    /// `1,234.56` (Japan, the US, the UK).
    Dot,
    /// `1.234,56` (much of Europe): `1.234` is one thousand two hundred
    /// and thirty-four.
    Comma,
}

/// The mark a cell proves, if any: `1.234,56`, `12,5` prove a comma;
/// `1,234.56`, `12.5` prove a dot; `1,234` and `1.234` prove nothing.
pub fn proves_decimal_mark(cell: &str) -> Option<DecimalMark> {
    let t: Vec<u8> = cell
        .bytes()
        .filter(|b| matches!(b, b'0'..=b'9' | b'.' | b','))
        .collect();
    let last_sep = t.iter().rposition(|&b| b == b'.' || b == b',')?;
    let after = t.len() - last_sep - 1;
    let mark = t[last_sep];
    let count = t.iter().filter(|&&b| b == mark).count();
    if count > 1 {
        // 1.234.567 or 1,234,567: the repeated mark separates thousands, so
        // decimals would be marked by the other one.
        return Some(if mark == b'.' {
            DecimalMark::Comma
        } else {
            DecimalMark::Dot
        });
    }
    if after == 3 || after == 0 {
        return None; // 1,234 or 1.234: either reading is possible
    }
    Some(if mark == b',' {
        DecimalMark::Comma
    } else {
        DecimalMark::Dot
    })
}

/// Reads an amount cell with the [`DecimalMark::Auto`] rule.
pub fn parse_amount(cell: &str) -> ParsedAmount {
    parse_amount_with(cell, DecimalMark::Auto)
}

/// Reads an amount cell. Never panics; overflow is `Invalid`.
pub fn parse_amount_with(cell: &str, mark: DecimalMark) -> ParsedAmount {
    let s = cell.trim();
    if s.is_empty() || s == "-" {
        return ParsedAmount::Missing;
    }
    let mut negative = false;
    let mut body = s;
    if body.starts_with('(') && body.ends_with(')') && body.len() >= 2 {
        negative = true;
        body = &body[1..body.len() - 1];
    }
    // Keep digits and separators; note a sign; drop currency symbols, codes
    // and spaces around them.
    let mut digits_seen = false;
    let mut buf = [0u8; 48];
    let mut n = 0usize;
    for ch in body.chars() {
        match ch {
            '0'..='9' => {
                digits_seen = true;
                if n >= buf.len() {
                    return ParsedAmount::Invalid;
                }
                buf[n] = ch as u8;
                n += 1;
            }
            '.' | ',' => {
                if n >= buf.len() {
                    return ParsedAmount::Invalid;
                }
                buf[n] = ch as u8;
                n += 1;
            }
            '-' | '−' | '▲' | '△' => {
                if digits_seen || negative {
                    return ParsedAmount::Invalid;
                }
                negative = true;
            }
            '+' if !digits_seen => {}
            '¥' | '￥' | '$' | '€' | '£' | '円' | ' ' | '\u{a0}' | '\'' => {}
            c if c.is_ascii_alphabetic() && !digits_seen => {} // "JPY 1234", "US$"
            c if c.is_ascii_alphabetic() && digits_seen => {
                // "1234 JPY": allow trailing letters only
            }
            _ => return ParsedAmount::Invalid,
        }
    }
    if !digits_seen {
        return ParsedAmount::Invalid;
    }
    let text = &buf[..n];
    let last_dot = text.iter().rposition(|&b| b == b'.');
    let last_comma = text.iter().rposition(|&b| b == b',');
    let decimal_at = match mark {
        DecimalMark::Dot => {
            if text.iter().filter(|&&b| b == b'.').count() > 1 {
                return ParsedAmount::Invalid;
            }
            last_dot
        }
        DecimalMark::Comma => {
            if text.iter().filter(|&&b| b == b',').count() > 1 {
                return ParsedAmount::Invalid;
            }
            last_comma
        }
        DecimalMark::Auto => auto_decimal(text, last_dot, last_comma),
    };
    let mut mantissa: i64 = 0;
    let mut scale: u8 = 0;
    for (i, &b) in text.iter().enumerate() {
        if b.is_ascii_digit() {
            mantissa = match mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add((b - b'0') as i64))
            {
                Some(m) => m,
                None => return ParsedAmount::Invalid,
            };
            if decimal_at.is_some_and(|d| i > d) {
                scale = scale.saturating_add(1);
            }
        } else if let Some(d) = decimal_at {
            // A thousands separator stands before the decimal mark and is
            // the other character (1,234.5 or 1.234,5; never 1.2,3.4).
            if i != d && (i > d || b == text[d]) {
                return ParsedAmount::Invalid;
            }
        } else if mark != DecimalMark::Auto
            && b != [b',', b'.'][(mark == DecimalMark::Comma) as usize]
        {
            // Without decimals, only the thousands separator may appear.
            return ParsedAmount::Invalid;
        }
    }
    finish_amount(mantissa, scale, negative)
}

/// Where the decimal mark is by the per-cell rule of [`DecimalMark::Auto`].
fn auto_decimal(text: &[u8], last_dot: Option<usize>, last_comma: Option<usize>) -> Option<usize> {
    match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(d), None) => {
            // One dot is a decimal point (1234.5, 1.234); several are
            // thousands separators (1.234.567).
            let dots = text.iter().filter(|&&b| b == b'.').count();
            if dots > 1 {
                None
            } else {
                Some(d)
            }
        }
        (None, Some(c)) => {
            let commas = text.iter().filter(|&&b| b == b',').count();
            let after = text.len() - c - 1;
            if commas == 1 && after != 3 && after > 0 {
                Some(c) // 1234,5 or 12,34: a decimal comma
            } else {
                None // 1,234 and 1,234,567: thousands separators
            }
        }
        (None, None) => None,
    }
}

/// Sign, sentinel and range checks shared by every decimal mark.
fn finish_amount(mut mantissa: i64, scale: u8, negative: bool) -> ParsedAmount {
    if scale > 6 {
        return ParsedAmount::Invalid;
    }
    if negative {
        mantissa = -mantissa;
    }
    // Rakuten writes -99999 for "no value".
    if mantissa == -99999 && scale == 0 {
        return ParsedAmount::Missing;
    }
    ParsedAmount::Value(Decimal { mantissa, scale })
}

/// Converts a decimal to minor units with `exponent` digits, rounding half
/// away from zero. Returns the value and whether it was rounded.
pub fn to_minor(d: Decimal, exponent: u8) -> Option<(i64, bool)> {
    if d.scale <= exponent {
        let factor = 10i64.checked_pow((exponent - d.scale) as u32)?;
        Some((d.mantissa.checked_mul(factor)?, false))
    } else {
        let div = 10i64.checked_pow((d.scale - exponent) as u32)?;
        let q = d.mantissa / div;
        let r = d.mantissa % div;
        let rounded = if r.abs() * 2 >= div {
            q + d.mantissa.signum()
        } else {
            q
        };
        Some((rounded, r != 0))
    }
}

/// ISO 4217 minor-unit digits for a currency code (2 when unknown).
pub fn currency_exponent(code: &str) -> u8 {
    match code.trim().to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "PYG" | "UGX" | "XAF" | "XOF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "IQD" | "LYD" => 3,
        _ => 2,
    }
}

/// The currencies written with a symbol (`¥1,234`), by code; the others
/// are written with their code after the number (`1,234.56 CHF`).
pub const CURRENCY_SYMBOLS: [(&str, &str); 4] =
    [("JPY", "¥"), ("EUR", "€"), ("GBP", "£"), ("USD", "$")];

/// Guesses the currency from symbols in an amount cell.
pub fn currency_from_symbol(cell: &str) -> Option<&'static str> {
    if cell.contains('￥') || cell.contains('円') {
        return Some("JPY");
    }
    CURRENCY_SYMBOLS
        .iter()
        .find(|(code, symbol)| cell.contains(symbol) || cell.contains(code))
        .map(|&(code, _)| code)
}

/// What goes before and after the number of an amount in `currency`:
/// `("¥", "")`, `("", " CHF")`, or nothing when the currency is unknown.
pub fn currency_affixes(currency: Option<&str>) -> (&'static str, String) {
    match currency {
        None => ("", String::new()),
        Some(code) => match CURRENCY_SYMBOLS.iter().find(|(c, _)| *c == code) {
            Some(&(_, symbol)) => (symbol, String::new()),
            None => ("", format!(" {code}")),
        },
    }
}

/// `|x|` with `decimals` decimals, with thousands separators if `group`
/// (`1,234.50`), and whether a minus sign is due (not for a value that
/// rounds to zero). The one number formatter of the app's tables and the
/// charts' axes; the caller places the sign, symbol and unit.
pub fn fixed(x: f64, decimals: usize, group: bool) -> (bool, String) {
    let s = format!("{:.*}", decimals, x.abs());
    let negative = x < 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = if group {
        group_thousands(int)
    } else {
        int.to_string()
    };
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    (negative, out)
}

/// `"1234567"` → `"1,234,567"`.
pub fn group_thousands(digits: &str) -> String {
    let n = digits.chars().count();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `10^exponent`: minor units per major unit (100 cents to the dollar).
pub fn minor_per_major(exponent: u8) -> f64 {
    10f64.powi(i32::from(exponent))
}

/// An amount of money in the minor units of the file's currency (yen,
/// cents) together with the currency's exponent. The analyses compute in
/// minor units (exact integer sums; averages divide last); the report
/// shows, prints and compares major units (1234.56), converted here and only
/// here ([`Money::major`]).
///
/// Serialises as the major-unit number, the unit of the CLI's JSON. The
/// exponent is not written (the report states it once, as
/// `summary.minor_exponent`), so a `Money` read back from JSON is the same
/// amount expressed in major units with exponent 0: its [`Money::major`] is
/// bit for bit the number that was written. Two amounts are equal when their
/// major units are.
///
/// Integer amounts are exact up to 2^53 minor units (as in the JSON).
#[derive(Clone, Copy, Debug, Default)]
pub struct Money {
    minor: f64,
    exponent: u8,
}

impl Money {
    /// An exact amount (a sum of order amounts) in minor units.
    pub fn from_minor(minor: i64, exponent: u8) -> Money {
        Money::from_minor_f64(minor as f64, exponent)
    }
    /// A derived amount (an average, a per-customer figure) in minor units.
    pub fn from_minor_f64(minor: f64, exponent: u8) -> Money {
        Money { minor, exponent }
    }
    /// The amount in minor units of [`Money::exponent`].
    pub fn minor(self) -> f64 {
        self.minor
    }
    /// The exponent of the minor units (0 for yen, 2 for cents).
    pub fn exponent(self) -> u8 {
        self.exponent
    }
    /// The amount in major units: the number the report prints.
    pub fn major(self) -> f64 {
        self.minor / minor_per_major(self.exponent)
    }
}

impl PartialEq for Money {
    fn eq(&self, other: &Money) -> bool {
        self.major() == other.major()
    }
}

/// Compares with a number of major units, as the JSON reads: `revenue ==
/// 162.5`.
impl PartialEq<f64> for Money {
    fn eq(&self, major: &f64) -> bool {
        self.major() == *major
    }
}

impl PartialEq<Money> for f64 {
    fn eq(&self, money: &Money) -> bool {
        *self == money.major()
    }
}

impl std::fmt::Display for Money {
    /// The major units as `f64` prints them (width and precision apply).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.major(), f)
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.major())
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let major = f64::deserialize(d)?;
        Ok(Money::from_minor_f64(major, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> (i64, u8) {
        match parse_amount(s) {
            ParsedAmount::Value(d) => (d.mantissa, d.scale),
            other => panic!("{s:?} gave {other:?}"),
        }
    }

    #[test]
    fn shop_formats() {
        assert_eq!(v("1234"), (1234, 0));
        assert_eq!(v("1,234"), (1234, 0));
        assert_eq!(v("¥1,234"), (1234, 0));
        assert_eq!(v("￥1,234"), (1234, 0));
        assert_eq!(v("1,234円"), (1234, 0));
        assert_eq!(v("$1,234.56"), (123456, 2));
        assert_eq!(v("1.234,56"), (123456, 2));
        assert_eq!(v("1,234,567"), (1234567, 0));
        assert_eq!(v("1.234.567"), (1234567, 0));
        assert_eq!(v("12,5"), (125, 1));
        assert_eq!(v("(1,234)"), (-1234, 0));
        assert_eq!(v("-1234"), (-1234, 0));
        assert_eq!(v(" 0.5 "), (5, 1));
        assert_eq!(v("JPY 1200"), (1200, 0));
        assert_eq!(v("1200 JPY"), (1200, 0));
    }

    #[test]
    fn missing_and_invalid() {
        assert_eq!(parse_amount(""), ParsedAmount::Missing);
        assert_eq!(parse_amount("  "), ParsedAmount::Missing);
        assert_eq!(parse_amount("-99999"), ParsedAmount::Missing);
        assert_eq!(parse_amount("abc"), ParsedAmount::Invalid);
        assert_eq!(parse_amount("12-3"), ParsedAmount::Invalid);
        assert_eq!(
            parse_amount("99999999999999999999999"),
            ParsedAmount::Invalid
        );
        assert_eq!(parse_amount("1.2,3.4"), ParsedAmount::Invalid);
    }

    #[test]
    fn a_file_wide_decimal_mark_reads_ambiguous_cells() {
        let v = |s, m| match parse_amount_with(s, m) {
            ParsedAmount::Value(d) => Some((d.mantissa, d.scale)),
            _ => None,
        };
        assert_eq!(v("1.234", DecimalMark::Comma), Some((1234, 0)));
        assert_eq!(v("1.234", DecimalMark::Dot), Some((1234, 3)));
        assert_eq!(v("1,234", DecimalMark::Comma), Some((1234, 3)));
        assert_eq!(v("1,234", DecimalMark::Dot), Some((1234, 0)));
        assert_eq!(v("1.234.567,8", DecimalMark::Comma), Some((12345678, 1)));
        assert_eq!(v("€ 12,50", DecimalMark::Comma), Some((1250, 2)));
        assert_eq!(v("1,234.5", DecimalMark::Comma), None);
        assert_eq!(v("1.234,5", DecimalMark::Dot), None);
        assert_eq!(proves_decimal_mark("1.234,56"), Some(DecimalMark::Comma));
        assert_eq!(proves_decimal_mark("12,5"), Some(DecimalMark::Comma));
        assert_eq!(proves_decimal_mark("$1,234.56"), Some(DecimalMark::Dot));
        assert_eq!(
            proves_decimal_mark("1.234.567,00"),
            Some(DecimalMark::Comma)
        );
        assert_eq!(proves_decimal_mark("1,234,567"), Some(DecimalMark::Dot));
        assert_eq!(proves_decimal_mark("1,234"), None);
        assert_eq!(proves_decimal_mark("1.234"), None);
        assert_eq!(proves_decimal_mark("1234"), None);
    }

    #[test]
    fn symbols_and_separators() {
        assert_eq!(currency_from_symbol("￥1,200"), Some("JPY"));
        assert_eq!(currency_from_symbol("US$ 12"), Some("USD"));
        assert_eq!(currency_from_symbol("12 GBP"), Some("GBP"));
        assert_eq!(currency_from_symbol("12"), None);
        assert_eq!(currency_affixes(Some("EUR")), ("€", String::new()));
        assert_eq!(currency_affixes(Some("CHF")), ("", " CHF".to_string()));
        assert_eq!(currency_affixes(None), ("", String::new()));
        assert_eq!(fixed(-1234.5, 2, true), (true, "1,234.50".to_string()));
        assert_eq!(fixed(-0.004, 2, true), (false, "0.00".to_string()));
        assert_eq!(fixed(1234.0, 0, false), (false, "1234".to_string()));
        assert_eq!(group_thousands("100"), "100");
    }

    #[test]
    fn money_is_written_and_read_in_major_units() {
        let m = Money::from_minor(123456, 2);
        assert_eq!(m.major(), 1234.56);
        assert_eq!(serde_json::to_string(&m).unwrap(), "1234.56");
        let back: Money = serde_json::from_str("1234.56").unwrap();
        assert_eq!((back, back.major()), (m, 1234.56));
        assert_eq!(format!("{:.1}", Money::from_minor_f64(1250.0, 2)), "12.5");
        assert_eq!(Money::from_minor(-712, 0).major(), -712.0);
    }

    #[test]
    fn minor_units() {
        let d = |m, s| Decimal {
            mantissa: m,
            scale: s,
        };
        assert_eq!(to_minor(d(123456, 2), 2), Some((123456, false)));
        assert_eq!(to_minor(d(1234, 0), 2), Some((123400, false)));
        assert_eq!(to_minor(d(12345, 1), 0), Some((1235, true)));
        assert_eq!(to_minor(d(-12345, 1), 0), Some((-1235, true)));
        assert_eq!(to_minor(d(12344, 1), 0), Some((1234, true)));
        assert_eq!(to_minor(d(i64::MAX, 0), 2), None);
        assert_eq!(currency_exponent("jpy"), 0);
        assert_eq!(currency_exponent("USD"), 2);
    }
}
