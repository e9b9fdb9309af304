//! Every message between the page and the workers, one serde type each.
//!
//! - page ⇄ engine worker: the page never parses a file or runs an
//!   analysis: it sends a [`Request`], the engine (`src/worker/engine.rs`)
//!   answers with [`Reply`]s;
//! - engine or helper ⇄ file reader (`public/reader.js`): [`ToReader`],
//!   [`FromReader`];
//! - engine ⇄ helper worker (`src/worker/peer.rs`, `src/worker/helper.rs`,
//!   and `public/worker.js` when the helper dies): [`PeerMsg`].
//!
//! Each message travels as a two-element JS array `[json, extra]` (see
//! `src/worker/codec.rs`): the JSON of the type, and a JS value that JSON
//! cannot carry (the `File` to read, a slice's `ArrayBuffer`) or
//! `undefined`. The types that JavaScript reads or writes are tagged by a
//! `type` field (`{"type":"read",…}`); the tests below pin their JSON.
//!
//! A load is numbered by its `run`; a recomputation by its `seq`. The page
//! ignores answers to runs and sequences it has moved past, so a slow
//! answer never overwrites a newer one.

use crate::error::AppError;
use ltv_engine::error::Error;
use ltv_engine::export::ExportEncoding;
use ltv_engine::ingest::{IngestOptions, Preview};
use ltv_engine::report::{AnalyzeParams, Report};
use ltv_engine::store::ReadInfo;
use serde::{Deserialize, Serialize};

/// Where a load's bytes come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
    /// The `File` sent as the message's `extra`.
    File,
    /// The built-in sample shop, generated in the worker.
    Sample,
}

/// Page → worker. (A request lives only while it is sent or handled, so
/// the size of its largest variant costs nothing.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// Read a file into a new order store, then analyse it with `params`.
    /// The previous store is kept until the new one is complete.
    Open {
        run: u64,
        input: Input,
        options: IngestOptions,
        params: AnalyzeParams,
        seq: u64,
    },
    /// Stop load `run` at the next chunk; the previous store stays.
    Cancel { run: u64 },
    /// Recompute every analysis from the order store (no re-reading).
    Analyze { seq: u64, params: AnalyzeParams },
    /// Fit the predictive CLV models with `params` (the CLV view asks
    /// when it is shown: the fit takes seconds on a large file).
    Clv { id: u64, params: AnalyzeParams },
    /// Write customer list `list` (an id of `ltv_engine::customers`:
    /// `yuryo`, `champions`, `churn_risk`…) as CSV, with `params`.
    Export {
        id: u64,
        list: String,
        encoding: ExportEncoding,
        params: AnalyzeParams,
        /// With the predicted-LTV columns (fits the CLV models).
        #[serde(default)]
        with_clv: bool,
    },
}

/// A customer list written by the engine; its bytes travel as the
/// message's extra (a `Blob`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exported {
    /// The download's file name.
    pub file_name: String,
    /// Customers written (the header row not counted).
    pub rows: u64,
    /// Text cells prefixed with `'` against CSV injection.
    pub neutralised_cells: u64,
    /// Characters Shift_JIS cannot hold, written as `?`.
    pub unrepresentable_chars: u64,
}

/// Where a load's time went in the worker, in seconds (for benchmarks:
/// the page writes it to the status line's `data-phases`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Phases {
    /// Waiting for slices of the file.
    pub read: f64,
    /// Decoding and parsing rows into the order store.
    pub parse: f64,
    /// Assembling the orders (sorting, exclusions).
    pub finish: f64,
    /// Every analysis.
    pub analyze: f64,
    /// Waiting for the second engine worker's half of the file (after
    /// reading the first half here).
    #[serde(default)]
    pub wait: f64,
    /// Joining that half to this one.
    #[serde(default)]
    pub join: f64,
    /// The second engine worker's time for its half, from the request to
    /// its part handed over.
    #[serde(default)]
    pub helper: f64,
    /// Size of this worker's wasm memory at the end (MB); wasm memory
    /// never shrinks, so this is its peak.
    #[serde(default)]
    pub memory_mb: f64,
    /// The same for the second engine worker.
    #[serde(default)]
    pub helper_memory_mb: f64,
    /// Parts the file was read in: 2 when the second engine worker's half
    /// was joined, else 1.
    #[serde(default)]
    pub parts: u8,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has its engine and takes requests.
    Ready,
    /// `read` of `total` bytes of load `run` are parsed, `rows` data rows.
    Progress {
        run: u64,
        read: u64,
        total: u64,
        rows: u64,
    },
    /// Load `run` is complete: how the file was read, and the analyses
    /// computed with the `seq`th settings. `seconds` is the worker's time
    /// from the request to the report.
    Loaded {
        run: u64,
        seq: u64,
        info: Box<ReadInfo>,
        report: Result<Box<Report>, Error>,
        seconds: f64,
        phases: Phases,
    },
    /// Load `run` failed. When the columns must be mapped by hand,
    /// `preview` is what the mapping step shows (read without a mapping).
    Failed {
        run: u64,
        error: AppError,
        preview: Option<Box<Preview>>,
    },
    /// Load `run` stopped on request; the previous store is unchanged.
    Cancelled { run: u64 },
    /// The analyses recomputed with the `seq`th settings.
    Analyzed {
        seq: u64,
        report: Result<Box<Report>, Error>,
    },
    /// The CLV fit `id` started a step (posted while it runs).
    ClvProgress {
        id: u64,
        stage: ltv_engine::clv::FitStage,
    },
    /// The CLV fit `id`, and the worker's seconds for it.
    Clv {
        id: u64,
        result: Result<Box<ltv_engine::clv::Clv>, Error>,
        seconds: f64,
    },
    /// Export `id` is written: its bytes are the extra (a `Blob`).
    Exported {
        id: u64,
        list: String,
        result: Result<Exported, AppError>,
    },
}

/// Engine or helper → file reader (`public/reader.js`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ToReader {
    /// Read bytes `start..end` of the file (the extra) for load `id`, in
    /// slices of `chunk` bytes, keeping `ahead` slices ready.
    Read {
        id: u64,
        start: u64,
        end: u64,
        chunk: u64,
        ahead: u32,
    },
    /// One slice of load `id` consumed: read one more.
    Ack { id: u64 },
    /// Forget the load.
    Stop,
}

/// File reader → engine or helper, in file order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum FromReader {
    /// The slice of load `id` at `offset` (the extra: its `ArrayBuffer`,
    /// transferred; none at the end of the file).
    Slice { id: u64, offset: u64 },
    /// The file could not be read.
    Error { id: u64, error: String },
}

/// Engine ⇄ helper. (A message lives only while it is sent or handled.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
#[allow(clippy::large_enum_variant)]
pub enum PeerMsg {
    /// Helper → engine: started (its script and the wasm glue fetched).
    Hello,
    /// Engine → helper: read the file (the extra) from `split` to its end
    /// as a part of load `run`.
    Read {
        run: u64,
        split: u64,
        options: IngestOptions,
    },
    /// Engine → helper: stop load `run`.
    Stop { run: u64 },
    /// Helper → engine: bytes read and rows so far.
    Progress { run: u64, read: u64, rows: u64 },
    /// Helper → engine: the part's bytes (the extra: an `ArrayBuffer`),
    /// or none if the file cannot be read in parts; the helper's time and
    /// wasm memory (MB).
    Done {
        run: u64,
        seconds: f64,
        memory_mb: f64,
    },
    /// `public/worker.js` → engine: the helper died (out of memory); read
    /// alone.
    Died,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_engine::error::ErrorKind;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(x: &T) -> T {
        serde_json::from_str(&serde_json::to_string(x).unwrap()).unwrap()
    }

    #[test]
    fn requests_and_replies_survive_json() {
        let open = Request::Open {
            run: 3,
            input: Input::File,
            options: IngestOptions {
                encoding: Some(encoding_rs::SHIFT_JIS),
                ..IngestOptions::default()
            },
            params: AnalyzeParams {
                cpa: Some(4000.5),
                ..AnalyzeParams::default()
            },
            seq: 7,
        };
        assert_eq!(round_trip(&open), open);
        let failed = Reply::Failed {
            run: 3,
            error: AppError::Engine(
                ErrorKind::MappingNeeded {
                    missing: vec![ltv_engine::mapping::Field::OrderDate],
                }
                .into(),
            ),
            preview: None,
        };
        assert_eq!(round_trip(&failed), failed);
        let progress = Reply::Progress {
            run: 1,
            read: 4 << 20,
            total: 271_209_012,
            rows: 15_000,
        };
        assert_eq!(round_trip(&progress), progress);
        let analyze = Request::Analyze {
            seq: 2,
            params: AnalyzeParams::default(),
        };
        assert_eq!(round_trip(&analyze), analyze);
        let cancel = Request::Cancel { run: 4 };
        assert_eq!(round_trip(&cancel), cancel);
        let export = Request::Export {
            id: 9,
            list: "yuryo_churned".into(),
            encoding: ExportEncoding::ShiftJis,
            params: AnalyzeParams::default(),
            with_clv: true,
        };
        assert_eq!(round_trip(&export), export);
        let clv = Request::Clv {
            id: 4,
            params: AnalyzeParams::default(),
        };
        assert_eq!(round_trip(&clv), clv);
        let progress = Reply::ClvProgress {
            id: 4,
            stage: ltv_engine::clv::FitStage::ParetoNbd,
        };
        assert_eq!(round_trip(&progress), progress);
        let exported = Reply::Exported {
            id: 9,
            list: "yuryo_churned".into(),
            result: Ok(Exported {
                file_name: "ltv-lens-yuryo_churned-2026-09-30.csv".into(),
                rows: 28,
                neutralised_cells: 1,
                unrepresentable_chars: 0,
            }),
        };
        assert_eq!(round_trip(&exported), exported);
        for msg in [
            Reply::Ready,
            Reply::Cancelled { run: 5 },
            Reply::Analyzed {
                seq: 1,
                report: Err(ErrorKind::NoOrders.into()),
            },
        ] {
            assert_eq!(round_trip(&msg), msg);
        }
    }

    /// The JSON `public/reader.js` reads: `type`, `id`, `start`, `end`,
    /// `chunk`, `ahead`.
    #[test]
    fn reader_requests_have_the_shape_reader_js_reads() {
        let read = ToReader::Read {
            id: 3,
            start: 1024,
            end: 271_209_012,
            chunk: 4 << 20,
            ahead: 4,
        };
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"{"type":"read","id":3,"start":1024,"end":271209012,"chunk":4194304,"ahead":4}"#
        );
        assert_eq!(round_trip(&read), read);
        let ack = ToReader::Ack { id: 3 };
        assert_eq!(
            serde_json::to_string(&ack).unwrap(),
            r#"{"type":"ack","id":3}"#
        );
        assert_eq!(round_trip(&ack), ack);
        assert_eq!(
            serde_json::to_string(&ToReader::Stop).unwrap(),
            r#"{"type":"stop"}"#
        );
        assert_eq!(round_trip(&ToReader::Stop), ToReader::Stop);
    }

    /// The JSON `public/reader.js` writes (`JSON.stringify` of these
    /// objects) reads back as the replies.
    #[test]
    fn reader_replies_read_what_reader_js_writes() {
        let slice: FromReader =
            serde_json::from_str(r#"{"type":"slice","id":3,"offset":4194304}"#).unwrap();
        assert_eq!(
            slice,
            FromReader::Slice {
                id: 3,
                offset: 4 << 20
            }
        );
        assert_eq!(round_trip(&slice), slice);
        let error: FromReader =
            serde_json::from_str(r#"{"type":"error","id":3,"error":"NotReadableError: gone"}"#)
                .unwrap();
        assert_eq!(
            error,
            FromReader::Error {
                id: 3,
                error: "NotReadableError: gone".into()
            }
        );
        assert_eq!(round_trip(&error), error);
    }

    /// `public/reader.js` and `public/worker.js` read and write the field
    /// names and tags of these messages.
    #[test]
    fn the_js_uses_the_messages_names() {
        let reader = include_str!("../public/reader.js");
        for read in ["m.type === 'read'", "m.type === 'ack'", "m.type === 'stop'"] {
            assert!(reader.contains(read), "reader.js: {read}");
        }
        let read = ToReader::Read {
            id: 1,
            start: 0,
            end: 1,
            chunk: 1,
            ahead: 1,
        };
        let serde_json::Value::Object(fields) = serde_json::to_value(&read).unwrap() else {
            panic!("not an object");
        };
        for key in fields.keys().filter(|k| *k != "type") {
            assert!(
                reader.contains(&format!("m.{key}")),
                "reader.js reads m.{key}"
            );
        }
        for written in [
            "type: 'slice', id: j.id, offset: start",
            "type: 'error', id: j.id, error: String(err)",
        ] {
            assert!(reader.contains(written), "reader.js: {written}");
        }
        let worker = include_str!("../public/worker.js");
        assert!(worker.contains("JSON.stringify({ type: 'died' })"));
    }

    #[test]
    fn helper_messages_survive_json() {
        for msg in [
            PeerMsg::Hello,
            PeerMsg::Read {
                run: 2,
                split: 135_000_000,
                options: IngestOptions {
                    encoding: Some(encoding_rs::SHIFT_JIS),
                    ..IngestOptions::default()
                },
            },
            PeerMsg::Stop { run: 2 },
            PeerMsg::Progress {
                run: 2,
                read: 8 << 20,
                rows: 40_000,
            },
            PeerMsg::Done {
                run: 2,
                seconds: 1.25,
                memory_mb: 96.5,
            },
            PeerMsg::Died,
        ] {
            assert_eq!(round_trip(&msg), msg);
        }
        // What public/worker.js writes when the helper dies.
        let died: PeerMsg = serde_json::from_str(r#"{"type":"died"}"#).unwrap();
        assert_eq!(died, PeerMsg::Died);
    }
}
