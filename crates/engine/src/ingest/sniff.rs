//! The sniff: from a file's first bytes, its encoding, whether it is a
//! table at all, its delimiter, header, platform and auto-mapping, date
//! order and currency (a [`Preview`]).

use super::{IngestOptions, Preview, PREVIEW_ROWS};
use crate::date::{parse_date, proves_order, DateOrder};
use crate::error::{Error, ErrorKind, FileKind};
use crate::mapping::{auto_map, ColumnMapping, Field, MappingGuess};
use crate::money::{
    currency_exponent, currency_from_symbol, parse_amount, parse_amount_with, proves_decimal_mark,
    DecimalMark, ParsedAmount,
};
use crate::split::{Splitter, Step};
use encoding_rs::Encoding;

/// Names what a non-text file looks like, from its magic number.
fn magic(bytes: &[u8]) -> Option<FileKind> {
    const MAGIC: &[(&[u8], FileKind)] = &[
        (b"PK\x03\x04", FileKind::ZipOrXlsx),
        (b"\xD0\xCF\x11\xE0", FileKind::Xls),
        (b"%PDF", FileKind::Pdf),
        (b"\x89PNG", FileKind::Png),
        (b"\xFF\xD8\xFF", FileKind::Jpeg),
        (b"GIF8", FileKind::Gif),
        (b"\x1F\x8B", FileKind::Gzip),
        (b"Rar!", FileKind::Rar),
        (b"7z\xBC\xAF", FileKind::SevenZip),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|&(_, what)| what)
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
        return Err(ErrorKind::NotTabular { looks_like: what }.into());
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
            looks_like: FileKind::Binary,
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
pub(super) fn detect_delimiter(text: &str) -> u8 {
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

pub(super) fn sniff(
    text: &str,
    encoding: &'static Encoding,
    opts: &IngestOptions,
) -> Result<Preview, Error> {
    if text.trim().is_empty() {
        return Err(ErrorKind::Empty.into());
    }
    if control_ratio_too_high(text) {
        return Err(ErrorKind::NotTabular {
            looks_like: FileKind::Binary,
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
pub(super) fn sniff_records(
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
pub(super) fn check_mapping(g: &MappingGuess) -> Result<(), Error> {
    let only_key = g.missing.iter().all(|f| *f == Field::Email);
    if g.missing.is_empty() || (only_key && g.platform.has_no_buyer_column()) {
        return Ok(());
    }
    Err(ErrorKind::MappingNeeded {
        missing: g.missing.clone(),
    }
    .into())
}
