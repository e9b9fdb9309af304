//! The sniff: from a file's first bytes, its encoding, whether it is a
//! table at all, its delimiter, header, platform and auto-mapping, date
//! order and currency (a [`Preview`]).

use super::{IngestOptions, Preview, PREVIEW_ROWS};
use crate::date::{parse_date, proves_order, DateOrder};
use crate::error::{Error, ErrorKind, FileKind};
use crate::mapping::{auto_map, normalise_header, ColumnMapping, Field, MappingGuess, Platform};
use crate::money::{
    currency_exponent, currency_from_symbol, parse_amount, parse_amount_with, proves_decimal_mark,
    DecimalMark, ParsedAmount,
};
use crate::split::{Splitter, Step};
use encoding_rs::Encoding;
use std::collections::HashMap;

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
    } else {
        map_from_content(&mut guess, &headers, data);
    }
    apply_header_map(&mut guess, &headers, &opts.map)?;
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

/// Whether a cell reads as some field.
type CellTest<'a> = dyn Fn(&str) -> bool + 'a;

/// Header words that say a column of numbers is not an order's amount (an
/// id, a count, a rate, a fee, a tax, points), or a column of dates not
/// the order's date (shipping, payment, birthday, update). Matched by
/// [`header_says`].
const NOT_AN_AMOUNT: &[&str] = &[
    "id",
    "番号",
    "コード",
    "code",
    "郵便",
    "zip",
    "電話",
    "tel",
    "phone",
    "数",
    "qty",
    "quantity",
    "count",
    "率",
    "rate",
    "%",
    "ポイント",
    "point",
    "送料",
    "shipping",
    "消費税",
    "割引",
    "値引",
    "discount",
    "手数料",
    "fee",
    "クーポン",
    "coupon",
    "年齢",
    "age",
    "weight",
    "重量",
];
/// The words of a header for matching English markers: lower-case runs of
/// letters or digits, split also where a lower-case letter meets an
/// upper-case one ("OrderID" is "order", "id").
fn header_words(header: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    for ch in header.chars() {
        let boundary = !ch.is_alphanumeric()
            || prev.is_some_and(|p| {
                (p.is_lowercase() && ch.is_uppercase()) || (p.is_alphabetic() != ch.is_alphabetic())
            });
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if ch.is_alphanumeric() {
            word.extend(ch.to_lowercase());
        }
        prev = Some(ch);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Whether a header says a marker: an English (ASCII letters) marker must
/// begin one of its words ("Shipping Date" says "ship", "Amount Paid" does
/// not say "id", "Coffee" does not say "fee", "Average" does not say
/// "age"); any other marker (Japanese, "%") is found anywhere in the
/// normalised header.
fn header_says(normalised: &str, words: &[String], marker: &str) -> bool {
    if marker.bytes().all(|b| b.is_ascii_alphabetic()) {
        words.iter().any(|w| w.starts_with(marker))
    } else {
        normalised.contains(marker)
    }
}

/// Order-total synonyms that do not say "total" (金額, 売上, 小計, amount…):
/// in a file with a row per item they may be the item's amount.
const AMOUNT_NOT_SAID_TOTAL: &[&str] = &[
    "amount",
    "金額",
    "税込金額",
    "金額税込",
    "売上",
    "売上額",
    "売上高",
    "売上金額",
    "売上金額税込",
    "小計",
    "subtotal",
    "sales",
    "revenue",
];
const NOT_THE_ORDER_DATE: &[&str] = &[
    "発送",
    "出荷",
    "配送",
    "到着",
    "お届け",
    "ship",
    "deliver",
    "支払",
    "入金",
    "決済",
    "paid",
    "pay",
    "誕生",
    "生年",
    "birth",
    "更新",
    "update",
    "modified",
    "キャンセル",
    "cancel",
    "返品",
    "refund",
    "登録",
    "signup",
    "registered",
];

/// Maps required fields no header named from the sample rows' content, and
/// sees that an order-total column really holds one total per order.
///
/// - In a generic export, a column named as the order total by a word that
///   does not say "total" (金額, 売上, 小計, amount…) whose rows of one order hold
///   different amounts is a line's amount: it is read as the line price
///   (when the file has neither a price nor a quantity column) or dropped
///   (the lines' prices then make the order's amount), never as the total.
/// - For the customer key (e-mail addresses), the order date and the order
///   amount still missing: the unused columns whose non-empty sample cells
///   (90 % at least) read as that field are its candidates (for the amount,
///   not a column of ids or counts, nor one whose header names an id, a
///   count, a fee or a tax). One candidate whose header does not say
///   otherwise is taken without asking and listed
///   in [`MappingGuess::from_content`]; several are a question for the user
///   (the first is pre-selected and the field stays missing).
fn map_from_content(guess: &mut MappingGuess, headers: &[String], data: &[Vec<String>]) {
    let m = &mut guess.mapping;
    // A column read as a line's amount, never again as the order's.
    let mut demoted = None;
    if let (Platform::Generic, Some(total), Some(id)) = (
        guess.platform,
        m.get(Field::OrderTotal),
        m.get(Field::OrderId),
    ) {
        let weak = headers
            .get(total)
            .is_some_and(|h| AMOUNT_NOT_SAID_TOTAL.contains(&normalise_header(h).as_str()));
        if weak && total_differs_within_an_order(data, id, total) {
            m.set(Field::OrderTotal, None);
            demoted = Some(total);
            if m.get(Field::LinePrice).is_none() && m.get(Field::LineQuantity).is_none() {
                m.set(Field::LinePrice, Some(total));
            }
        }
    }
    let width = data
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .min(headers.len().max(1));
    let norm: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let words: Vec<Vec<String>> = headers.iter().map(|h| header_words(h)).collect();
    let says = |c: usize, markers: &[&str]| {
        let (Some(h), Some(ws)) = (norm.get(c), words.get(c)) else {
            return false;
        };
        markers.iter().any(|m| header_says(h, ws, m))
    };
    let cells = |c: usize| -> Vec<&str> {
        data.iter()
            .filter_map(|r| r.get(c))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let fits = |c: usize, test: &CellTest| {
        let cells = cells(c);
        !cells.is_empty() && cells.iter().filter(|s| test(s)).count() * 10 >= cells.len() * 9
    };
    let is_email = |s: &str| {
        s.split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !s.contains(' '))
    };
    let is_date = |s: &str| {
        parse_date(s, DateOrder::MonthFirst).is_some()
            || parse_date(s, DateOrder::DayFirst).is_some()
    };
    // Written as money: digits with separators, a sign or brackets, and a
    // currency symbol, 円 or a currency code at most (not "K-01", "No.3").
    let is_amount = |s: &str| {
        let bare = s
            .trim_matches(|c: char| "¥￥$€£円 ".contains(c) || c.is_ascii_uppercase())
            .trim();
        bare.bytes().any(|b| b.is_ascii_digit())
            && bare
                .bytes()
                .all(|b| b.is_ascii_digit() || b",.-+() ".contains(&b))
            && matches!(parse_amount(s), ParsedAmount::Value(_))
            && !is_date(s)
    };
    // Integers that only grow (an id or a sequence number) or stay under
    // 100 (a count) are not amounts.
    let looks_like_a_count_or_id = |c: usize| {
        let ints: Option<Vec<i64>> = cells(c).iter().map(|s| s.parse::<i64>().ok()).collect();
        ints.is_some_and(|v| {
            v.iter().all(|&x| x < 100) || (v.len() >= 5 && v.windows(2).all(|w| w[0] < w[1]))
        })
    };
    let used = |m: &ColumnMapping, c: usize| {
        Field::ALL.iter().any(|f| m.get(*f) == Some(c))
            || m.key_extra.contains(&c)
            || demoted == Some(c)
    };
    let tests: [(Field, &CellTest, &[&str]); 3] = [
        (Field::Email, &is_email, &[]),
        (Field::OrderDate, &is_date, NOT_THE_ORDER_DATE),
        (Field::OrderTotal, &is_amount, NOT_AN_AMOUNT),
    ];
    for (field, test, doubtful) in tests {
        let m = &mut guess.mapping;
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
        let candidates: Vec<usize> = (0..width)
            .filter(|&c| !used(m, c) && fits(c, test))
            // An id, a count or a fee is never the order's amount; a date
            // whose header names another event still competes (and asks).
            .filter(|&c| {
                field != Field::OrderTotal
                    || !(looks_like_a_count_or_id(c) || says(c, NOT_AN_AMOUNT))
            })
            .collect();
        let Some(&first) = candidates.first() else {
            continue;
        };
        m.set(field, Some(first));
        if field == Field::Email {
            m.customer_key = Some(Field::Email);
            m.key_extra.clear();
        }
        if candidates.len() == 1 && !says(first, doubtful) {
            guess.from_content.push(field);
        }
    }
    let m = &mut guess.mapping;
    if m.key_column().is_none() {
        m.default_key();
    }
    // Missing: what is still unmapped, and what was only pre-selected.
    let mut missing = guess.mapping.missing();
    for f in std::mem::take(&mut guess.missing) {
        if !guess.from_content.contains(&f) && !missing.contains(&f) {
            missing.push(f);
        }
    }
    missing.sort();
    guess.missing = missing;
}

/// Applies the columns named by header ([`IngestOptions::map`]): the
/// column moves to the field (leaving any field that had it); a key field
/// named becomes the customer key. Fields the user names are no longer
/// missing; fields only pre-selected from their content still are.
fn apply_header_map(
    guess: &mut MappingGuess,
    headers: &[String],
    map: &[(Field, String)],
) -> Result<(), Error> {
    if map.is_empty() {
        return Ok(());
    }
    for (field, header) in map {
        let field = *field;
        let header = header.trim();
        let col = if header.is_empty() {
            None
        } else {
            let want = normalise_header(header);
            let found = headers
                .iter()
                .position(|h| h == header)
                .or_else(|| headers.iter().position(|h| normalise_header(h) == want));
            Some(found.ok_or_else(|| ErrorKind::UnknownHeader {
                field,
                header: header.to_string(),
                headers: headers.to_vec(),
            })?)
        };
        let m = &mut guess.mapping;
        if let Some(c) = col {
            for f in Field::ALL {
                if m.get(f) == Some(c) {
                    m.set(f, None);
                }
            }
            m.key_extra.retain(|&k| k != c);
        }
        m.set(field, col);
        if matches!(field, Field::Email | Field::CustomerId | Field::Phone) {
            if col.is_some() {
                m.customer_key = Some(field);
                m.key_extra.clear();
            } else if m.customer_key == Some(field) {
                m.default_key();
            }
        }
        guess.from_content.retain(|f| *f != field);
    }
    let named = |f: Field| {
        map.iter().any(|(g, _)| {
            *g == f
                || (f == Field::Email && matches!(g, Field::CustomerId | Field::Phone))
                || (f == Field::OrderTotal && *g == Field::LinePrice)
        })
    };
    let mut missing = guess.mapping.missing();
    for f in std::mem::take(&mut guess.missing) {
        if !named(f) && !missing.contains(&f) {
            missing.push(f);
        }
    }
    missing.sort();
    guess.missing = missing;
    Ok(())
}

/// Whether some order's rows hold different non-empty amounts in `total`
/// (checked on the sample rows, keyed by the `id` column).
fn total_differs_within_an_order(data: &[Vec<String>], id: usize, total: usize) -> bool {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    data.iter().any(|r| {
        let (Some(i), Some(t)) = (r.get(id).map(|s| s.trim()), r.get(total).map(|s| s.trim()))
        else {
            return false;
        };
        if i.is_empty() || t.is_empty() {
            return false;
        }
        *seen.entry(i).or_insert(t) != t
    })
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
