//! CSV export (CSV出力) of customer lists and result tables, written with
//! the `csv` crate's writer, made in memory (the app turns the bytes into a
//! `Blob`; nothing is uploaded).
//!
//! [`write_table`]: a header row and typed [`Cell`]s → [`Export`] (the file's
//! bytes and what was changed on the way).
//!
//! # The file
//! - **Encoding** ([`ExportEncoding`]): UTF-8 with a byte-order mark
//!   (`EF BB BF`) by default, so Excel opens Japanese text correctly; or
//!   Shift_JIS (シフトJIS, as encoding_rs writes it: the WHATWG Shift_JIS
//!   encoder, which is Windows-31J/CP932 minus the NEC-selected IBM rows) for
//!   older Japanese Excel, without a BOM.
//! - **Line ends** are CRLF (`\r\n`), what Excel itself writes and RFC 4180
//!   specifies; the last row ends with one too.
//! - **Quoting**: a field is quoted only when it must be (it holds a comma, a
//!   double quote, CR or LF, or is the lone empty field of a row), and
//!   always when it holds a single quote `'`, which includes every
//!   neutralised cell (the writer's comment character is set to `'` to get
//!   exactly that). Quotes inside a field are doubled.
//!
//! # Cells
//! Numbers are written as numbers, so a spreadsheet can sum them:
//! - [`Cell::Int`]: `-1200`, `42`;
//! - [`Cell::Money`]: integer minor units written exactly in major units
//!   with the currency's exponent, no float on the way: `123450` cents
//!   (exponent 2) → `1234.50` (always exactly `exponent` decimals, so
//!   cents show as cents); `1234` yen (exponent 0) → `1234`; `-5` cents →
//!   `-0.05`. No thousands separator, no currency sign.
//! - [`Cell::Float`]: the shortest decimal that reads back as the same
//!   `f64` (`0.25`, `1.5`), never in exponent form; `-0` is written `0`;
//!   NaN and infinities are written as an empty cell.
//! - [`Cell::Fixed`]: a ratio or average with a fixed number of decimals,
//!   rounded as the app's tables round (`money::fixed`): `0.3333…` with 3
//!   decimals → `0.333`; a value that rounds to zero has no minus sign.
//!   A report [`Money`] (`Cell::from(money)`) is a [`Cell::Money`] when its
//!   minor units are a whole number, else `Fixed` with the currency's
//!   exponent as decimals, rounded to nearest by Rust's formatter (exact
//!   ties to even: an average of 1234.5 yen → `1234`, 1235.5 → `1236`).
//! - [`Cell::Date`]: ISO `YYYY-MM-DD`, which Excel reads as a date.
//! - [`Cell::Empty`]: an empty field.
//!
//! # CSV injection (CSVインジェクション)
//! A [`Cell::Text`] (and a header name) that begins with `=`, `+`, `-`, `@`,
//! tab (0x09) or carriage return (0x0D) would be run as a formula by Excel,
//! LibreOffice or Google Sheets. As OWASP advises
//! (<https://owasp.org/www-community/attacks/CSV_Injection>), such a cell
//! is prefixed with a single quote `'` and quoted: `=1+1` is written
//! `"'=1+1"`, and a spreadsheet shows the text `'=1+1` (Excel hides the
//! quote and shows `=1+1` as text). The rule looks at the first character
//! of the text only, so `-2+3` and the phone number `+81-90-1234-5678` are
//! neutralised, while `1-2` and `<script>alert(1)</script>` are written as
//! they are (HTML is only text in a CSV). Numbers are never text here:
//! a negative amount is a [`Cell::Int`] or [`Cell::Money`] and stays
//! `-1200`. Full-width look-alikes (`＝`, `＋`) are not in OWASP's list and
//! are written as they are.
//!
//! # Characters Shift_JIS cannot hold
//! Emoji (😀), most accented Latin letters, and CJK characters outside
//! JIS X 0208 and the IBM extensions are replaced by `?` and counted
//! ([`Export::unrepresentable_chars`], [`Export::cells_with_unrepresentable`])
//! so the page can warn; encoding_rs's own fallback, HTML numeric character
//! references (`&#128512;`), would put markup into the spreadsheet and is
//! not used. Neutralisation looks at the text before replacement (`?` is
//! not a dangerous character). Characters that *are* encoded, with the
//! WHATWG mapping:
//! - half-width katakana (`ｶﾀｶﾅ`) as single bytes `0xA1..=0xDF`;
//! - `髙` (U+9AD9, a CP932-only IBM extension) as `0xFB 0xFC`, which
//!   Japanese Excel shows as 髙 and encoding_rs decodes back to 髙;
//! - `¥` (U+00A5) as `0x5C` and `‾` (U+203E) as `0x7E`, which Japanese
//!   Windows fonts show as ¥ and ‾ but which decode back as `\` and `~`;
//! - `−` (U+2212 MINUS SIGN) as `0x81 0x7C`, which decodes back as `－`
//!   (U+FF0D).
//!
//! ```
//! use ltv_engine::export::{write_table, Cell, ExportEncoding};
//! let rows = vec![vec![Cell::from("=1+1"), Cell::Int(-1200), Cell::money(123450, 2)]];
//! let out = write_table(&["customer", "n", "revenue"], rows, ExportEncoding::Utf8Bom).unwrap(); // ok-panic: doc example
//! assert_eq!(out.bytes, "\u{feff}customer,n,revenue\r\n\"'=1+1\",-1200,1234.50\r\n".as_bytes());
//! assert_eq!(out.neutralised_cells, 1);
//! ```

use crate::money::{fixed, Money};
use chrono::NaiveDate;
use encoding_rs::SHIFT_JIS;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The UTF-8 byte-order mark written first in [`ExportEncoding::Utf8Bom`].
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a neutralised text cell is prefixed with.
pub const NEUTRALISING_PREFIX: char = '\'';

/// The character an unrepresentable character becomes in Shift_JIS.
pub const SHIFT_JIS_REPLACEMENT: char = '?';

/// The character set (文字コード) of an exported file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportEncoding {
    /// UTF-8 with a byte-order mark (BOM付きUTF-8): Excel opens Japanese
    /// text correctly, every character is kept.
    #[default]
    Utf8Bom,
    /// Shift_JIS (CP932 as encoding_rs encodes it) for older Japanese
    /// Excel; characters it cannot hold become `?` and are counted.
    ShiftJis,
}

impl ExportEncoding {
    /// The MIME type for a download (`Blob` type, `Content-Type`).
    pub fn mime_type(self) -> &'static str {
        match self {
            ExportEncoding::Utf8Bom => "text/csv;charset=utf-8",
            ExportEncoding::ShiftJis => "text/csv;charset=shift_jis",
        }
    }

    /// The name the CLI accepts and prints (`utf-8`, `shift_jis`).
    pub fn name(self) -> &'static str {
        match self {
            ExportEncoding::Utf8Bom => "utf-8",
            ExportEncoding::ShiftJis => "shift_jis",
        }
    }
}

impl std::str::FromStr for ExportEncoding {
    type Err = UnknownEncoding;

    /// Reads a CLI option, case-insensitively: `utf-8`, `utf8`, `utf8-bom`,
    /// `utf8_bom` → [`ExportEncoding::Utf8Bom`]; `shift_jis`, `shift-jis`,
    /// `sjis`, `cp932`, `windows-31j` → [`ExportEncoding::ShiftJis`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" | "utf8-bom" | "utf8_bom" | "utf-8-bom" => Ok(ExportEncoding::Utf8Bom),
            "shift_jis" | "shift-jis" | "shiftjis" | "sjis" | "cp932" | "windows-31j" => {
                Ok(ExportEncoding::ShiftJis)
            }
            _ => Err(UnknownEncoding(s.to_string())),
        }
    }
}

/// An encoding name [`ExportEncoding`] does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEncoding(pub String);

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown CSV encoding {:?} (expected utf-8 or shift_jis)",
            self.0
        )
    }
}

impl std::error::Error for UnknownEncoding {}

/// One cell of an exported table, typed so numbers stay numbers and text is
/// neutralised (see the module doc).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text: neutralised when it begins with a dangerous character.
    Text(String),
    /// An integer, written as it is (`-1200`).
    Int(i64),
    /// An amount in integer minor units and its currency's exponent (2 for
    /// cents, 0 for yen), written exactly in major units (`1234.50`).
    Money { minor: i64, exponent: u8 },
    /// A date, written `YYYY-MM-DD`.
    Date(NaiveDate),
    /// A ratio or score, written as the shortest exact decimal; NaN and
    /// infinities are written empty.
    Float(f64),
    /// A ratio or average written with `decimals` decimals; NaN and
    /// infinities are written empty.
    Fixed { value: f64, decimals: u8 },
    /// No value.
    Empty,
}

impl Cell {
    /// An amount in minor units with its currency's exponent.
    pub fn money(minor: i64, exponent: u8) -> Cell {
        Cell::Money { minor, exponent }
    }
}

impl From<Money> for Cell {
    /// Whole minor units → [`Cell::Money`] (exact); fractional ones (an
    /// average) → [`Cell::Fixed`] in major units with the exponent's
    /// decimals.
    fn from(m: Money) -> Cell {
        let minor = m.minor();
        // Whole numbers below 2^53 are exact in f64 and fit in i64.
        if minor.is_finite() && minor.fract() == 0.0 && minor.abs() < 9.0e15 {
            Cell::Money {
                minor: minor as i64,
                exponent: m.exponent(),
            }
        } else {
            Cell::Fixed {
                value: m.major(),
                decimals: m.exponent(),
            }
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Int(i64::from(n))
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// An exported file and what was changed on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The file's bytes, in the chosen encoding (with the BOM for UTF-8).
    pub bytes: Vec<u8>,
    /// Data rows written (the header row not counted).
    pub rows: usize,
    /// Text cells (header names included) prefixed with `'` against CSV
    /// injection.
    pub neutralised_cells: usize,
    /// Characters Shift_JIS cannot hold, each written as `?` (always 0 for
    /// UTF-8).
    pub unrepresentable_chars: usize,
    /// Cells (header names included) holding at least one such character.
    pub cells_with_unrepresentable: usize,
}

/// Why a table could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// A data row has a different number of cells than the header.
    RowWidth {
        /// The data row, 1-based (the header row not counted).
        row: usize,
        expected: usize,
        found: usize,
    },
    /// The CSV writer failed (writing to memory: not expected).
    Write(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::RowWidth {
                row,
                expected,
                found,
            } => write!(
                f,
                "export row {row} has {found} cells, the header has {expected}"
            ),
            ExportError::Write(e) => write!(f, "the CSV writer failed: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Write(e.to_string())
    }
}

/// Whether a text cell must be neutralised: it begins with `=`, `+`, `-`,
/// `@`, tab or carriage return (OWASP's list).
pub fn is_dangerous(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// The text as it is written: `'` + text when [`is_dangerous`], else the
/// text itself.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if is_dangerous(text) {
        let mut s = String::with_capacity(text.len() + 1);
        s.push(NEUTRALISING_PREFIX);
        s.push_str(text);
        Cow::Owned(s)
    } else {
        Cow::Borrowed(text)
    }
}

/// `minor × 10^-exponent` written exactly with `exponent` decimals:
/// `(123450, 2)` → `1234.50`, `(-5, 2)` → `-0.05`, `(1234, 0)` → `1234`.
pub fn format_money(minor: i64, exponent: u8) -> String {
    let digits = minor.unsigned_abs().to_string();
    let e = usize::from(exponent);
    let mut out = String::with_capacity(digits.len() + e + 3);
    if minor < 0 {
        out.push('-');
    }
    if e == 0 {
        out.push_str(&digits);
        return out;
    }
    if digits.len() <= e {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', e - digits.len()));
        out.push_str(&digits);
    } else {
        let (int, frac) = digits.split_at(digits.len() - e);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A float as the shortest decimal that reads back as it (Rust's `Display`
/// for `f64`, never in exponent form); `-0` → `0`; NaN, ±∞ → empty.
pub fn format_float(x: f64) -> String {
    if !x.is_finite() {
        String::new()
    } else if x == 0.0 {
        "0".to_string()
    } else {
        x.to_string()
    }
}

/// `x` with `decimals` decimals, no grouping, `-` only when it does not
/// round to zero; NaN, ±∞ → empty.
pub fn format_fixed(x: f64, decimals: u8) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let (negative, digits) = fixed(x, usize::from(decimals), false);
    if negative {
        format!("-{digits}")
    } else {
        digits
    }
}

/// Counts of what writing changed, added up over the cells.
#[derive(Default)]
struct Changes {
    neutralised: usize,
    unrepresentable_chars: usize,
    cells_with_unrepresentable: usize,
}

/// A text field as written: neutralised, then (for Shift_JIS) with every
/// character Shift_JIS cannot hold replaced by `?`.
fn text_field(text: &str, enc: ExportEncoding, changes: &mut Changes) -> String {
    let safe = neutralise(text);
    if matches!(safe, Cow::Owned(_)) {
        changes.neutralised += 1;
    }
    match enc {
        ExportEncoding::Utf8Bom => safe.into_owned(),
        ExportEncoding::ShiftJis => {
            let (_, _, had_errors) = SHIFT_JIS.encode(&safe);
            if !had_errors {
                return safe.into_owned();
            }
            changes.cells_with_unrepresentable += 1;
            let mut out = String::with_capacity(safe.len());
            let mut buf = [0u8; 4];
            for ch in safe.chars() {
                let (_, _, bad) = SHIFT_JIS.encode(ch.encode_utf8(&mut buf));
                if bad {
                    changes.unrepresentable_chars += 1;
                    out.push(SHIFT_JIS_REPLACEMENT);
                } else {
                    out.push(ch);
                }
            }
            out
        }
    }
}

fn field(cell: &Cell, enc: ExportEncoding, changes: &mut Changes) -> String {
    match cell {
        Cell::Text(s) => text_field(s, enc, changes),
        Cell::Int(n) => n.to_string(),
        Cell::Money { minor, exponent } => format_money(*minor, *exponent),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Float(x) => format_float(*x),
        Cell::Fixed { value, decimals } => format_fixed(*value, *decimals),
        Cell::Empty => String::new(),
    }
}

/// Writes a table: the header row, then one row per item of `rows`, each
/// with as many cells as the header (else [`ExportError::RowWidth`]).
/// Header names are text cells (neutralised and replaced the same way).
pub fn write_table<I>(header: &[&str], rows: I, enc: ExportEncoding) -> Result<Export, ExportError>
where
    I: IntoIterator<Item = Vec<Cell>>,
{
    let mut changes = Changes::default();
    let mut out = Vec::new();
    if enc == ExportEncoding::Utf8Bom {
        out.extend_from_slice(UTF8_BOM);
    }
    let mut wtr = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        // Quotes every field holding `'`: every neutralised cell.
        .comment(Some(b'\''))
        .from_writer(out);
    let head: Vec<String> = header
        .iter()
        .map(|h| text_field(h, enc, &mut changes))
        .collect();
    wtr.write_record(&head)?;
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    let mut n_rows = 0usize;
    for (i, row) in rows.into_iter().enumerate() {
        if row.len() != header.len() {
            return Err(ExportError::RowWidth {
                row: i + 1,
                expected: header.len(),
                found: row.len(),
            });
        }
        record.clear();
        record.extend(row.iter().map(|c| field(c, enc, &mut changes)));
        wtr.write_record(&record)?;
        n_rows += 1;
    }
    let utf8 = wtr
        .into_inner()
        .map_err(|e| ExportError::Write(e.to_string()))?;
    let bytes = match enc {
        ExportEncoding::Utf8Bom => utf8,
        ExportEncoding::ShiftJis => {
            // Every field was made representable above and the CSV syntax
            // is ASCII, so this encodes without replacement.
            let text = String::from_utf8(utf8).map_err(|e| ExportError::Write(e.to_string()))?;
            let (bytes, _, _) = SHIFT_JIS.encode(&text);
            bytes.into_owned()
        }
    };
    Ok(Export {
        bytes,
        rows: n_rows,
        neutralised_cells: changes.neutralised,
        unrepresentable_chars: changes.unrepresentable_chars,
        cells_with_unrepresentable: changes.cells_with_unrepresentable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_exact_for_exponents_0_2_3() {
        assert_eq!(format_money(123450, 2), "1234.50");
        assert_eq!(format_money(5, 2), "0.05");
        assert_eq!(format_money(-5, 2), "-0.05");
        assert_eq!(format_money(0, 2), "0.00");
        assert_eq!(format_money(100, 2), "1.00");
        assert_eq!(format_money(-120000, 2), "-1200.00");
        assert_eq!(format_money(1234, 0), "1234");
        assert_eq!(format_money(-1200, 0), "-1200");
        assert_eq!(format_money(0, 0), "0");
        assert_eq!(format_money(1, 3), "0.001");
        assert_eq!(format_money(i64::MIN, 2), "-92233720368547758.08");
        assert_eq!(format_money(i64::MAX, 0), "9223372036854775807");
        // 0.1 + 0.2 as cents: no float on the way.
        assert_eq!(format_money(10 + 20, 2), "0.30");
    }

    #[test]
    fn floats_shortest_and_never_odd() {
        assert_eq!(format_float(0.25), "0.25");
        assert_eq!(format_float(-1.5), "-1.5");
        assert_eq!(format_float(-0.0), "0");
        assert_eq!(format_float(1e21), "1000000000000000000000");
        assert_eq!(format_float(f64::NAN), "");
        assert_eq!(format_float(f64::INFINITY), "");
    }

    #[test]
    fn fixed_rounds_like_the_tables() {
        assert_eq!(format_fixed(1.0 / 3.0, 3), "0.333");
        assert_eq!(format_fixed(-2.0 / 3.0, 2), "-0.67");
        assert_eq!(format_fixed(-0.001, 2), "0.00");
        assert_eq!(format_fixed(2.5, 0), "2");
        assert_eq!(format_fixed(1235.5, 0), "1236");
        assert_eq!(format_fixed(f64::NAN, 2), "");
    }

    #[test]
    fn report_money_becomes_exact_money_or_fixed() {
        assert_eq!(
            Cell::from(Money::from_minor(-120000, 2)),
            Cell::money(-120000, 2)
        );
        assert_eq!(Cell::from(Money::from_minor(1234, 0)), Cell::money(1234, 0));
        assert_eq!(
            Cell::from(Money::from_minor_f64(1234.5, 0)),
            Cell::Fixed {
                value: 1234.5,
                decimals: 0
            }
        );
        assert_eq!(
            Cell::from(Money::from_minor_f64(12345.6, 2)),
            Cell::Fixed {
                value: 123.456,
                decimals: 2
            }
        );
        assert_eq!(
            field(
                &Cell::from(Money::from_minor_f64(12345.6, 2)),
                ExportEncoding::Utf8Bom,
                &mut Changes::default()
            ),
            "123.46"
        );
    }

    #[test]
    fn dangerous_first_characters_only() {
        for s in ["=1+1", "+81", "-2+3", "@SUM(A1)", "\tx", "\rx", "-", "="] {
            assert!(is_dangerous(s), "{s:?}");
        }
        for s in ["", "1-2", " =1", "a=b", "'=1", "<script>", "＝1", "\nx"] {
            assert!(!is_dangerous(s), "{s:?}");
        }
        assert_eq!(neutralise("=1"), "'=1");
        assert_eq!(neutralise("a"), "a");
    }

    #[test]
    fn encoding_names() {
        assert_eq!("SJIS".parse(), Ok(ExportEncoding::ShiftJis));
        assert_eq!("utf-8".parse(), Ok(ExportEncoding::Utf8Bom));
        assert!("latin1".parse::<ExportEncoding>().is_err());
        assert_eq!(ExportEncoding::default(), ExportEncoding::Utf8Bom);
    }
}
