//! RFM (crate::rfm) on hand-built order tables where every customer's R,
//! F, M, scores and segment are known by construction, and the grid's
//! totals under any thresholds.

use chrono::{Duration, NaiveDate};
use ltv_engine::date::to_day;
use ltv_engine::history::History;
use ltv_engine::ingest::{read_all, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::rfm::{scores, CustomerRfm, RfmParams, Segment};
use ltv_engine::store::{Dataset, Order, NO_CUSTOMER};
use proptest::prelude::*;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
}

/// A CSV export from (customer, [(days before the as-of date, amount)]).
fn csv(customers: &[(&str, &[(i64, i64)])]) -> Dataset {
    let mut text = String::from("Email,Order Date,Total\n");
    for (who, orders) in customers {
        for &(days, amount) in *orders {
            let d = as_of() - Duration::days(days);
            text.push_str(&format!("{who},{d},{amount}\n"));
        }
    }
    // Ignored by RFM: an order after the as-of date; one without a key
    // (counted in revenue, not in customers).
    text.push_str("a@x.jp,2025-01-05,99999\n,2024-12-30,777\n");
    read_all(text.as_bytes(), IngestOptions::default()).unwrap()
}

fn report(data: &Dataset, rfm: RfmParams) -> Report {
    let p = AnalyzeParams {
        as_of: Some(as_of()),
        rfm,
        ..AnalyzeParams::default()
    };
    analyze(data, &p).unwrap()
}

/// Each named customer's RFM.
fn of(data: &Dataset, rfm: &RfmParams, who: &str) -> CustomerRfm {
    let h = History::new(data, as_of()).unwrap();
    let id = data.customer_keys.iter().position(|k| k == who).unwrap();
    scores(data, &h, rfm)[id].unwrap()
}

/// Each customer's R, F, M, scores and segment, as expected.
type Expected = (&'static str, i64, u32, i64, (u8, u8, u8), Segment);

fn assert_customers(data: &Dataset, p: &RfmParams, rows: &[Expected]) {
    for &(who, days, orders, spend, scores, seg) in rows {
        let c = of(data, p, who);
        assert_eq!(
            (c.recency_days, c.orders, c.spend),
            (days, orders, spend),
            "{who}"
        );
        assert_eq!((c.r_score, c.f_score, c.m_score), scores, "{who}");
        assert_eq!(c.segment, seg, "{who}");
    }
}

fn cell(r: &Report, rf: (u8, u8)) -> (u64, f64) {
    let c = r.rfm.cells.iter().find(|c| (c.r, c.f) == rf).unwrap();
    (c.customers, c.revenue.major())
}

fn segment(r: &Report, id: Segment) -> (u64, f64, f64, f64) {
    let s = r.rfm.segments.iter().find(|s| s.id == id).unwrap();
    (
        s.customers,
        s.revenue.major(),
        s.share_of_customers,
        s.share_of_revenue,
    )
}

/// Ten customers. R (days): 0, 10, 30, 60, 90, 200 ×3 (a tie across the
/// second quintile boundary, positions 2–4), 300, 400. F: 5, 3, 2, 2 and
/// six 1s. M: 900, 800, 700, 600, 500, 300 ×3 (a tie across a boundary),
/// 200, 100.
fn quintile_shop() -> Dataset {
    csv(&[
        (
            "a@x.jp",
            &[(40, 180), (30, 180), (20, 180), (10, 180), (0, 180)],
        ),
        ("b@x.jp", &[(50, 300), (30, 300), (10, 200)]),
        ("c@x.jp", &[(100, 350), (30, 350)]),
        ("d@x.jp", &[(61, 300), (60, 300)]),
        ("e@x.jp", &[(90, 500)]),
        ("f@x.jp", &[(200, 300)]),
        ("g@x.jp", &[(200, 300)]),
        ("h@x.jp", &[(200, 300)]),
        ("i@x.jp", &[(300, 200)]),
        ("j@x.jp", &[(400, 100)]),
    ])
}

#[test]
fn quintiles_keep_ties_together() {
    let data = quintile_shop();
    let p = RfmParams::default();
    // below(v) / n → score 1 + ⌊5·below/n⌋, n = 10.
    assert_customers(
        &data,
        &p,
        &[
            ("a@x.jp", 0, 5, 900, (5, 5, 5), Segment::Champions),
            ("b@x.jp", 10, 3, 800, (5, 5, 5), Segment::Champions),
            ("c@x.jp", 30, 2, 700, (4, 4, 4), Segment::Loyal),
            ("d@x.jp", 60, 2, 600, (4, 4, 4), Segment::Loyal),
            ("e@x.jp", 90, 1, 500, (3, 1, 3), Segment::AboutToSleep),
            ("f@x.jp", 200, 1, 300, (2, 1, 2), Segment::Hibernating),
            ("g@x.jp", 200, 1, 300, (2, 1, 2), Segment::Hibernating),
            ("h@x.jp", 200, 1, 300, (2, 1, 2), Segment::Hibernating),
            ("i@x.jp", 300, 1, 200, (1, 1, 1), Segment::Lost),
            ("j@x.jp", 400, 1, 100, (1, 1, 1), Segment::Lost),
        ],
    );
    let r = report(&data, p);
    assert_eq!(r.rfm.scoring, "quintiles");
    assert_eq!(r.rfm.cuts.r, [Some(10), Some(60), Some(90), Some(200)]);
    // Six of ten have one order: F = 2 starts at 60% and scores 4; F
    // scores 2 and 3 are empty.
    assert_eq!(r.rfm.cuts.f, [Some(2), Some(2), Some(2), Some(3)]);
    let m: Vec<f64> = r.rfm.cuts.m.iter().map(|c| c.unwrap().major()).collect();
    assert_eq!(m, [300.0, 500.0, 600.0, 800.0]);
    assert_eq!(r.rfm.cells.len(), 25);
    assert_eq!((r.rfm.cells[0].r, r.rfm.cells[0].f), (5, 1));
    assert_eq!(cell(&r, (5, 5)), (2, 1700.0));
    assert_eq!(cell(&r, (4, 4)), (2, 1300.0));
    assert_eq!(cell(&r, (3, 1)), (1, 500.0));
    assert_eq!(cell(&r, (2, 1)), (3, 900.0));
    assert_eq!(cell(&r, (1, 1)), (2, 300.0));
    assert_eq!(r.rfm.cells.iter().map(|c| c.customers).sum::<u64>(), 10);
    assert_eq!(
        segment(&r, Segment::Champions),
        (2, 1700.0, 0.2, 1700.0 / 4700.0)
    );
    assert_eq!(
        segment(&r, Segment::Hibernating),
        (3, 900.0, 0.3, 900.0 / 4700.0)
    );
    assert_eq!(segment(&r, Segment::AtRisk), (0, 0.0, 0.0, 0.0));
    let ids: Vec<Segment> = r.rfm.segments.iter().map(|s| s.id).collect();
    assert_eq!(ids, Segment::ALL);
}

#[test]
fn everyone_alike_scores_one() {
    let data = csv(&[("a@x.jp", &[(5, 100)]), ("b@x.jp", &[(5, 100)])]);
    let r = report(&data, RfmParams::default());
    assert_eq!(r.rfm.cuts.r, [None; 4]);
    assert_eq!(cell(&r, (1, 1)), (2, 200.0));
    assert_eq!(segment(&r, Segment::Lost).0, 2);
}

/// Thresholds R 30,60,90,180 days; F 2,3,4,5 orders; M 1000,2000,3000,4000:
/// each customer sits on or next to a boundary.
#[test]
fn thresholds_and_their_boundary_days() {
    let data = csv(&[
        (
            "p@x.jp",
            &[(70, 1000), (60, 1000), (50, 1000), (40, 1000), (30, 1000)],
        ),
        ("q@x.jp", &[(61, 250), (51, 250), (41, 250), (31, 250)]),
        ("r@x.jp", &[(60, 999)]),
        ("s@x.jp", &[(81, 1000), (71, 1000), (61, 1000)]),
        ("t@x.jp", &[(100, 1000), (90, 1000)]),
        (
            "u@x.jp",
            &[(131, 800), (121, 800), (111, 800), (101, 800), (91, 800)],
        ),
        ("v@x.jp", &[(200, 1000), (190, 1000), (180, 999)]),
        ("w@x.jp", &[(181, 500)]),
        ("x@x.jp", &[(0, 1999)]),
        ("y@x.jp", &[(410, 300), (400, -100)]),
        ("z@x.jp", &[(130, 600), (120, 600)]),
    ]);
    let p = RfmParams {
        r: Some([30, 60, 90, 180]),
        f: Some([2, 3, 4, 5]),
        m: Some([1000.0, 2000.0, 3000.0, 4000.0]),
    };
    assert_customers(
        &data,
        &p,
        &[
            ("p@x.jp", 30, 5, 5000, (5, 5, 5), Segment::Champions),
            ("q@x.jp", 31, 4, 1000, (4, 4, 2), Segment::Loyal),
            ("r@x.jp", 60, 1, 999, (4, 1, 1), Segment::Promising),
            ("s@x.jp", 61, 3, 3000, (3, 3, 4), Segment::NeedsAttention),
            ("t@x.jp", 90, 2, 2000, (3, 2, 3), Segment::AboutToSleep),
            ("u@x.jp", 91, 5, 4000, (2, 5, 5), Segment::CannotLose),
            ("v@x.jp", 180, 3, 2999, (2, 3, 3), Segment::AtRisk),
            ("w@x.jp", 181, 1, 500, (1, 1, 1), Segment::Lost),
            ("x@x.jp", 0, 1, 1999, (5, 1, 2), Segment::New),
            ("y@x.jp", 400, 2, 200, (1, 2, 1), Segment::Lost),
            ("z@x.jp", 120, 2, 1200, (2, 2, 2), Segment::Hibernating),
        ],
    );
    let r = report(&data, p);
    assert_eq!(r.rfm.scoring, "thresholds");
    assert_eq!(r.rfm.cuts.r, [Some(30), Some(60), Some(90), Some(180)]);
    assert_eq!(r.rfm.cuts.f, [Some(2), Some(3), Some(4), Some(5)]);
    assert_eq!(r.rfm.cuts.m[3].unwrap().major(), 4000.0);
    assert_eq!(cell(&r, (1, 1)), (1, 500.0));
    assert_eq!(cell(&r, (1, 2)), (1, 200.0));
    assert_eq!(
        segment(&r, Segment::Lost),
        (2, 700.0, 2.0 / 11.0, 700.0 / 22897.0)
    );
    assert_eq!(segment(&r, Segment::PotentialLoyalist).0, 0);
    // Only R fixed: the others by quintiles.
    let mixed = report(
        &data,
        RfmParams {
            r: p.r,
            ..RfmParams::default()
        },
    );
    assert_eq!(mixed.rfm.scoring, "mixed");
    assert_eq!(mixed.rfm.cuts.r, r.rfm.cuts.r);
}

#[test]
fn thresholds_must_ascend() {
    let data = quintile_shop();
    let p = AnalyzeParams {
        rfm: RfmParams {
            f: Some([1, 3, 3, 4]),
            ..RfmParams::default()
        },
        ..AnalyzeParams::default()
    };
    let e = analyze(&data, &p).unwrap_err();
    assert_eq!(
        e.to_string(),
        "setting: the RFM F (orders) thresholds must be four ascending numbers, not 1,3,3,4"
    );
    let p = AnalyzeParams {
        rfm: RfmParams {
            m: Some([1.0, 2.0, f64::NAN, 4.0]),
            ..RfmParams::default()
        },
        ..AnalyzeParams::default()
    };
    assert!(analyze(&data, &p).is_err());
}

#[test]
fn json_has_rfm_last() {
    let r = report(&quintile_shop(), RfmParams::default());
    let json = serde_json::to_string(&r).unwrap();
    let at = json
        .find(",\"rfm\":{\"scoring\":\"quintiles\",\"cuts\":{\"r\":[10,60,90,200]")
        .unwrap();
    assert!(json[at..].contains("\"cells\":[{\"r\":5,\"f\":1,\"segment\":\"new\",\"customers\":0,"));
    assert!(json[at..].contains("{\"id\":\"champions\",\"customers\":2,\"revenue\":1700"));
    // Then the fields after RFM (no products here: no cross-sell), and
    // the predictive CLV last.
    assert!(json.ends_with(",\"cross_sell\":null,\"clv\":null}"));
}

fn dataset(orders: &[(u32, i32, i64)], customers: u32) -> Dataset {
    let orders: Vec<Order> = orders
        .iter()
        .map(|&(c, day, amount)| Order {
            customer: if c >= customers { NO_CUSTOMER } else { c },
            day: to_day(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()) + day,
            amount,
        })
        .collect();
    Dataset::from_orders(orders, (0..customers).map(|i| format!("c{i}")))
}

fn ascending<T: PartialOrd + Copy>(mut v: Vec<T>) -> Option<[T; 4]> {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v.dedup();
    (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cells_add_up_under_any_thresholds(
        orders in proptest::collection::vec((0u32..14, 0i32..700, -500i64..20_000), 1..80),
        r in proptest::option::of(proptest::collection::vec(0u32..600, 4)),
        f in proptest::option::of(proptest::collection::vec(0u32..8, 4)),
        m in proptest::option::of(proptest::collection::vec(-100i32..30_000, 4)),
        back in 0i64..300,
    ) {
        let data = dataset(&orders, 12);
        let params = RfmParams {
            r: r.and_then(ascending),
            f: f.and_then(ascending),
            m: m.and_then(ascending).map(|c| c.map(f64::from)),
        };
        let Some(last) = data.last_day() else { return Ok(()) };
        let as_of = last - Duration::days(back);
        let p = AnalyzeParams { as_of: Some(as_of), rfm: params, ..AnalyzeParams::default() };
        let Ok(rep) = analyze(&data, &p) else { return Ok(()) };
        let h = History::new(&data, as_of).unwrap();
        let each = scores(&data, &h, &params);
        let limit = to_day(as_of);
        let spend = |c: usize| -> i64 {
            data.orders.iter().filter(|o| o.customer as usize == c && o.day <= limit).map(|o| o.amount).sum()
        };
        let customers = each.iter().flatten().count() as u64;
        let revenue: i64 = (0..12).filter(|&c| each[c].is_some()).map(spend).sum();
        prop_assert_eq!(customers, h.customers);
        let cells: u64 = rep.rfm.cells.iter().map(|c| c.customers).sum();
        let cell_rev: f64 = rep.rfm.cells.iter().map(|c| c.revenue.minor()).sum();
        prop_assert_eq!(cells, customers);
        prop_assert_eq!(cell_rev, revenue as f64);
        let segs: u64 = rep.rfm.segments.iter().map(|s| s.customers).sum();
        let seg_rev: f64 = rep.rfm.segments.iter().map(|s| s.revenue.minor()).sum();
        prop_assert_eq!(segs, customers);
        prop_assert_eq!(seg_rev, revenue as f64);
        for cell in &rep.rfm.cells {
            let n = each.iter().flatten().filter(|c| (c.r_score, c.f_score) == (cell.r, cell.f)).count() as u64;
            prop_assert_eq!(n, cell.customers);
            prop_assert_eq!(cell.segment, Segment::of(cell.r, cell.f));
        }
        // Quintiles: every score is 1 + ⌊5·below/n⌋.
        if params.f.is_none() && customers > 0 {
            let fs: Vec<u32> = each.iter().flatten().map(|c| c.orders).collect();
            for c in each.iter().flatten() {
                let below = fs.iter().filter(|&&x| x < c.orders).count() as u64;
                prop_assert_eq!(u64::from(c.f_score), 1 + 5 * below / customers);
            }
        }
        if params.r.is_none() && customers > 0 {
            let rs: Vec<i64> = each.iter().flatten().map(|c| c.recency_days).collect();
            for c in each.iter().flatten() {
                let below = rs.iter().filter(|&&x| x > c.recency_days).count() as u64;
                prop_assert_eq!(u64::from(c.r_score), 1 + 5 * below / customers);
            }
        }
    }
}
