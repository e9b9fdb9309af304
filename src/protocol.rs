//! The messages between the page and the engine's Web Worker.
//!
//! The page never parses a file or runs an analysis: it sends a
//! [`Request`], the worker (see `worker.rs`) answers with [`Reply`]s. Each
//! message travels as a two-element JS array `[json, extra]`: the JSON of
//! the enum, and a JS value that JSON cannot carry (the `File` to read).
//!
//! A load is numbered by its `run`; a recomputation by its `seq`. The page
//! ignores answers to runs and sequences it has moved past, so a slow
//! answer never overwrites a newer one.

use ltv_engine::error::Error;
use ltv_engine::ingest::{IngestOptions, Preview};
use ltv_engine::report::{AnalyzeParams, ReportWire};
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
        report: Result<Box<ReportWire>, Error>,
        seconds: f64,
        phases: Phases,
    },
    /// Load `run` failed. When the columns must be mapped by hand,
    /// `preview` is what the mapping step shows (read without a mapping).
    Failed {
        run: u64,
        error: Error,
        preview: Option<Box<Preview>>,
    },
    /// Load `run` stopped on request; the previous store is unchanged.
    Cancelled { run: u64 },
    /// The analyses recomputed with the `seq`th settings.
    Analyzed {
        seq: u64,
        report: Result<Box<ReportWire>, Error>,
    },
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
            error: ErrorKind::MappingNeeded {
                missing: vec![ltv_engine::mapping::Field::OrderDate],
            }
            .into(),
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
    }
}
