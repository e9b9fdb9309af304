//! Engine benchmarks on the built-in sample shop (Shopify layout, JPY):
//! ingest throughput in bytes per second, and the decile analysis on the
//! resulting order store. `cargo bench -p ltv-lens-engine`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ltv_engine::decile::{deciles, Window};
use ltv_engine::ingest::{read_all, Ingest, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams};
use ltv_engine::sample::{shopify_csv, SampleParams};

fn sample(orders: u64) -> Vec<u8> {
    shopify_csv(&SampleParams {
        orders,
        ..SampleParams::default()
    })
    .0
    .into_bytes()
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
                    for c in bytes.chunks(8 << 20) {
                        let _ = ing.feed(c);
                    }
                    ing.finish()
                })
            },
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
    g.finish();
}

criterion_group!(benches, ingest, analyses);
criterion_main!(benches);
