//! Engine benchmarks on the built-in sample shop (Shopify layout, JPY):
//! ingest throughput in bytes per second, and the decile analysis on the
//! resulting order store. `cargo bench -p ltv-lens-engine`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ltv_engine::calendar::Granularity;
use ltv_engine::cohort::cohorts;
use ltv_engine::decile::{deciles, Window};
use ltv_engine::history::History;
use ltv_engine::ingest::{read_all, split_aim, split_point, Ingest, IngestOptions, SNIFF_BYTES};
use ltv_engine::ltv::{ltv, LtvParams};
use ltv_engine::overview::overview;
use ltv_engine::report::{analyze, AnalyzeParams};
use ltv_engine::store::Dataset;
use ltv_engine::Error;
use ltv_sample::{shopify_csv, SampleParams};

fn sample(orders: u64) -> Vec<u8> {
    shopify_csv(&SampleParams {
        orders,
        ..SampleParams::default()
    })
    .0
    .into_bytes()
}

/// 8 MiB slices, as the browser's worker feeds them.
fn feed(ing: &mut Ingest, bytes: &[u8]) {
    for c in bytes.chunks(8 << 20) {
        let _ = ing.feed(c);
    }
}

/// The CLI's and the browser's read of a large file: the second half in a
/// part on another thread, joined to the first.
fn two_parts(bytes: &[u8]) -> Result<Dataset, Error> {
    let len = bytes.len() as u64;
    let window = &bytes[split_aim(len) as usize..];
    let mut first = Ingest::new(IngestOptions::default());
    let Some(split) = split_point(len, &window[..window.len().min(1 << 20)]) else {
        feed(&mut first, bytes);
        return first.finish();
    };
    let split = split as usize;
    let part = std::thread::scope(|s| {
        let second = s.spawn(|| {
            let mut part = Ingest::part(&bytes[..SNIFF_BYTES], IngestOptions::default()).ok()??;
            feed(&mut part, &bytes[split..]);
            part.into_part().ok()
        });
        feed(&mut first, &bytes[..split]);
        second.join().ok().flatten()
    });
    let joined = match part {
        Some(p) if first.at_record_boundary() => first.join(p)?,
        _ => false,
    };
    if !joined {
        feed(&mut first, &bytes[split..]);
    }
    first.finish()
}

fn ingest(c: &mut Criterion) {
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    // 625,000 orders is the 1M-line-item file of BENCHMARKS.md (271 MB).
    for orders in [10_000u64, 100_000, 625_000] {
        let bytes = sample(orders);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("read_all", orders), &bytes, |b, bytes| {
            b.iter(|| read_all(bytes, IngestOptions::default()))
        });
        // The browser's worker feeds 8 MiB slices.
        g.bench_with_input(
            BenchmarkId::new("chunks_8MiB", orders),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    let mut ing = Ingest::new(IngestOptions::default());
                    feed(&mut ing, bytes);
                    ing.finish()
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new("two_parts_8MiB", orders),
            &bytes,
            |b, bytes| b.iter(|| two_parts(bytes)),
        );
    }
    g.finish();
}

fn analyses(c: &mut Criterion) {
    let data = read_all(&sample(100_000), IngestOptions::default()).unwrap_or_default();
    let mut g = c.benchmark_group("analyses_100k_orders");
    g.throughput(Throughput::Elements(data.orders.len() as u64));
    let last = data.last_day().unwrap_or_default();
    g.bench_function("deciles", |b| {
        b.iter(|| deciles(&data, Window::months_ending(last, 12)))
    });
    g.bench_function("report", |b| {
        b.iter(|| analyze(&data, &AnalyzeParams::default()))
    });
    // The overview alone: its previous period needs a history and cohort
    // table of its own (this period's are the report's).
    let params = AnalyzeParams::default();
    let window = Window::months_ending(last, 12);
    if let Ok(history) = History::new(&data, last) {
        let table = cohorts(&data, &history, Granularity::Month);
        let ltv = table.map(|t| ltv(&t, &LtvParams::default()));
        if let Ok(ltv) = ltv {
            g.bench_function("overview", |b| {
                b.iter(|| overview(&data, &params, last, window, &history, &ltv))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, ingest, analyses);
criterion_main!(benches);
