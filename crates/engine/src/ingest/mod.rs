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
//!
//! The stages' files: `sniff.rs` (1), `workbook.rs` (xlsx/xls read whole
//! instead of 1 and 2), `read.rs` (2), `builder.rs` (3) with `ids.rs` (order
//! ids and customer keys as integers), and `part.rs` (a file read in two
//! parts at once and joined). This file is the public face: [`Ingest`], its
//! options and [`Preview`].

use crate::date::DateOrder;
use crate::error::{Error, ErrorKind, SettingError};
use crate::mapping::{ColumnMapping, Field, MappingGuess};
use crate::money::DecimalMark;
use crate::store::Dataset;
use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

mod builder;
mod ids;
mod lines;
mod part;
mod read;
mod sniff;
mod workbook;

use builder::Builder;
pub use part::{Part, PartSink, PartSource};
use read::Reading;
pub use read::{read_table, Table};
pub use sniff::detect_encoding;
use sniff::{check_mapping, sniff};
pub use workbook::is_workbook;
use workbook::{workbook_preview, workbook_rows};

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
    /// Fields' columns named by their header (the CLI's `--map
    /// FIELD=HEADER`), applied over the auto-mapping or `mapping`: the
    /// column headed exactly so (else the same once normalised); an empty
    /// header leaves the field unmapped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub map: Vec<(Field, String)>,
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
            return Err(SettingError::FedAfterEnd.into());
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

/// Reads a whole file held in memory (the CLI's and the tests' entry).
pub fn read_all(bytes: &[u8], opts: IngestOptions) -> Result<Dataset, Error> {
    let mut ing = Ingest::new(opts);
    ing.feed(bytes)?;
    ing.finish()
}
