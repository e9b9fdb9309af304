//! Workbooks (xlsx, xls, xlsb, ods): shop staff often re-save an export
//! in Excel; the first sheet is read whole, as text rows.

use super::builder::Builder;
use super::read::RecordSink;
use super::sniff::{check_mapping, sniff_records};
use super::{Ingest, IngestOptions, Preview};
use crate::error::{Error, ErrorKind, FileKind};
use crate::split::{Record, Span};
use crate::store::Dataset;

/// Whether the bytes start like a spreadsheet workbook (xlsx/xlsb/ods are
/// zip archives, xls a compound document).
pub fn is_workbook(raw: &[u8]) -> bool {
    raw.starts_with(b"PK\x03\x04") || raw.starts_with(b"\xD0\xCF\x11\xE0")
}

/// The first sheet of a workbook (xlsx, xls, xlsb, ods) as text rows: shop
/// staff often re-save an export in Excel.
pub(super) fn workbook_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, Error> {
    use calamine::Reader;
    let not_a_workbook = || -> Error {
        ErrorKind::NotTabular {
            looks_like: FileKind::UnreadableWorkbook,
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
pub(super) fn workbook_preview(
    rows: &[Vec<String>],
    opts: &IngestOptions,
) -> Result<Preview, Error> {
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

impl Ingest {
    /// Reads the first sheet of a workbook held in `raw`; rows are numbered
    /// as the spreadsheet numbers them.
    pub(super) fn finish_workbook(self) -> Result<Dataset, Error> {
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
