//! Streaming ingest: feed the bytes of an order export in chunks of any size,
//! then [`Ingest::finish`] to get a [`Dataset`].
//!
//! Stages, each with its own typed outcome:
//! 1. sniff the first 64 KiB: encoding (BOM, UTF-8 validity, else chardetng
//!    with a Japanese hint), "is this a table at all", delimiter, header,
//!    platform and auto-mapping, date order and currency ([`Preview`]);
//! 2. decode every chunk to UTF-8 ([`encoding_rs`]) and split records with
//!    the zero-copy splitter of `split.rs` (it reads as csv-core does),
//!    counting physical lines so every problem names its line;
//! 3. assemble line-item rows into orders (rows sharing an order id are one
//!    order; order-level fields are taken from the first row that has them),
//!    intern customer keys to small integers, and apply the exclusion rules.
//!
//! Memory grows with orders and customers, not with the file: raw bytes are
//! held only for the sniff and for the record being read.

use crate::date::{parse_date, proves_order, to_day, DateOrder};
use crate::error::{Error, ErrorKind, Problem, ProblemKind};
use crate::hash::FxHasher;
use crate::mapping::{
    auto_map, push_key_part, ColumnMapping, Field, MappingGuess, StatusClass, KEY_PART_SEPARATOR,
};
use crate::money::{
    currency_exponent, currency_from_symbol, parse_amount, parse_amount_with, proves_decimal_mark,
    to_minor, DecimalMark, ParsedAmount,
};
use crate::split::{Record, Span, Splitter, Step};
use crate::store::{
    CurrencyCount, Dataset, Exclusion, ExclusionReason, Keys, Order, ReadInfo, NO_CUSTOMER,
};
use encoding_rs::{DecoderResult, Encoding};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hasher;

mod part;
pub use part::{Part, PartSink, PartSource};

/// Bytes read before the encoding, delimiter and mapping are decided.
pub const SNIFF_BYTES: usize = 64 * 1024;
/// Problems kept with their position (all are counted).
pub const MAX_PROBLEMS: usize = 50;
/// Files from this size are read in two parts at once where two threads
/// are free (the CLI, the browser's two engine workers); see
/// [`Ingest::part`]. Below it, starting a second reader costs more than it
/// saves.
pub const PARTS_FROM_BYTES: u64 = 16 << 20;

/// Where to look for the start of a file's second part: 55% in, as the
/// first part's reader also joins the parts and the second one starts a
/// little later (its reader must sniff the head first). With the middle,
/// the second part finished last in most browser runs (waits of 0.1 to
/// 0.4 s on the 1M-line-item file).
pub fn split_aim(len: u64) -> u64 {
    len / 20 * 11
}

/// Where the second part of a file of `len` bytes should start: just after
/// the first line end in `window`, the bytes from [`split_aim`] on (1 MiB
/// of them is plenty). `None`: read the file in one part.
pub fn split_point(len: u64, window: &[u8]) -> Option<u64> {
    let aim = split_aim(len);
    if len < PARTS_FROM_BYTES || aim < SNIFF_BYTES as u64 {
        return None;
    }
    let at = window.iter().position(|&b| b == b'\n')? as u64 + 1;
    (aim + at < len).then_some(aim + at)
}

/// Rows shown in the mapping step's preview.
pub const PREVIEW_ROWS: usize = 10;

/// Which orders are left out or adjusted. Every rule can be switched off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionRules {
    /// Leave out cancelled and voided orders.
    pub exclude_cancelled: bool,
    /// Leave out orders refunded in full.
    pub exclude_refunded: bool,
    /// Subtract the refunded amount of partially refunded orders.
    pub subtract_refunds: bool,
    /// Leave out orders whose payment failed or was never completed.
    pub exclude_failed: bool,
    /// Leave out test orders.
    pub exclude_test: bool,
}

impl Default for ExclusionRules {
    fn default() -> Self {
        ExclusionRules {
            exclude_cancelled: true,
            exclude_refunded: true,
            subtract_refunds: true,
            exclude_failed: true,
            exclude_test: true,
        }
    }
}

/// Settings of a read; `None` means "detect".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestOptions {
    /// Serialised as its WHATWG name ("Shift_JIS").
    #[serde(with = "encoding_name")]
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<u8>,
    pub mapping: Option<ColumnMapping>,
    pub date_order: Option<DateOrder>,
    pub decimal_mark: Option<DecimalMark>,
    /// The currency to analyse when a file has several (ISO code); default
    /// the one with most orders.
    pub currency: Option<String>,
    pub rules: ExclusionRules,
}

/// Serde for an encoding as its name (for handing options to a Worker).
mod encoding_name {
    use encoding_rs::Encoding;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        e: &Option<&'static Encoding>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match e {
            Some(e) => s.serialize_some(e.name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<&'static Encoding>, D::Error> {
        let name: Option<String> = Option::deserialize(d)?;
        match name {
            None => Ok(None),
            Some(n) => Encoding::for_label(n.as_bytes())
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown encoding {n}"))),
        }
    }
}

/// What the first bytes of a file tell: the basis of the mapping step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub encoding: Cow<'static, str>,
    pub delimiter: char,
    pub headers: Vec<String>,
    /// The first data rows, as text.
    pub rows: Vec<Vec<String>>,
    pub guess: MappingGuess,
    pub date_order: DateOrder,
    /// No date in the sample proves the order and some are like 03/05/2024:
    /// the user should be asked.
    pub date_order_ambiguous: bool,
    pub decimal_mark: DecimalMark,
    pub currency: Option<String>,
    pub minor_exponent: u8,
}

/// Reads the start of a file (up to [`SNIFF_BYTES`] are looked at).
///
/// A workbook (xlsx, xls...) is previewed from its first sheet, so `bytes`
/// must then be the whole file.
pub fn preview(bytes: &[u8], opts: &IngestOptions) -> Result<Preview, Error> {
    if is_workbook(bytes) {
        return workbook_preview(&workbook_rows(bytes)?, opts);
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let encoding = match opts.encoding {
        Some(e) => e,
        None => detect_encoding(head, bytes.len() <= SNIFF_BYTES)?,
    };
    let (text, _) = encoding.decode_with_bom_removal(head);
    sniff(&text, encoding, opts)
}

/// Names what a non-text file looks like, from its magic number.
fn magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a zip archive or an Excel workbook (.xlsx)"),
        (b"\xD0\xCF\x11\xE0", "an old Excel workbook (.xls)"),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, what)| *what)
}

/// Detects the encoding of the first bytes of a file.
pub fn detect_encoding(head: &[u8], is_whole: bool) -> Result<&'static Encoding, Error> {
    if head.is_empty() {
        return Err(ErrorKind::Empty.into());
    }
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return Ok(enc);
    }
    if let Some(what) = magic(head) {
        return Err(ErrorKind::NotTabular {
            looks_like: what.into(),
        }
        .into());
    }
    let sample = &head[..head.len().min(4096)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls > 0 {
        // UTF-16 without a BOM: the zero bytes of ASCII text stand on one side.
        let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        if odd * 10 > sample.len() * 3 && even * 20 < sample.len() {
            return Ok(encoding_rs::UTF_16LE);
        }
        if even * 10 > sample.len() * 3 && odd * 20 < sample.len() {
            return Ok(encoding_rs::UTF_16BE);
        }
        return Err(ErrorKind::NotTabular {
            looks_like: "binary data".into(),
        }
        .into());
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Ok(encoding_rs::UTF_8),
        // A character cut at the end of the sniff window is still UTF-8.
        Err(e) if e.error_len().is_none() && !is_whole => return Ok(encoding_rs::UTF_8),
        Err(_) => {}
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(head, is_whole);
    // We already know it is not UTF-8; the Japanese hint favours
    // Shift_JIS and EUC-JP among the legacy encodings.
    Ok(det.guess(Some(b"jp"), chardetng::Utf8Detection::Deny))
}

fn control_ratio_too_high(text: &str) -> bool {
    let mut n = 0usize;
    let mut ctl = 0usize;
    for c in text.chars().take(8192) {
        n += 1;
        if (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || c == '\u{fffd}' {
            ctl += 1;
        }
    }
    n > 0 && ctl * 20 > n
}

/// Chooses the delimiter that splits the header line most (outside quotes).
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let cands = [b',', b'\t', b';'];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0); // ok-panic: non-empty range
    if counts[best] == 0 {
        b','
    } else {
        cands[best]
    }
}

/// Splits up to `max` complete records out of a text (sniffing only).
fn sample_records(text: &str, delimiter: u8, max: usize) -> Vec<Vec<String>> {
    let mut split = Splitter::new(delimiter);
    let mut input = text;
    let mut records = Vec::new();
    while records.len() < max {
        // Not `last`: the sniffed text may end inside a record; leave it.
        match split.next(input.as_bytes(), false) {
            Step::Record { consumed, .. } => {
                let rec = split.record(input);
                records.push(
                    (0..rec.len())
                        .map(|i| rec.get(i).unwrap_or_default().to_string())
                        .collect(),
                );
                input = input.get(consumed..).unwrap_or_default();
            }
            Step::NeedMore { .. } => break,
        }
    }
    records
}

fn sniff(text: &str, encoding: &'static Encoding, opts: &IngestOptions) -> Result<Preview, Error> {
    if text.trim().is_empty() {
        return Err(ErrorKind::Empty.into());
    }
    if control_ratio_too_high(text) {
        return Err(ErrorKind::NotTabular {
            looks_like: "binary data".into(),
        }
        .into());
    }
    let delimiter = opts.delimiter.unwrap_or_else(|| detect_delimiter(text));
    let mut records = sample_records(text, delimiter, 201);
    if records.is_empty() {
        // A header with no line end: the whole text is the header.
        records = vec![text
            .trim_end()
            .split(delimiter as char)
            .map(str::to_string)
            .collect()];
    }
    sniff_records(&records, encoding.name(), delimiter, opts)
}

/// The preview of a table's first records (header first).
fn sniff_records(
    records: &[Vec<String>],
    encoding: &'static str,
    delimiter: u8,
    opts: &IngestOptions,
) -> Result<Preview, Error> {
    let Some(first) = records.first() else {
        return Err(ErrorKind::Empty.into());
    };
    let headers: Vec<String> = first
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let data = &records[1..];
    let mut guess = auto_map(&headers);
    if let Some(m) = &opts.mapping {
        guess.mapping = m.clone();
        guess.missing = m.missing();
    } else if !guess.missing.is_empty() {
        // Pre-select columns from their content; `missing` stays as it was,
        // so the user still confirms the choice in the mapping step.
        guess_from_content(&mut guess.mapping, data);
    }
    let m = &guess.mapping;
    fn cell<'r>(m: &ColumnMapping, row: &'r [String], f: Field) -> Option<&'r str> {
        m.get(f).and_then(|i| row.get(i)).map(String::as_str)
    }
    // Day/month order and decimal mark are decided once for the whole file
    // from what the sample's cells prove.
    let (mut day_first, mut month_first, mut year_last) = (false, false, false);
    for row in data {
        let Some(c) = cell(m, row, Field::OrderDate) else {
            continue;
        };
        match proves_order(c) {
            Some(DateOrder::DayFirst) => day_first = true,
            Some(DateOrder::MonthFirst) => month_first = true,
            None => {
                year_last |= c
                    .trim()
                    .get(..4)
                    .is_some_and(|y| !y.bytes().all(|b| b.is_ascii_digit()))
            }
        }
    }
    let date_order = opts.date_order.unwrap_or(if day_first && !month_first {
        DateOrder::DayFirst
    } else {
        DateOrder::MonthFirst
    });
    let date_order_ambiguous = opts.date_order.is_none() && year_last && day_first == month_first;
    let decimal_mark = opts.decimal_mark.unwrap_or_else(|| {
        let (mut comma, mut dot) = (false, false);
        for row in data {
            for f in [Field::OrderTotal, Field::LinePrice, Field::RefundedAmount] {
                match cell(m, row, f).and_then(proves_decimal_mark) {
                    Some(DecimalMark::Comma) => comma = true,
                    Some(DecimalMark::Dot) => dot = true,
                    _ => {}
                }
            }
        }
        match (comma, dot) {
            (true, false) => DecimalMark::Comma,
            (false, true) => DecimalMark::Dot,
            _ => DecimalMark::Auto,
        }
    });
    let currency = data
        .iter()
        .filter_map(|r| cell(m, r, Field::Currency))
        .map(str::trim)
        .find(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(|c| c.to_ascii_uppercase())
        .or_else(|| {
            data.iter()
                .filter_map(|r| {
                    cell(m, r, Field::OrderTotal).or_else(|| cell(m, r, Field::LinePrice))
                })
                .find_map(currency_from_symbol)
                .map(str::to_string)
        });
    let minor_exponent = match &currency {
        Some(c) => currency_exponent(c),
        None => {
            let max_scale = data
                .iter()
                .filter_map(|r| {
                    cell(m, r, Field::OrderTotal).or_else(|| cell(m, r, Field::LinePrice))
                })
                .filter_map(|c| match parse_amount_with(c, decimal_mark) {
                    ParsedAmount::Value(d) => Some(d.scale),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            if max_scale == 0 {
                0
            } else {
                2
            }
        }
    };
    Ok(Preview {
        encoding: encoding.into(),
        delimiter: delimiter as char,
        headers,
        rows: data.iter().take(PREVIEW_ROWS).cloned().collect(),
        guess,
        date_order,
        date_order_ambiguous,
        decimal_mark,
        currency,
        minor_exponent,
    })
}

/// For required fields without a column, picks the first unused column whose
/// sample cells (at least 80 % of the non-empty ones) read as that field:
/// e-mail addresses, dates, then amounts.
/// Whether a cell reads as some field.
type CellTest<'a> = dyn Fn(&str) -> bool + 'a;

fn guess_from_content(m: &mut ColumnMapping, data: &[Vec<String>]) {
    let width = data.iter().map(Vec::len).max().unwrap_or(0);
    let used = |m: &ColumnMapping, c: usize| Field::ALL.iter().any(|f| m.get(*f) == Some(c));
    let fits = |c: usize, test: &CellTest| {
        let cells: Vec<&str> = data
            .iter()
            .filter_map(|r| r.get(c))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        !cells.is_empty() && cells.iter().filter(|s| test(s)).count() * 5 >= cells.len() * 4
    };
    let is_email = |s: &str| s.contains('@') && !s.contains(' ');
    let is_date = |s: &str| {
        parse_date(s, DateOrder::MonthFirst).is_some()
            || parse_date(s, DateOrder::DayFirst).is_some()
    };
    let is_amount = |s: &str| matches!(parse_amount(s), ParsedAmount::Value(_)) && !is_date(s);
    let tests: [(Field, &CellTest); 3] = [
        (Field::Email, &is_email),
        (Field::OrderDate, &is_date),
        (Field::OrderTotal, &is_amount),
    ];
    for (field, test) in tests {
        let wanted = match field {
            Field::Email => m.key_column().is_none(),
            Field::OrderTotal => {
                m.get(Field::OrderTotal).is_none() && m.get(Field::LinePrice).is_none()
            }
            _ => m.get(field).is_none(),
        };
        if !wanted {
            continue;
        }
        if let Some(c) = (0..width).find(|&c| !used(m, c) && fits(c, test)) {
            m.set(field, Some(c));
        }
    }
    if m.key_column().is_none() {
        m.default_key();
    }
}

/// Errs when the user must map columns before the file can be read. A report
/// that has no buyer column at all (Amazon's All Orders) is read for
/// revenue, every order without a customer, and its note says so; any other
/// missing field asks.
fn check_mapping(g: &MappingGuess) -> Result<(), Error> {
    let only_key = g.missing.iter().all(|f| *f == Field::Email);
    if g.missing.is_empty() || (only_key && g.platform.has_no_buyer_column()) {
        return Ok(());
    }
    Err(ErrorKind::MappingNeeded {
        missing: g.missing.iter().map(|f| f.name().to_string()).collect(),
    }
    .into())
}

/// Whether the bytes start like a spreadsheet workbook (xlsx/xlsb/ods are
/// zip archives, xls a compound document).
pub fn is_workbook(raw: &[u8]) -> bool {
    raw.starts_with(b"PK\x03\x04") || raw.starts_with(b"\xD0\xCF\x11\xE0")
}

/// The first sheet of a workbook (xlsx, xls, xlsb, ods) as text rows: shop
/// staff often re-save an export in Excel.
fn workbook_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, Error> {
    use calamine::Reader;
    let not_a_workbook = || -> Error {
        ErrorKind::NotTabular {
            looks_like: "a zip archive or a workbook that could not be read".into(),
        }
        .into()
    };
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| not_a_workbook())?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        _ => return Err(not_a_workbook()),
    };
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
}

/// The preview of a workbook's first sheet (its first 200 data rows).
fn workbook_preview(rows: &[Vec<String>], opts: &IngestOptions) -> Result<Preview, Error> {
    sniff_records(&rows[..rows.len().min(201)], "Excel workbook", b',', opts)
}

/// A workbook cell as the text an export would have written.
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        // Serial dates from 1900 to 9999 only: anything else is not a date.
        Data::DateTime(dt) if dt.is_datetime() && (1.0..2_958_466.0).contains(&dt.as_f64()) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(dt) => format!("{}", dt.as_f64()),
    }
}

/// A record made of owned strings (workbook rows).
struct OwnedRecord {
    data: String,
    spans: Vec<Span>,
}

impl OwnedRecord {
    fn new(fields: &[String]) -> Self {
        let mut data = String::new();
        let mut spans = Vec::with_capacity(fields.len());
        for f in fields {
            let start = data.len();
            data.push_str(f);
            spans.push(Span {
                start,
                end: data.len(),
                scratch: false,
            });
        }
        OwnedRecord { data, spans }
    }
    fn as_record(&self) -> Record<'_> {
        Record {
            input: &self.data,
            scratch: &[],
            spans: &self.spans,
        }
    }
}

/// A streaming read of one file.
pub struct Ingest {
    opts: IngestOptions,
    raw: Vec<u8>,
    bytes_fed: u64,
    reading: Option<Reading<Builder>>,
    failed: Option<Error>,
    /// A part was joined: the file is read to its end.
    complete: bool,
}

/// Receives the records of a file, one at a time, with the physical line
/// where each starts. The first record is the header row.
trait RecordSink {
    fn record(&mut self, rec: &Record, line: u64);
    /// A byte sequence invalid in the encoding was replaced by U+FFFD.
    fn invalid_byte_sequence(&mut self) {}
}

/// A text table read whole: the header row first, every field as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub encoding: &'static str,
    pub delimiter: char,
    pub rows: Vec<Vec<String>>,
}

/// Collects every record as strings (no order semantics).
struct TableCollector(Vec<Vec<String>>);

impl RecordSink for TableCollector {
    fn record(&mut self, rec: &Record, _line: u64) {
        self.0.push(
            (0..rec.len())
                .map(|i| rec.get(i).unwrap_or_default().to_string())
                .collect(),
        );
    }
}

/// Reads a whole text table with the same encoding and delimiter detection
/// and the same streaming record reader as the order ingest (used by the
/// acid tests; not for order files).
pub fn read_table(bytes: &[u8]) -> Result<Table, Error> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let encoding = detect_encoding(head, bytes.len() <= SNIFF_BYTES)?;
    let (text, _) = encoding.decode_with_bom_removal(head);
    let delimiter = detect_delimiter(&text);
    let mut r = Reading::new(encoding, delimiter, TableCollector(Vec::new()));
    r.decode(bytes, true);
    r.split_records(true);
    Ok(Table {
        encoding: encoding.name(),
        delimiter: delimiter as char,
        rows: r.sink.0,
    })
}

/// The streaming record reader: decoder + record splitter, generic over
/// what receives the records (the order builder, or a plain table
/// collector).
struct Reading<S> {
    decoder: encoding_rs::Decoder,
    /// Decoded text not yet split (valid UTF-8 by construction, so fields
    /// are sliced from it without validating each one).
    text: String,
    split: Splitter,
    /// Physical line of the next unread byte.
    line: u64,
    sink: S,
}

/// The encoding and the order builder for a file whose first bytes are
/// `raw` (the sniff looks at up to [`SNIFF_BYTES`] of them).
fn sniffed(
    raw: &[u8],
    is_whole: bool,
    opts: &IngestOptions,
) -> Result<(&'static Encoding, Builder), Error> {
    let head = &raw[..raw.len().min(SNIFF_BYTES)];
    let encoding = match opts.encoding {
        Some(e) => e,
        None => detect_encoding(head, is_whole)?,
    };
    let (text, _) = encoding.decode_with_bom_removal(head);
    let preview = sniff(&text, encoding, opts)?;
    check_mapping(&preview.guess)?;
    let builder = Builder::new(preview, opts)?;
    Ok((encoding, builder))
}

impl Ingest {
    pub fn new(opts: IngestOptions) -> Self {
        Ingest {
            opts,
            raw: Vec::new(),
            bytes_fed: 0,
            reading: None,
            failed: None,
            complete: false,
        }
    }

    /// Bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.bytes_fed
    }

    /// Data rows read so far.
    pub fn rows(&self) -> u64 {
        self.reading.as_ref().map_or(0, |r| r.sink.info.rows)
    }

    /// The preview made from the sniffed start, once enough bytes came.
    pub fn preview(&self) -> Option<Preview> {
        self.reading.as_ref().map(|r| r.sink.preview.clone())
    }

    /// Feeds the next chunk. An error is final: the file cannot be read as
    /// an order export (not a table, or columns must be mapped by hand).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Error> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.complete && !chunk.is_empty() {
            // A caller's mistake, said plainly rather than read wrongly.
            return Err(ErrorKind::BadSetting {
                detail: "bytes fed after the end of the file (a part was joined)".into(),
            }
            .into());
        }
        self.bytes_fed += chunk.len() as u64;
        let r = self.feed_inner(chunk);
        if let Err(e) = &r {
            self.failed = Some(e.clone());
        }
        r
    }

    fn feed_inner(&mut self, chunk: &[u8]) -> Result<(), Error> {
        match &mut self.reading {
            Some(r) => {
                r.decode(chunk, false);
                r.split_records(false);
                Ok(())
            }
            None => {
                self.raw.extend_from_slice(chunk);
                // A workbook is read whole at the end.
                if self.raw.len() >= SNIFF_BYTES && !is_workbook(&self.raw) {
                    self.start(false)?;
                }
                Ok(())
            }
        }
    }

    fn start(&mut self, is_whole: bool) -> Result<(), Error> {
        let raw = std::mem::take(&mut self.raw);
        let (encoding, builder) = sniffed(&raw, is_whole, &self.opts)?;
        let delimiter = builder.preview.delimiter as u8;
        let mut r = Reading::new(encoding, delimiter, builder);
        r.decode(&raw, false);
        r.split_records(false);
        self.reading = Some(r);
        Ok(())
    }

    /// A read of a later part of a file, to be [joined](Ingest::join) to
    /// the read of the bytes before it. `head` is the file's first bytes
    /// (at least [`SNIFF_BYTES`]): the part is read with the encoding,
    /// delimiter and mapping sniffed from them, as the first part is. Feed
    /// it the bytes from a record boundary (just after a line end) to the
    /// end of the file, then take [`Ingest::into_part`].
    ///
    /// `None` when the file cannot be read in parts: a workbook, a head
    /// shorter than the sniff, or an encoding whose line-end byte can be
    /// part of a character (UTF-16, ISO-2022-JP).
    pub fn part(head: &[u8], opts: IngestOptions) -> Result<Option<Ingest>, Error> {
        if head.len() < SNIFF_BYTES || is_workbook(head) {
            return Ok(None);
        }
        let (encoding, mut builder) = sniffed(head, false, &opts)?;
        if !encoding.is_ascii_compatible() {
            return Ok(None);
        }
        builder.header_seen = true;
        let delimiter = builder.preview.delimiter as u8;
        let mut reading = Reading::new(encoding, delimiter, builder);
        reading.decoder = encoding.new_decoder_without_bom_handling();
        Ok(Some(Ingest {
            opts,
            raw: Vec::new(),
            bytes_fed: 0,
            reading: Some(reading),
            failed: None,
            complete: false,
        }))
    }

    /// Whether the bytes fed so far end at a record boundary: every record
    /// is complete and none runs on past them (a guessed split point inside
    /// a quoted field fails this).
    pub fn at_record_boundary(&self) -> bool {
        self.failed.is_none() && self.reading.as_ref().is_some_and(|r| r.text.is_empty())
    }

    /// Ends the read and assembles the dataset.
    pub fn finish(mut self) -> Result<Dataset, Error> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if self.reading.is_none() && is_workbook(&self.raw) {
            return self.finish_workbook();
        }
        if self.reading.is_none() {
            if self.raw.iter().all(|b| b.is_ascii_whitespace()) {
                return Err(ErrorKind::Empty.into());
            }
            self.start(true)?;
        }
        let Some(mut r) = self.reading.take() else {
            return Err(ErrorKind::Empty.into());
        };
        r.decode(&[], true);
        r.split_records(true);
        r.sink.finish()
    }
}

impl Ingest {
    /// Reads the first sheet of a workbook held in `raw`; rows are numbered
    /// as the spreadsheet numbers them.
    fn finish_workbook(self) -> Result<Dataset, Error> {
        let rows = workbook_rows(&self.raw)?;
        let preview = workbook_preview(&rows, &self.opts)?;
        check_mapping(&preview.guess)?;
        let mut builder = Builder::new(preview, &self.opts)?;
        for (i, row) in rows.iter().enumerate() {
            builder.record(&OwnedRecord::new(row).as_record(), i as u64 + 1);
        }
        builder.finish()
    }
}

impl<S: RecordSink> Reading<S> {
    fn new(encoding: &'static Encoding, delimiter: u8, sink: S) -> Self {
        Reading {
            decoder: encoding.new_decoder_with_bom_removal(),
            text: String::new(),
            split: Splitter::new(delimiter),
            line: 1,
            sink,
        }
    }

    /// Decodes bytes to UTF-8 at the end of `text`, replacing (and counting)
    /// malformed sequences.
    fn decode(&mut self, mut src: &[u8], last: bool) {
        let need = self
            .decoder
            .max_utf8_buffer_length_without_replacement(src.len())
            .unwrap_or(src.len() * 3 + 16);
        self.text.reserve(need + 4);
        loop {
            let (res, read) =
                self.decoder
                    .decode_to_string_without_replacement(src, &mut self.text, last);
            src = &src[read..];
            match res {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => self.text.reserve(src.len() * 3 + 16),
                DecoderResult::Malformed(_, _) => {
                    self.sink.invalid_byte_sequence();
                    self.text.push('\u{fffd}');
                }
            }
        }
    }

    /// Splits the decoded text into records and hands each to the sink;
    /// keeps an incomplete last record for the next call unless `last`.
    fn split_records(&mut self, last: bool) {
        let mut pos = 0usize;
        loop {
            // `pos` is always just after an ASCII line end or delimiter, or
            // at the end: a char boundary.
            let input = self.text.get(pos..).unwrap_or_default();
            match self.split.next(input.as_bytes(), last) {
                Step::Record {
                    consumed,
                    blank_lines,
                    lines,
                } => {
                    let line = self.line + blank_lines;
                    self.line += lines;
                    self.sink.record(&self.split.record(input), line);
                    pos += consumed;
                }
                Step::NeedMore { consumed, lines } => {
                    self.line += lines;
                    pos += consumed;
                    break;
                }
            }
        }
        if self.text.is_char_boundary(pos) {
            self.text.drain(..pos);
        } else {
            self.text.clear(); // unreachable (see above); never panic
        }
    }
}

const CANCELLED: u8 = 1;
const VOIDED: u8 = 2;
const REFUNDED: u8 = 4;
const PARTIAL: u8 = 8;
const BAD_DATE: u8 = 16;
const BAD_AMOUNT: u8 = 32;
const FAILED: u8 = 64;
const TEST: u8 = 128;

/// Draft currency of an order without a currency cell.
const NO_CURRENCY: u8 = u8::MAX;

/// An order being assembled from its rows: 40 bytes (a 10M-row file
/// holds six million of them while it is read).
#[derive(Clone, Copy)]
struct Draft {
    /// Order total, if [`HAS_TOTAL`].
    total: i64,
    line_sum: i64,
    refunded: i64,
    /// Day of the order, or [`NO_DAY`].
    day: i32,
    customer: u32,
    rows: u32,
    flags: u8,
    /// [`HAS_TOTAL`], [`HAS_LINES`].
    state: u8,
    /// Index into `Builder::currencies`, or [`NO_CURRENCY`].
    currency: u8,
    /// Minor digits its amounts were read with.
    exponent: u8,
}

const NO_DAY: i32 = i32::MIN;
const HAS_TOTAL: u8 = 1;
const HAS_LINES: u8 = 2;
/// A problem was reported on one of the order's rows.
const PROBLEM: u8 = 4;

impl Draft {
    const NEW: Draft = Draft {
        total: 0,
        line_sum: 0,
        refunded: 0,
        day: NO_DAY,
        customer: NO_CUSTOMER,
        rows: 0,
        flags: 0,
        state: 0,
        currency: NO_CURRENCY,
        exponent: 0,
    };
    fn day(&self) -> Option<i32> {
        (self.day != NO_DAY).then_some(self.day)
    }
    fn total(&self) -> Option<i64> {
        (self.state & HAS_TOTAL != 0).then_some(self.total)
    }
    fn has_lines(&self) -> bool {
        self.state & HAS_LINES != 0
    }
}

const _: () = assert!(std::mem::size_of::<Draft>() == 40);

/// Strings interned to dense ids: the text in one [`Keys`] buffer, a hash
/// table of ids (4 bytes a key). Looking up a million keys allocates
/// nothing per key.
#[derive(Default)]
struct Interner {
    keys: Keys,
    table: hashbrown::HashTable<u32>,
}

impl Interner {
    fn hash(s: &str) -> u64 {
        let mut h = FxHasher::default();
        h.write(s.as_bytes());
        h.finish()
    }

    /// Room for `n` more keys without growing.
    fn reserve(&mut self, n: usize) {
        let keys = &self.keys;
        self.table.reserve(n, |&id| Self::hash(&keys[id as usize]));
    }

    /// The id of `s`, if interned.
    fn find(&self, s: &str) -> Option<u32> {
        let keys = &self.keys;
        self.table
            .find(Self::hash(s), |&id| &keys[id as usize] == s)
            .copied()
    }

    /// The id of `s`, and whether it is new.
    fn intern(&mut self, s: &str) -> (u32, bool) {
        let hash = Self::hash(s);
        let keys = &self.keys;
        if let Some(&id) = self.table.find(hash, |&id| &keys[id as usize] == s) {
            return (id, false);
        }
        let id = self.keys.push(s) as u32;
        let keys = &self.keys;
        self.table
            .insert_unique(hash, id, |&id| Self::hash(&keys[id as usize]));
        (id, true)
    }
}

/// The draft of each order id. Ids that are a fixed prefix and a number
/// without leading zeros (`#1001`, `1002`), met in increasing order (most
/// exports), are kept as numbers in a sorted run: a new one costs a
/// comparison, not a hash and a table insert (a tenth of the ingest), and
/// no copy of its text. Any other id is interned.
#[derive(Default)]
struct OrderIds {
    /// The prefix of the run's ids.
    prefix: Option<String>,
    /// (number, draft), numbers increasing.
    run: Vec<(u64, u32)>,
    table: Interner,
    /// Draft of each interned id.
    table_drafts: Vec<u32>,
}

impl OrderIds {
    /// The number of an id in the run's form: the run's prefix (any, while
    /// there is none) and at most 18 digits, without leading zeros.
    fn number<'s>(&self, oid: &'s str) -> Option<(&'s str, u64)> {
        let k = oid.find(|c: char| c.is_ascii_digit())?;
        let (prefix, digits) = oid.split_at(k);
        let canonical = digits.len() <= 18
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !(digits.len() > 1 && digits.starts_with('0'))
            && self.prefix.as_deref().is_none_or(|p| p == prefix);
        canonical.then(|| (prefix, digits.parse().unwrap_or(0)))
    }

    /// The draft of `oid`, and whether it is new (then it is `next`).
    fn draft_or_add(&mut self, oid: &str, next: u32) -> (u32, bool) {
        if let Some((prefix, n)) = self.number(oid) {
            match self.run.last() {
                // Larger than every number in the run: never seen (an
                // interned id of this form was at most the run's last).
                Some(&(last, _)) if n > last => {
                    self.run.push((n, next));
                    return (next, true);
                }
                // The first such id (none is interned: it would have
                // started the run).
                None => {
                    self.prefix = Some(prefix.to_string());
                    self.run.push((n, next));
                    return (next, true);
                }
                Some(_) => {
                    if let Ok(i) = self.run.binary_search_by_key(&n, |e| e.0) {
                        return (self.run[i].1, false);
                    }
                }
            }
        }
        match self.table.intern(oid) {
            (i, false) => (
                self.table_drafts.get(i as usize).copied().unwrap_or(next),
                false,
            ),
            (_, true) => {
                self.table_drafts.push(next);
                (next, true)
            }
        }
    }

    /// Where an id in the run form with number `n` is: `Ok` its draft in
    /// the run, or `Ok(None)` if never seen (an interned id of that form is
    /// at most the run's last, see `draft_or_add`); `Err` if it can only be
    /// interned.
    fn in_run(&self, n: u64) -> Result<Option<u32>, ()> {
        match self.run.last() {
            None => Ok(None),
            Some(&(last, _)) if n > last => Ok(None),
            Some(_) => match self.run.binary_search_by_key(&n, |e| e.0) {
                Ok(i) => Ok(Some(self.run[i].1)),
                Err(_) => Err(()),
            },
        }
    }

    fn interned(&self, oid: &str) -> Option<u32> {
        self.table
            .find(oid)
            .and_then(|i| self.table_drafts.get(i as usize).copied())
    }

    /// The draft of the id `prefix` + `n` (in the run form), if seen;
    /// `text` is scratch space.
    fn find_number(&self, prefix: &str, n: u64, text: &mut String) -> Option<u32> {
        if self.prefix.as_deref().is_none_or(|p| p == prefix) {
            if let Ok(found) = self.in_run(n) {
                return found;
            }
        }
        text.clear();
        text.push_str(prefix);
        text.push_str(&n.to_string());
        self.interned(text)
    }

    /// The draft of `oid`, if seen.
    fn find(&self, oid: &str) -> Option<u32> {
        if let Some((_, n)) = self.number(oid) {
            if let Ok(found) = self.in_run(n) {
                return found;
            }
        }
        self.interned(oid)
    }
}

struct Builder {
    header_seen: bool,
    /// Currency codes seen (upper case), indexed by `Draft::currency`.
    currencies: Vec<String>,
    /// Their minor digits, in the same order.
    currency_exponents: Vec<u8>,
    /// Status cells seen and their class (few distinct values: classifying
    /// each row's cell again was 5% of the ingest).
    statuses: Vec<(Box<str>, StatusClass)>,
    /// The currency the user chose to analyse, if any.
    wanted_currency: Option<String>,
    /// Minor digits of the row being read.
    row_exponent: u8,
    preview: Preview,
    rules: ExclusionRules,
    col: [Option<usize>; 13],
    key_field: Option<Field>,
    /// Extra columns joined to the key (see `ColumnMapping::key_extra`).
    key_extra: Vec<usize>,
    drafts: Vec<Draft>,
    /// The draft of each order id seen.
    order_ids: OrderIds,
    last_order: Option<u32>,
    last_oid: String,
    customers: Interner,
    key_buf: String,
    info: ReadInfo,
    problem_counts: HashMap<ProblemKind, u64>,
    /// A problem was reported on the row being read.
    row_problem: bool,
}

impl Builder {
    fn new(preview: Preview, opts: &IngestOptions) -> Result<Self, Error> {
        let m = &preview.guess.mapping;
        let mut col = [None; 13];
        for (i, f) in Field::ALL.iter().enumerate() {
            let c = m.get(*f);
            if let Some(c) = c {
                if c >= preview.headers.len() {
                    return Err(ErrorKind::BadMapping {
                        detail: format!(
                            "{} is mapped to column {} but the header has {} columns",
                            f.name(),
                            c + 1,
                            preview.headers.len()
                        ),
                    }
                    .into());
                }
            }
            col[i] = c;
        }
        if let Some(&c) = m.key_extra.iter().find(|&&c| c >= preview.headers.len()) {
            return Err(ErrorKind::BadMapping {
                detail: format!(
                    "a customer key part is mapped to column {} but the header has {} columns",
                    c + 1,
                    preview.headers.len()
                ),
            }
            .into());
        }
        let info = ReadInfo {
            encoding: preview.encoding.to_string(),
            delimiter: preview.delimiter,
            platform: Some(preview.guess.platform),
            currency: preview.currency.clone(),
            minor_exponent: preview.minor_exponent,
            date_order: preview.date_order,
            date_order_ambiguous: preview.date_order_ambiguous,
            headers: preview.headers.clone(),
            mapping: preview.guess.mapping.clone(),
            note: preview.guess.note.clone(),
            decimal_mark: preview.decimal_mark,
            ..ReadInfo::default()
        };
        Ok(Builder {
            header_seen: false,
            currencies: Vec::new(),
            currency_exponents: Vec::new(),
            statuses: Vec::new(),
            wanted_currency: opts.currency.clone(),
            row_exponent: preview.minor_exponent,
            key_field: m.customer_key,
            key_extra: m.key_extra.clone(),
            preview,
            rules: opts.rules,
            col,
            drafts: Vec::new(),
            order_ids: OrderIds::default(),
            last_order: None,
            last_oid: String::new(),
            customers: Interner::default(),
            key_buf: String::new(),
            info,
            problem_counts: HashMap::new(),
            row_problem: false,
        })
    }

    fn cell<'r>(&self, rec: &'r Record, f: Field) -> Option<&'r str> {
        self.col[f as usize]
            .and_then(|i| rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    fn problem(&mut self, line: u64, column: Option<usize>, value: &str, kind: ProblemKind) {
        self.row_problem = true;
        *self.problem_counts.entry(kind).or_insert(0) += 1;
        if self.info.problems.len() < MAX_PROBLEMS {
            let column = column
                .and_then(|c| self.preview.headers.get(c))
                .cloned()
                .unwrap_or_default();
            self.info.problems.push(Problem {
                line,
                column,
                value: value.chars().take(60).collect(),
                kind,
            });
        }
    }

    fn order_for(&mut self, rec: &Record) -> u32 {
        let new = |b: &mut Builder| {
            b.drafts.push(Draft::NEW);
            (b.drafts.len() - 1) as u32
        };
        let Some(oid) = self.cell(rec, Field::OrderId) else {
            // No order id column: each row is an order. An empty id on a
            // later row continues the order above (line items).
            if self.col[Field::OrderId as usize].is_some() {
                if let Some(o) = self.last_order {
                    return o;
                }
            }
            let o = new(self);
            self.last_order = Some(o);
            return o;
        };
        if let Some(o) = self.last_order {
            if self.last_oid == oid {
                return o;
            }
        }
        let next = self.drafts.len() as u32;
        let (o, is_new) = self.order_ids.draft_or_add(oid, next);
        if is_new {
            new(self);
        }
        self.last_oid.clear();
        self.last_oid.push_str(oid);
        self.last_order = Some(o);
        o
    }

    fn amount(&mut self, rec: &Record, f: Field, line: u64) -> Result<Option<i64>, ()> {
        let Some(c) = self.cell(rec, f) else {
            return Ok(None);
        };
        match parse_amount_with(c, self.preview.decimal_mark) {
            ParsedAmount::Missing => Ok(None),
            ParsedAmount::Invalid => {
                self.problem(line, self.col[f as usize], c, ProblemKind::InvalidAmount);
                Err(())
            }
            ParsedAmount::Value(d) => match to_minor(d, self.row_exponent) {
                Some((v, rounded)) => {
                    if rounded {
                        self.problem(line, self.col[f as usize], c, ProblemKind::RoundedAmount);
                    }
                    Ok(Some(v))
                }
                None => {
                    self.problem(line, self.col[f as usize], c, ProblemKind::InvalidAmount);
                    Err(())
                }
            },
        }
    }

    /// The class of a status cell, remembered per distinct cell.
    fn status_class(&mut self, cell: &str) -> StatusClass {
        if let Some((_, class)) = self.statuses.iter().find(|(s, _)| &**s == cell) {
            return *class;
        }
        let class = self.preview.guess.platform.status_class(cell);
        if self.statuses.len() < 64 {
            self.statuses.push((cell.into(), class));
        }
        class
    }

    fn customer(&mut self, rec: &Record, raw: &str) -> Option<u32> {
        self.key_buf.clear();
        match self.key_field {
            Some(Field::Email) => {
                let raw = raw.trim();
                if raw.is_ascii() {
                    self.key_buf.push_str(raw);
                    self.key_buf.make_ascii_lowercase();
                } else {
                    for c in raw.chars() {
                        self.key_buf.extend(c.to_lowercase());
                    }
                }
            }
            Some(Field::Phone) => {
                self.key_buf.extend(
                    raw.chars()
                        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}')),
                );
            }
            _ => self.key_buf.push_str(raw.trim()),
        }
        if self.key_buf.is_empty() {
            return None;
        }
        // Extra key parts (Rakuten: phone + name, as e-mails are masked).
        for &c in &self.key_extra {
            self.key_buf.push(KEY_PART_SEPARATOR);
            push_key_part(rec.get(c).unwrap_or_default(), &mut self.key_buf);
        }
        Some(self.customers.intern(&self.key_buf).0)
    }

    fn row(&mut self, rec: &Record, line: u64) {
        if !self.header_seen {
            self.header_seen = true;
            return;
        }
        if rec.is_blank() {
            return;
        }
        self.info.rows += 1;
        self.row_problem = false;
        if rec.len() < self.preview.headers.len() {
            let needed = self.col.iter().flatten().any(|&c| c >= rec.len());
            if needed {
                self.problem(
                    line,
                    None,
                    &format!("{}/{}", rec.len(), self.preview.headers.len()),
                    ProblemKind::ShortRow,
                );
            }
        }
        let o = self.order_for(rec) as usize;
        let mut d = self.drafts[o];
        d.rows += 1;
        if d.currency == NO_CURRENCY {
            if let Some(c) = self.cell(rec, Field::Currency) {
                d.currency = match self
                    .currencies
                    .iter()
                    .position(|k| k.eq_ignore_ascii_case(c))
                {
                    Some(i) => i as u8,
                    None if self.currencies.len() < NO_CURRENCY as usize => {
                        self.currency_exponents.push(currency_exponent(c));
                        self.currencies.push(c.to_ascii_uppercase());
                        (self.currencies.len() - 1) as u8
                    }
                    None => NO_CURRENCY - 1, // absurdly many codes: lump the rest
                };
            }
        }
        // Amounts are read with the minor digits of the row's own currency
        // (else the sniffed one's) and rescaled at the end if needed.
        self.row_exponent = match self.currency_exponents.get(d.currency as usize) {
            Some(&e) => e,
            None => self.preview.minor_exponent,
        };
        if d.total().is_none() && !d.has_lines() {
            d.exponent = self.row_exponent;
        }
        if d.day().is_none() && d.flags & BAD_DATE == 0 {
            if let Some(c) = self.cell(rec, Field::OrderDate) {
                match parse_date(c, self.preview.date_order) {
                    Some(day) => d.day = to_day(day),
                    None => {
                        self.problem(
                            line,
                            self.col[Field::OrderDate as usize],
                            c,
                            ProblemKind::InvalidDate,
                        );
                        d.flags |= BAD_DATE;
                    }
                }
            }
        }
        if d.total().is_none()
            && d.flags & BAD_AMOUNT == 0
            && self.col[Field::OrderTotal as usize].is_some()
        {
            match self.amount(rec, Field::OrderTotal, line) {
                Ok(Some(v)) => {
                    d.total = v;
                    d.state |= HAS_TOTAL;
                }
                Ok(None) => {}
                Err(()) => d.flags |= BAD_AMOUNT,
            }
        }
        if self.col[Field::OrderTotal as usize].is_none() && d.flags & BAD_AMOUNT == 0 {
            match self.amount(rec, Field::LinePrice, line) {
                Ok(Some(p)) => {
                    let q = self
                        .cell(rec, Field::LineQuantity)
                        .and_then(|q| q.parse::<i64>().ok())
                        .unwrap_or(1);
                    d.line_sum = d.line_sum.saturating_add(p.saturating_mul(q));
                    d.state |= HAS_LINES;
                }
                Ok(None) => {}
                Err(()) => d.flags |= BAD_AMOUNT,
            }
        }
        if d.customer == NO_CUSTOMER {
            if let Some(k) = self.key_field.and_then(|f| self.cell(rec, f)) {
                if let Some(id) = self.customer(rec, k) {
                    d.customer = id;
                }
            }
        }
        if let Some(s) = self.cell(rec, Field::Status) {
            d.flags |= status_flags(self.status_class(s));
        }
        if self.cell(rec, Field::CancelledAt).is_some() {
            d.flags |= CANCELLED;
        }
        if d.refunded == 0 {
            if let Ok(Some(r)) = self.amount(rec, Field::RefundedAmount, line) {
                d.refunded = r;
            }
        }
        if self.row_problem {
            d.state |= PROBLEM;
        }
        self.drafts[o] = d;
    }

    fn reason(&self, d: &Draft, currency: u8) -> Option<ExclusionReason> {
        let r = self.rules;
        if r.exclude_cancelled && d.flags & CANCELLED != 0 {
            return Some(ExclusionReason::Cancelled);
        }
        if r.exclude_cancelled && d.flags & VOIDED != 0 {
            return Some(ExclusionReason::Voided);
        }
        if r.exclude_refunded && d.flags & REFUNDED != 0 {
            return Some(ExclusionReason::Refunded);
        }
        if r.exclude_failed && d.flags & FAILED != 0 {
            return Some(ExclusionReason::Failed);
        }
        if r.exclude_test && d.flags & TEST != 0 {
            return Some(ExclusionReason::Test);
        }
        if d.day().is_none() {
            return Some(if d.flags & BAD_DATE != 0 {
                ExclusionReason::InvalidDate
            } else {
                ExclusionReason::MissingDate
            });
        }
        if d.flags & BAD_AMOUNT != 0 {
            return Some(ExclusionReason::InvalidAmount);
        }
        if d.total().is_none() && !d.has_lines() {
            return Some(ExclusionReason::MissingAmount);
        }
        if d.currency != NO_CURRENCY && d.currency != currency {
            return Some(ExclusionReason::OtherCurrency);
        }
        None
    }

    /// Orders per currency (most first), and the currency analysed: the
    /// user's choice if the file has it, else the one with most orders.
    fn choose_currency(&mut self) -> u8 {
        let mut counts = vec![0u64; self.currencies.len()];
        for d in &self.drafts {
            if let Some(c) = counts.get_mut(d.currency as usize) {
                *c += 1;
            }
        }
        let mut by_count: Vec<(String, u64)> =
            self.currencies.iter().cloned().zip(counts).collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let chosen = self
            .wanted_currency
            .as_ref()
            .and_then(|w| by_count.iter().find(|(c, _)| c.eq_ignore_ascii_case(w)))
            .or(by_count.first())
            .map(|(c, _)| c.clone());
        self.info.currencies = by_count
            .into_iter()
            .map(|(code, orders)| CurrencyCount { code, orders })
            .collect();
        let Some(code) = chosen else {
            return NO_CURRENCY;
        };
        let exponent = currency_exponent(&code);
        self.info.currency = Some(code.clone());
        self.info.minor_exponent = exponent;
        self.currencies
            .iter()
            .position(|c| *c == code)
            .map_or(NO_CURRENCY, |i| i as u8)
    }

    fn finish(mut self) -> Result<Dataset, Error> {
        let currency = self.choose_currency();
        // Amounts were read with the sniffed currency's minor digits; the
        // analysed currency may have others (JPY 0, USD 2, KWD 3).
        let to = self.info.minor_exponent as i32;
        let rescale = |a: i64, from: i32| -> i64 {
            if to >= from {
                a.saturating_mul(10i64.pow((to - from) as u32))
            } else {
                let div = 10i64.pow((from - to) as u32);
                let (q, r) = (a / div, a % div);
                if r.abs() * 2 >= div {
                    q + a.signum()
                } else {
                    q
                }
            }
        };
        let mut excluded: HashMap<ExclusionReason, (u64, u64)> = HashMap::new();
        let mut orders = Vec::with_capacity(self.drafts.len());
        for d in &self.drafts {
            if let Some(reason) = self.reason(d, currency) {
                let e = excluded.entry(reason).or_insert((0, 0));
                e.0 += 1;
                e.1 += d.rows as u64;
                continue;
            }
            let mut amount = d.total().unwrap_or(d.line_sum);
            if self.rules.subtract_refunds && d.flags & REFUNDED == 0 {
                amount -= d.refunded;
            }
            // ok-panic: reason() returned None only when the day is set
            let day = d.day().unwrap_or_default();
            orders.push(Order {
                customer: d.customer,
                day,
                amount: if d.exponent as i32 == to {
                    amount
                } else {
                    rescale(amount, d.exponent as i32)
                },
            });
        }
        orders.sort_unstable_by_key(|o| (o.day, o.customer));
        self.info.orders_read = self.drafts.len() as u64;
        self.info.exclusions = ExclusionReason::ALL
            .iter()
            .filter_map(|r| {
                excluded.get(r).map(|&(orders, rows)| Exclusion {
                    reason: *r,
                    orders,
                    rows,
                })
            })
            .collect();
        self.info.orders_without_customer =
            orders.iter().filter(|o| o.customer == NO_CUSTOMER).count() as u64;
        let mut pc: Vec<(ProblemKind, u64)> = self.problem_counts.into_iter().collect();
        pc.sort();
        self.info.problem_counts = pc;
        if orders.is_empty() {
            return Err(ErrorKind::NoOrders.into());
        }
        Ok(Dataset {
            orders,
            customer_keys: self.customers.keys,
            info: self.info,
        })
    }
}

impl RecordSink for Builder {
    fn record(&mut self, rec: &Record, line: u64) {
        self.row(rec, line);
    }
    fn invalid_byte_sequence(&mut self) {
        self.info.invalid_byte_sequences += 1;
    }
}

/// The draft flags of a status class.
fn status_flags(class: StatusClass) -> u8 {
    match class {
        StatusClass::Cancelled => CANCELLED,
        StatusClass::Voided => VOIDED,
        StatusClass::Refunded => REFUNDED,
        StatusClass::PartiallyRefunded => PARTIAL,
        StatusClass::Failed => FAILED,
        StatusClass::Test => TEST,
        StatusClass::Completed | StatusClass::Pending | StatusClass::Unknown => 0,
    }
}

/// Reads a whole file held in memory (the CLI's and the tests' entry).
pub fn read_all(bytes: &[u8], opts: IngestOptions) -> Result<Dataset, Error> {
    let mut ing = Ingest::new(opts);
    ing.feed(bytes)?;
    ing.finish()
}

#[cfg(test)]
mod tests {
    use super::OrderIds;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// The run of numbered ids gives every id the draft plain interning
        /// gives it (one per distinct text, in order of first appearance),
        /// whatever the order, prefixes and leading zeros.
        #[test]
        fn order_ids_give_each_distinct_id_one_draft(
            ids in proptest::collection::vec(
                prop_oneof![
                    6 => (0u64..60).prop_map(|n| format!("#{n}")),
                    2 => (0u64..60).prop_map(|n| format!("#0{n}")),
                    2 => (0u64..60).prop_map(|n| n.to_string()),
                    1 => (0u64..60).prop_map(|n| format!("R-{n}")),
                    1 => "[a-z#]{1,4}",
                ],
                0..200,
            )
        ) {
            let mut ids_seen = OrderIds::default();
            let mut reference: HashMap<String, u32> = HashMap::new();
            for id in &ids {
                let next = reference.len() as u32;
                let expected = *reference.entry(id.clone()).or_insert(next);
                let (draft, new) = ids_seen.draft_or_add(id, next);
                prop_assert_eq!(draft, expected, "id {}", id);
                prop_assert_eq!(new, expected == next);
            }
            let mut text = String::new();
            for (id, &draft) in &reference {
                prop_assert_eq!(ids_seen.find(id), Some(draft));
                if let Some(k) = id.find(|c: char| c.is_ascii_digit()) {
                    let (prefix, digits) = id.split_at(k);
                    if let Ok(n) = digits.parse::<u64>() {
                        if n.to_string() == digits {
                            prop_assert_eq!(ids_seen.find_number(prefix, n, &mut text), Some(draft));
                        }
                    }
                }
            }
            prop_assert_eq!(ids_seen.find("#999"), None);
            prop_assert_eq!(ids_seen.find_number("#", 999, &mut text), None);
        }
    }
}
