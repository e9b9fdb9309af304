//! CPM segments and monthly moves on hand-built fixtures where every
//! customer's segment is known by construction (every boundary day and
//! amount on both sides), and a property: the segments add up to the
//! customers under any thresholds.

use chrono::NaiveDate;
use ltv_engine::cpm::{cpm, segments, CpmParams, CpmSegment, Stage, Thresholds};
use ltv_engine::date::to_day;
use ltv_engine::error::{ErrorKind, Param, SettingError};
use ltv_engine::history::History;
use ltv_engine::ingest::{read_all, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams};
use ltv_engine::store::{Dataset, Order};
use proptest::prelude::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn read(csv: &str) -> Dataset {
    read_all(csv.as_bytes(), IngestOptions::default()).unwrap()
}

/// As of 2024-12-31 (D). D−240 = 2024-05-05, D−239 = 05-06, D−89 = 10-03,
/// D−90 = 10-02, D−209 = 06-05, D−210 = 06-04, D−300 = 03-06.
const SEGMENTS: &str = "\
Email,Order Date,Total
s1@x.jp,2024-12-31,1000
s1@x.jp,2025-01-05,5000
s2@x.jp,2024-05-05,1000
s3@x.jp,2024-05-06,1000
y1@x.jp,2024-10-03,50000
y1@x.jp,2024-12-31,50000
yc@x.jp,2024-03-01,1500
yc@x.jp,2024-03-06,1500
k1@x.jp,2024-10-02,60000
k1@x.jp,2024-12-31,9999
l2@x.jp,2024-06-04,34999
l2@x.jp,2024-12-31,35000
rf@x.jp,2024-09-22,40000
rf@x.jp,2024-10-01,40000
rf@x.jp,2024-12-30,-10001
kc@x.jp,2024-01-26,2500
kc@x.jp,2024-05-05,2500
r1@x.jp,2024-10-02,60000
r1@x.jp,2024-12-31,10000
r2@x.jp,2024-06-05,35000
r2@x.jp,2024-12-31,35000
l1@x.jp,2024-06-04,35000
l1@x.jp,2024-12-31,35000
lc@x.jp,2023-07-10,40000
lc@x.jp,2024-05-05,40000
,2024-12-31,777
";

fn by_key(data: &Dataset, segs: &[CpmSegment]) -> Vec<(String, CpmSegment)> {
    let mut v: Vec<(String, CpmSegment)> = segs
        .iter()
        .enumerate()
        .map(|(i, &s)| (data.customer_keys[i].to_string(), s))
        .collect();
    v.sort();
    v
}

fn as_of_d() -> AnalyzeParams {
    AnalyzeParams {
        as_of: Some(day("2024-12-31")),
        ..AnalyzeParams::default()
    }
}

#[test]
fn every_customer_in_its_segment_at_each_boundary() {
    use CpmSegment::*;
    let data = read(SEGMENTS);
    let p = as_of_d();
    let t = Thresholds::of(&p, &data);
    assert_eq!(t.spend_minor, 70_000);
    let got = by_key(&data, &segments(&data, day("2024-12-31"), &t));
    let want: Vec<(String, CpmSegment)> = [
        ("k1@x.jp", Kotsukotsu),        // tenure 90, ¥69,999
        ("kc@x.jp", KotsukotsuChurned), // last order exactly 240 days ago
        ("l1@x.jp", Yuryo),             // tenure exactly 210, ¥70,000
        ("l2@x.jp", Kotsukotsu),        // tenure 210, ¥69,999
        ("lc@x.jp", YuryoChurned),      // tenure 300, ¥80,000, 240 days ago
        ("r1@x.jp", Ryuko),             // tenure exactly 90, exactly ¥70,000
        ("r2@x.jp", Ryuko),             // tenure 209, ¥70,000
        ("rf@x.jp", Kotsukotsu),        // ¥80,000 less a ¥10,001 refund
        ("s1@x.jp", Shokai),            // its 2025 order is after the as-of date
        ("s2@x.jp", ShokaiChurned),     // exactly 240 days ago
        ("s3@x.jp", Shokai),            // 239 days ago
        ("y1@x.jp", Yochiyochi),        // tenure 89, ¥100,000
        ("yc@x.jp", YochiyochiChurned), // 300 days ago
    ]
    .into_iter()
    .map(|(k, s)| (k.to_string(), s))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn segment_table_counts_and_revenue() {
    let data = read(SEGMENTS);
    let r = analyze(&data, &as_of_d()).unwrap();
    let c = &r.cpm;
    assert_eq!(c.customers, 13);
    assert_eq!(c.thresholds.spend, 70_000.0);
    assert_eq!(
        (
            c.thresholds.churn_days,
            c.thresholds.toddler_days,
            c.thresholds.loyal_days
        ),
        (240, 90, 210)
    );
    let rows: Vec<(Stage, u64, u64, f64, f64)> = c
        .segments
        .iter()
        .map(|s| {
            (
                s.id,
                s.active,
                s.churned,
                s.active_revenue.major(),
                s.churned_revenue.major(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (Stage::Shokai, 2, 1, 2000.0, 1000.0),
            (Stage::Yochiyochi, 1, 1, 100_000.0, 3000.0),
            (Stage::Kotsukotsu, 3, 1, 209_997.0, 5000.0),
            (Stage::Ryuko, 2, 0, 140_000.0, 0.0),
            (Stage::Yuryo, 1, 1, 70_000.0, 80_000.0),
        ]
    );
    // The JSON shape: `cpm` is the last key; ids as the issue fixes them.
    let text = serde_json::to_string(&r).unwrap();
    let (repeat, cpm) = (text.rfind(",\"repeat\":"), text.rfind(",\"cpm\":"));
    assert!(repeat.is_some() && repeat < cpm, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["cpm"]["segments"][3]["id"], "ryuko");
    assert_eq!(v["cpm"]["segments"][4]["churned"], 1);
    assert_eq!(v["cpm"]["segments"][4]["churned_revenue"], 80000.0);
}

#[test]
fn thresholds_are_settings() {
    let data = read(SEGMENTS);
    let p = AnalyzeParams {
        cpm: CpmParams {
            spend: Some(69_999.0),
            ..CpmParams::default()
        },
        ..as_of_d()
    };
    let segs = by_key(
        &data,
        &segments(&data, day("2024-12-31"), &Thresholds::of(&p, &data)),
    );
    let of = |k: &str| segs.iter().find(|(key, _)| key == k).map(|x| x.1);
    assert_eq!(of("k1@x.jp"), Some(CpmSegment::Ryuko));
    assert_eq!(of("l2@x.jp"), Some(CpmSegment::Yuryo));
    // A churn window of 241 days: the 240-day customers are active.
    let p = AnalyzeParams {
        churn_days: 241,
        cpm: CpmParams {
            toddler_days: 90,
            loyal_days: 90,
            spend: None,
        },
        ..as_of_d()
    };
    let segs = by_key(
        &data,
        &segments(&data, day("2024-12-31"), &Thresholds::of(&p, &data)),
    );
    let of = |k: &str| segs.iter().find(|(key, _)| key == k).map(|x| x.1);
    assert_eq!(of("s2@x.jp"), Some(CpmSegment::Shokai));
    assert_eq!(of("r1@x.jp"), Some(CpmSegment::Yuryo)); // loyal from 90 days
    assert_eq!(of("r2@x.jp"), Some(CpmSegment::Yuryo));
}

#[test]
fn out_of_range_and_reversed_thresholds_are_errors() {
    let data = read(SEGMENTS);
    let bad = |cpm: CpmParams| {
        analyze(&data, &AnalyzeParams { cpm, ..as_of_d() })
            .unwrap_err()
            .kind
    };
    let d = CpmParams::default();
    for (cpm, setting) in [
        (
            CpmParams {
                toddler_days: 0,
                ..d
            },
            Param::CpmToddlerDays,
        ),
        (
            CpmParams {
                loyal_days: 40_000,
                ..d
            },
            Param::CpmLoyalDays,
        ),
        (
            CpmParams {
                spend: Some(-1.0),
                ..d
            },
            Param::CpmSpend,
        ),
        (
            CpmParams {
                spend: Some(f64::NAN),
                ..d
            },
            Param::CpmSpend,
        ),
    ] {
        match bad(cpm) {
            ErrorKind::InvalidSetting {
                error: SettingError::OutOfRange { setting: s, .. },
            } => assert_eq!(s, setting),
            k => panic!("{k:?}"),
        }
    }
    let err = |cpm| ltv_engine::Error::from(bad(cpm)).to_string();
    assert_eq!(
        err(CpmParams {
            spend: Some(-1.0),
            ..d
        }),
        "setting: the CPM spend threshold must be a positive amount, not -1"
    );
    assert_eq!(
        err(CpmParams {
            toddler_days: 211,
            ..d
        }),
        "setting: the CPM toddler tenure (211 days) must not be longer than the loyal tenure (210 days)"
    );
    assert_eq!(
        bad(CpmParams {
            toddler_days: 211,
            ..d
        }),
        ErrorKind::InvalidSetting {
            error: SettingError::CpmTenureReversed {
                toddler_days: 211,
                loyal_days: 210
            }
        }
    );
}

/// As of 2024-06-30 (a month-end, so June is the last month):
/// - a: 2024-01-15 ¥10,000 (new in Jan), 03-10 ¥10,000 (初回 → よちよち in
///   Mar), 04-20 ¥50,000 (tenure 96, ¥70,000: よちよち → 流行 in Apr);
/// - b: 2023-01-10 ¥1,000 (初回; 240 days later is 2023-09-07, churned in
///   Sep), 2024-02-05 ¥1,000 (back in Feb as コツコツ: tenure 391, ¥2,000);
/// - c: 2023-08-15 and 08-20 ¥500 (new in Aug as よちよち; churned from
///   2024-04-16, so in Apr).
const MOVES: &str = "\
Email,Order Date,Total
b@x.jp,2023-01-10,1000
c@x.jp,2023-08-15,500
c@x.jp,2023-08-20,500
a@x.jp,2024-01-15,10000
b@x.jp,2024-02-05,1000
a@x.jp,2024-03-10,10000
a@x.jp,2024-04-20,50000
";

#[test]
fn monthly_moves_with_known_transitions() {
    use CpmSegment::*;
    let data = read(MOVES);
    for as_of in ["2024-06-30", "2024-07-10"] {
        let p = AnalyzeParams {
            as_of: Some(day(as_of)),
            ..AnalyzeParams::default()
        };
        let c = cpm(&data, day(as_of), &Thresholds::of(&p, &data));
        let months: Vec<(&str, u64, u64, u64, u64)> = c
            .moves
            .iter()
            .map(|m| (m.month.as_str(), m.new, m.moved_up, m.churned, m.came_back))
            .collect();
        assert_eq!(
            months,
            vec![
                ("2023-07", 0, 0, 0, 0),
                ("2023-08", 1, 0, 0, 0),
                ("2023-09", 0, 0, 1, 0),
                ("2023-10", 0, 0, 0, 0),
                ("2023-11", 0, 0, 0, 0),
                ("2023-12", 0, 0, 0, 0),
                ("2024-01", 1, 0, 0, 0),
                ("2024-02", 0, 0, 0, 1),
                ("2024-03", 0, 1, 0, 0),
                ("2024-04", 0, 1, 1, 0),
                ("2024-05", 0, 0, 0, 0),
                ("2024-06", 0, 0, 0, 0),
            ],
            "as of {as_of}"
        );
        assert_eq!(c.moves[0].as_of, day("2023-07-31"));
        assert_eq!(c.moves[11].as_of, day("2024-06-30"));
        let counts = |i: usize| -> Vec<(CpmSegment, CpmSegment, u64)> {
            c.moves[i]
                .counts
                .iter()
                .map(|m| (m.from, m.to, m.customers))
                .collect()
        };
        assert_eq!(counts(0), vec![(None, None, 2), (Shokai, Shokai, 1)]);
        assert_eq!(
            counts(2),
            vec![
                (None, None, 1),
                (Shokai, ShokaiChurned, 1),
                (Yochiyochi, Yochiyochi, 1)
            ]
        );
        assert_eq!(
            counts(7),
            vec![
                (Shokai, Shokai, 1),
                (Yochiyochi, Yochiyochi, 1),
                (ShokaiChurned, Kotsukotsu, 1)
            ]
        );
        assert_eq!(
            counts(9),
            vec![
                (Yochiyochi, Ryuko, 1),
                (Yochiyochi, YochiyochiChurned, 1),
                (Kotsukotsu, Kotsukotsu, 1)
            ]
        );
        for m in &c.moves {
            assert_eq!(m.counts.iter().map(|x| x.customers).sum::<u64>(), 3);
        }
    }
    // A short history: only the months from the first order on.
    let data = read("Email,Order Date,Total\na@x.jp,2024-05-20,100\na@x.jp,2024-06-02,100\n");
    let p = AnalyzeParams::default();
    let c = cpm(&data, day("2024-06-15"), &Thresholds::of(&p, &data));
    assert_eq!(c.moves.len(), 1);
    assert_eq!(c.moves[0].month, "2024-05");
    assert_eq!(c.moves[0].new, 1);
    let c = cpm(&data, day("2024-05-30"), &Thresholds::of(&p, &data));
    assert!(c.moves.is_empty());
}

fn dataset(orders: &[(u32, i32, i64)], customers: u32) -> Dataset {
    let base = to_day(day("2022-01-01"));
    let orders: Vec<Order> = orders
        .iter()
        .map(|&(customer, d, amount)| Order {
            customer,
            day: base + d,
            amount,
        })
        .collect();
    Dataset::from_orders(orders, (0..customers).map(|i| format!("c{i:03}")))
}

proptest! {
    #[test]
    fn segments_add_up_to_the_customers_under_any_thresholds(
        orders in prop::collection::vec((0u32..25, 0i32..900, -20_000i64..200_000), 0..120),
        churn in 1u32..500,
        toddler in 1u32..400,
        extra in 0u32..400,
        spend in 0i64..300_000,
        as_of in 0i32..1000,
    ) {
        let data = dataset(&orders, 25);
        let t = Thresholds {
            churn_days: churn,
            toddler_days: toddler,
            loyal_days: toddler + extra,
            spend_minor: spend,
        };
        let as_of = ltv_engine::date::from_day(to_day(day("2022-01-01")) + as_of);
        let c = cpm(&data, as_of, &t);
        let h = History::new(&data, as_of).unwrap();
        let total: u64 = c.segments.iter().map(|s| s.active + s.churned).sum();
        prop_assert_eq!(total, h.customers);
        prop_assert_eq!(c.customers, h.customers);
        let segs = segments(&data, as_of, &t);
        prop_assert_eq!(segs.iter().filter(|s| **s != CpmSegment::None).count() as u64, h.customers);
        for m in &c.moves {
            prop_assert_eq!(m.counts.iter().map(|x| x.customers).sum::<u64>(), 25);
            // The incremental month-end segments are those computed afresh.
            let fresh = segments(&data, m.as_of, &t);
            for x in &m.counts {
                prop_assert!(x.customers > 0);
                prop_assert_eq!(
                    fresh.iter().filter(|s| **s == x.to).count() as u64 >= x.customers,
                    true
                );
            }
            let arrive = |seg: CpmSegment| m.counts.iter().filter(|x| x.to == seg).map(|x| x.customers).sum::<u64>();
            for seg in CpmSegment::ALL {
                prop_assert_eq!(arrive(seg), fresh.iter().filter(|s| **s == seg).count() as u64);
            }
        }
    }
}
