//! The streaming record reader: bytes decoded to UTF-8 chunk by chunk
//! and split into records by the zero-copy splitter of `split.rs`,
//! counting physical lines; and [`read_table`], the same reader collecting
//! plain text rows.

use super::sniff::{detect_delimiter, detect_encoding};
use super::SNIFF_BYTES;
use crate::error::Error;
use crate::split::{Record, Splitter, Step};
use encoding_rs::{DecoderResult, Encoding};

/// Receives the records of a file, one at a time, with the physical line
/// where each starts. The first record is the header row.
pub(super) trait RecordSink {
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
pub(super) struct Reading<S> {
    pub(super) decoder: encoding_rs::Decoder,
    /// Decoded text not yet split (valid UTF-8 by construction, so fields
    /// are sliced from it without validating each one).
    pub(super) text: String,
    pub(super) split: Splitter,
    /// Physical line of the next unread byte.
    pub(super) line: u64,
    pub(super) sink: S,
}

impl<S: RecordSink> Reading<S> {
    pub(super) fn new(encoding: &'static Encoding, delimiter: u8, sink: S) -> Self {
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
    pub(super) fn decode(&mut self, mut src: &[u8], last: bool) {
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
    pub(super) fn split_records(&mut self, last: bool) {
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
