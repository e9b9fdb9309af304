//! What the engine's integration tests share: the small cohort fixture.

#![allow(dead_code)]

use chrono::NaiveDate;
use ltv_engine::ingest::{read_all, IngestOptions};
use ltv_engine::store::Dataset;

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `tests/fixtures/cohorts_small.csv` (its orders are listed in
/// `analyses.rs`).
pub fn fixture() -> Dataset {
    let path = format!(
        "{}/../../tests/fixtures/cohorts_small.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_all(&bytes, IngestOptions::default()).unwrap()
}
