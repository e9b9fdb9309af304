//! Fuzz target: any bytes, fed to the streaming ingest in chunks whose size
//! the input chooses, then every analysis. The engine must return errors,
//! never panic (a panic in wasm kills the page).
//!
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run ingest -- -max_total_time=900`
//! (see README; RUSTC_BOOTSTRAP lets cargo-fuzz pass its sanitizer flags to
//! the stable compiler).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ltv_engine::ingest::{Ingest, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    let chunk = 1 + first as usize * 7;
    let mut ingest = Ingest::new(IngestOptions::default());
    for c in bytes.chunks(chunk) {
        if ingest.feed(c).is_err() {
            return;
        }
    }
    if let Ok(data) = ingest.finish() {
        let _ = analyze(&data, &AnalyzeParams::default());
    }
});
