//! Customer ranks, churn risk and the customer list on hand-built datasets
//! where every customer's rank and churn-risk status is known by
//! construction (the 20% cut with ties, the run-rate on both sides of the
//! cut, due date == as-of and the day after, floor against factor ×
//! median, two orders on one day), the list's columns and CSV bytes, and a
//! property: the ranks add up to the customers under any orders.

use chrono::NaiveDate;
use ltv_engine::cpm::CpmSegment;
use ltv_engine::customers::{list, write_csv, ListId, COLUMNS};
use ltv_engine::date::{from_day, to_day};
use ltv_engine::error::{ErrorKind, Param, SettingError};
use ltv_engine::export::ExportEncoding;
use ltv_engine::history::History;
use ltv_engine::ranks::{customer_ranks, ChurnRiskParams, PotentialRule, Rank};
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::rfm::Segment;
use ltv_engine::store::{Dataset, Order, NO_CUSTOMER};
use proptest::prelude::*;
use std::collections::HashSet;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The as-of date of every fixture here.
const D: &str = "2024-12-31";

/// `k` days before [`D`].
fn before(k: i32) -> i32 {
    to_day(day(D)) - k
}

/// A dataset from (key, day, amount) orders; keys are numbered as first
/// met, and an empty key is no customer.
fn dataset(orders: &[(&str, i32, i64)]) -> Dataset {
    let mut keys: Vec<String> = Vec::new();
    let orders = orders
        .iter()
        .map(|&(k, day, amount)| {
            let customer = match keys.iter().position(|x| x == k) {
                _ if k.is_empty() => NO_CUSTOMER,
                Some(i) => i as u32,
                None => {
                    keys.push(k.to_string());
                    (keys.len() - 1) as u32
                }
            };
            Order {
                customer,
                day,
                amount,
            }
        })
        .collect();
    Dataset::from_orders(orders, keys)
}

fn params() -> AnalyzeParams {
    AnalyzeParams {
        as_of: Some(day(D)),
        ..AnalyzeParams::default()
    }
}

fn report(data: &Dataset, p: &AnalyzeParams) -> Report {
    analyze(data, p).unwrap()
}

/// Each customer's rank, by key, sorted.
fn ranks_by_key(data: &Dataset, p: &AnalyzeParams) -> Vec<(String, Rank)> {
    let h = History::new(data, day(D)).unwrap();
    let r = customer_ranks(data, &h, p, None);
    let mut v: Vec<(String, Rank)> = r
        .rank
        .iter()
        .enumerate()
        .filter_map(|(c, r)| Some((data.customer_keys[c].to_string(), (*r)?)))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Ten customers; the cut is h2's 900 (2 of 10 are the top 20%).
/// `D − first` for 2023-12-01 is 396 days; for 2024-12-01, 30 (→ 90).
fn ranks_fixture() -> Dataset {
    let d = |s: &str| to_day(day(s));
    dataset(&[
        ("h1", d("2024-03-01"), 1000),
        ("h2", d("2024-03-01"), 900),
        // 222 × 365 = 81,030 ≥ 900 × 90 = 81,000.
        ("pfy", d("2024-12-01"), 111),
        ("pfy", d("2024-12-15"), 111),
        // 221 × 365 = 80,665 < 81,000.
        ("pfn", d("2024-12-01"), 110),
        ("pfn", d("2024-12-15"), 111),
        // 977 × 365 = 356,605 ≥ 900 × 396 = 356,400; 12-month value 477.
        ("ply", d("2023-12-01"), 500),
        ("ply", d("2024-06-01"), 477),
        // 976 × 365 = 356,240 < 356,400.
        ("pln", d("2023-12-01"), 500),
        ("pln", d("2024-06-01"), 476),
        // One order: never potential, however large.
        ("one", d("2024-12-20"), 800),
        // Churned (274 days ago ≥ 240): never potential.
        ("old", d("2023-01-01"), 5000),
        ("old", d("2024-04-01"), 10),
        ("f1", d("2024-05-01"), 50),
        ("f2", d("2024-05-01"), 50),
    ])
}

#[test]
fn every_customer_in_its_rank() {
    use Rank::*;
    let data = ranks_fixture();
    let got = ranks_by_key(&data, &params());
    let want: Vec<(String, Rank)> = [
        ("f1", General),
        ("f2", General),
        ("h1", HighLtv),
        ("h2", HighLtv),
        ("old", General),
        ("one", General),
        ("pfn", General),
        ("pfy", PotentialLtv),
        ("pln", General),
        ("ply", PotentialLtv),
    ]
    .into_iter()
    .map(|(k, r)| (k.to_string(), r))
    .collect();
    assert_eq!(got, want);

    let r = report(&data, &params()).ranks;
    assert_eq!(r.rule, PotentialRule::History);
    assert_eq!(r.cut.map(|m| m.major()), Some(900.0));
    assert_eq!(
        (r.window.from, r.window.to),
        (day("2024-01-01"), day("2024-12-31"))
    );
    let row = |x: &ltv_engine::ranks::RankRow| {
        (
            x.customers,
            x.revenue_12m.major(),
            x.share_of_customers,
            x.share_of_revenue,
        )
    };
    assert_eq!(row(&r.high_ltv), (2, 1900.0, 0.2, 1900.0 / 4206.0));
    assert_eq!(row(&r.potential_ltv), (2, 699.0, 0.2, 699.0 / 4206.0));
    assert_eq!(row(&r.general), (6, 1607.0, 0.6, 1607.0 / 4206.0));
}

#[test]
fn a_tie_across_the_cut_stays_out_whole() {
    // 100, 80, 80, 70 … 10: the two 80s would be 2nd and 3rd of 10.
    let amounts = [100, 80, 80, 70, 60, 50, 40, 30, 20, 10];
    let keys: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
    let orders: Vec<(&str, i32, i64)> = keys
        .iter()
        .zip(amounts)
        .map(|(k, a)| (k.as_str(), before(10), a))
        .collect();
    let data = dataset(&orders);
    let got = ranks_by_key(&data, &params());
    let high: Vec<&str> = got
        .iter()
        .filter(|(_, r)| *r == Rank::HighLtv)
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(high, ["c0"]);
    assert_eq!(
        report(&data, &params()).ranks.cut.map(|m| m.major()),
        Some(100.0)
    );
    // 100, 90, 80 …: exactly two at the 20% line, both in.
    let mut orders = orders;
    orders[1].2 = 90;
    let data = dataset(&orders);
    let high = ranks_by_key(&data, &params())
        .into_iter()
        .filter(|(_, r)| *r == Rank::HighLtv)
        .count();
    assert_eq!(high, 2);
    assert_eq!(
        report(&data, &params()).ranks.cut.map(|m| m.major()),
        Some(90.0)
    );
}

#[test]
fn no_spend_in_the_twelve_months_is_never_high() {
    // Values −5, −4, −3, −2, 0: the quintile line falls on the 0 (four of
    // five are below it), yet a value of 0 is never high-LTV.
    let data = dataset(&[
        ("a", before(10), -5),
        ("b", before(10), -4),
        ("c", before(10), -3),
        ("d", before(10), -2),
        ("e", before(400), 700), // before the 12 months: value 0
        ("e", before(380), 700),
    ]);
    assert!(ranks_by_key(&data, &params())
        .iter()
        .all(|(_, r)| *r == Rank::General));
    let r = report(&data, &params()).ranks;
    assert_eq!(r.cut, None);
    assert_eq!(
        (r.high_ltv.customers, r.potential_ltv.customers),
        (0, 0),
        "no cut, no potential"
    );
    assert_eq!(r.general.customers, 5);
}

/// Churn risk as of D with the defaults (factor 1.5, floor 30, churn 240).
fn churn_fixture() -> Dataset {
    dataset(&[
        // Gaps 20, 20: 1.5 × 20 = 30 = floor; last D−30 → due D: not yet.
        ("eq", before(70), 100),
        ("eq", before(50), 100),
        ("eq", before(30), 100),
        // The same a day earlier: due D−1, 1 day overdue.
        ("late1", before(71), 100),
        ("late1", before(51), 100),
        ("late1", before(31), 100),
        // Gaps 10, 10: 15 < floor 30; last D−31 → due D−1: overdue 1.
        ("floor", before(51), 100),
        ("floor", before(41), 100),
        ("floor", before(31), 100),
        // …last D−30: due D, not yet.
        ("floor_ok", before(50), 100),
        ("floor_ok", before(40), 100),
        ("floor_ok", before(30), 100),
        // Gap 40: 60 beats the floor; last D−60 → due D: not yet.
        ("factor", before(100), 500),
        ("factor", before(60), 500),
        // …last D−61 → due D−1: overdue 1, value 1000.
        ("factor_late", before(101), 500),
        ("factor_late", before(61), 500),
        // Gaps 20, 25: median 22.5 → ⌈33.75⌉ = 34; last D−34 → due D.
        ("half", before(79), 100),
        ("half", before(59), 100),
        ("half", before(34), 100),
        // …last D−35: due D−1.
        ("half_late", before(80), 100),
        ("half_late", before(60), 100),
        ("half_late", before(35), 100),
        // Two orders on one day: one order day, not repeat.
        ("same_day", before(100), 100),
        ("same_day", before(100), 100),
        // Order days D−100 (twice), D−80: gap 20 → due D−50: 50 overdue.
        ("same_day_plus", before(100), 100),
        ("same_day_plus", before(100), 100),
        ("same_day_plus", before(80), 100),
        // Last order exactly 240 days ago: churned, not at risk.
        ("churned", before(400), 100),
        ("churned", before(300), 100),
        ("churned", before(240), 100),
        // 239 days ago: gaps 100, 60 → median 80 → 120; due D−119. Its
        // first order is before the 12 months: value 200.
        ("active239", before(399), 100),
        ("active239", before(299), 100),
        ("active239", before(239), 100),
        // One order: not repeat.
        ("single", before(300), 100),
    ])
}

#[test]
fn every_customer_at_risk_or_not_by_construction() {
    let data = churn_fixture();
    let r = report(&data, &params()).churn_risk;
    assert_eq!((r.factor, r.floor_days), (1.5, 30));
    let rows: Vec<(&str, u32, i64, f64, f64)> = r
        .top
        .iter()
        .map(|x| {
            (
                x.customer.as_str(),
                x.orders,
                x.days_overdue,
                x.median_gap_days,
                x.value_at_risk.major(),
            )
        })
        .collect();
    // Value at risk, then days overdue, then key.
    assert_eq!(
        rows,
        vec![
            ("factor_late", 2, 1, 40.0, 1000.0),
            ("same_day_plus", 3, 50, 20.0, 300.0),
            ("floor", 3, 1, 10.0, 300.0),
            ("half_late", 3, 1, 22.5, 300.0),
            ("late1", 3, 1, 20.0, 300.0),
            ("active239", 3, 119, 80.0, 200.0),
        ]
    );
    assert_eq!(r.customers, 6);
    assert_eq!(r.value_at_risk.major(), 2400.0);
    let late1 = &r.top[4];
    assert_eq!(late1.last_order_date, from_day(before(31)));
    assert_eq!(late1.due_date, day("2024-12-30"));
    assert_eq!(r.top[5].due_date, from_day(before(119)));
}

#[test]
fn factor_and_floor_are_settings() {
    let data = churn_fixture();
    // Factor 1, floor 0: floor_ok (gap 10, last D−30) is due D−20.
    let p = AnalyzeParams {
        churn_risk: ChurnRiskParams {
            factor: 1.0,
            floor_days: 0,
        },
        ..params()
    };
    let r = report(&data, &p).churn_risk;
    let floor_ok = r.top.iter().find(|x| x.customer == "floor_ok").unwrap();
    assert_eq!(floor_ok.days_overdue, 20);
    assert_eq!(floor_ok.due_date, from_day(before(20)));
    assert_eq!(r.top.iter().filter(|x| x.customer == "same_day").count(), 0);
    // A floor of 200 days: only active239 (last D−239, due D−39).
    let p = AnalyzeParams {
        churn_risk: ChurnRiskParams {
            factor: 1.5,
            floor_days: 200,
        },
        ..params()
    };
    let r = report(&data, &p).churn_risk;
    let who: Vec<(&str, i64)> = r
        .top
        .iter()
        .map(|x| (x.customer.as_str(), x.days_overdue))
        .collect();
    assert_eq!(who, [("active239", 39)]);
    // Out of range.
    for (factor, floor) in [(0.99, 30), (10.01, 30), (f64::NAN, 30), (1.5, 36_501)] {
        let p = AnalyzeParams {
            churn_risk: ChurnRiskParams {
                factor,
                floor_days: floor,
            },
            ..params()
        };
        let e = analyze(&data, &p).unwrap_err();
        let ErrorKind::InvalidSetting {
            error: SettingError::OutOfRange { setting, .. },
        } = e.kind
        else {
            panic!("{e:?}");
        };
        assert!(matches!(
            setting,
            Param::ChurnRiskFactor | Param::ChurnRiskFloor
        ));
        assert!(list(&data, &p).is_err());
    }
}

/// Five customers (yen); every column known by construction. RFM with
/// n = 5: score = 1 + the number of customers strictly worse.
fn list_fixture() -> Dataset {
    dataset(&[
        ("a@x.jp", before(100), 1000),
        ("a@x.jp", before(10), 2000),
        ("b@x.jp", before(5), 500),
        ("c@x.jp", before(300), 100),
        ("=d@x.jp", before(50), 50),
        ("e@x.jp", before(60), 60),
        ("e@x.jp", before(40), 60),
        ("", before(1), 9999), // no customer key: in no list
    ])
}

const LIST_CSV: &str = "\u{feff}customer,orders,revenue,first_order_date,last_order_date,recency_days,rfm,rfm_segment,cpm_segment,rank,churn_risk,due_date,value_at_risk\r\n\
a@x.jp,2,3000,2024-09-22,2024-12-21,10,445,loyal,kotsukotsu,high_ltv,,,\r\n\
b@x.jp,1,500,2024-12-26,2024-12-26,5,514,new,shokai,general,,,\r\n\
e@x.jp,2,120,2024-11-01,2024-11-21,40,343,loyal,yochiyochi,general,yes,2024-12-21,120\r\n\
c@x.jp,1,100,2024-03-06,2024-03-06,300,112,lost,shokai_churned,general,,,\r\n\
\"'=d@x.jp\",1,50,2024-11-11,2024-11-11,50,211,hibernating,shokai,general,,,\r\n";

#[test]
fn the_list_has_every_column_per_customer() {
    let data = list_fixture();
    let l = list(&data, &params()).unwrap();
    assert_eq!(l.as_of, Some(day(D)));
    assert_eq!(l.rows.len(), 5);
    let e = &l.rows[2];
    assert_eq!(e.customer, "e@x.jp");
    assert_eq!((e.orders, e.revenue, e.recency_days), (2, 120, 40));
    assert_eq!(e.rfm, Some([3, 4, 3]));
    assert_eq!(e.rfm_segment, Some(Segment::Loyal));
    assert_eq!(e.cpm_segment, CpmSegment::Yochiyochi);
    assert_eq!(e.rank, Rank::General);
    let risk = e.churn_risk.unwrap();
    assert_eq!(
        (risk.due_date, risk.days_overdue, risk.value_at_risk),
        (day("2024-12-21"), 10, 120)
    );
    let csv = write_csv(&l, ListId::All, ExportEncoding::Utf8Bom).unwrap();
    assert_eq!(String::from_utf8(csv.bytes).unwrap(), LIST_CSV);
    assert_eq!((csv.rows, csv.neutralised_cells), (5, 1));
    assert_eq!(COLUMNS.len(), 13);
}

#[test]
fn each_list_holds_its_customers() {
    let data = list_fixture();
    let l = list(&data, &params()).unwrap();
    let keys = |id: &str| -> Vec<String> {
        l.select(ListId::parse(id).unwrap())
            .iter()
            .map(|r| r.customer.clone())
            .collect()
    };
    assert_eq!(keys("all").len(), 5);
    assert_eq!(keys("loyal"), ["a@x.jp", "e@x.jp"]);
    assert_eq!(keys("shokai"), ["b@x.jp", "=d@x.jp"]);
    assert_eq!(keys("shokai_churned"), ["c@x.jp"]);
    assert_eq!(keys("kotsukotsu"), ["a@x.jp"]);
    assert_eq!(keys("yuryo"), Vec::<String>::new());
    assert_eq!(keys("high_ltv"), ["a@x.jp"]);
    assert_eq!(keys("general").len(), 4);
    assert_eq!(keys("churn_risk"), ["e@x.jp"]);
    // An empty list is the header row alone; Shift_JIS has no BOM.
    let csv = write_csv(
        &l,
        ListId::parse("yuryo").unwrap(),
        ExportEncoding::ShiftJis,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(csv.bytes).unwrap(),
        format!("{}\r\n", COLUMNS.join(","))
    );
}

#[test]
fn the_churn_risk_list_is_in_the_reports_order() {
    let data = churn_fixture();
    let r = report(&data, &params()).churn_risk;
    let l = list(&data, &params()).unwrap();
    let keys: Vec<&str> = l
        .select(ListId::ChurnRisk)
        .iter()
        .map(|r| r.customer.as_str())
        .collect();
    let report_keys: Vec<&str> = r.top.iter().map(|x| x.customer.as_str()).collect();
    assert_eq!(keys, report_keys);
    // The whole list: by revenue, then key.
    let all: Vec<(i64, &str)> = l
        .rows
        .iter()
        .map(|r| (r.revenue, r.customer.as_str()))
        .collect();
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    assert_eq!(all, sorted);
}

#[test]
fn list_ids_are_unique_and_read_back() {
    let ids: Vec<&str> = ListId::ALL.iter().map(|l| l.id()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    for l in ListId::ALL {
        assert_eq!(ListId::parse(l.id()), Some(l));
    }
    // Every CPM segment a customer can be in, every RFM segment, every rank.
    for s in CpmSegment::ALL {
        assert_eq!(
            ListId::parse(s.id()).is_some(),
            s != CpmSegment::None,
            "{s:?}"
        );
    }
    assert!(Segment::ALL
        .iter()
        .all(|s| ListId::parse(s.id()) == Some(ListId::Rfm(*s))));
    assert!(Rank::ALL
        .iter()
        .all(|r| ListId::parse(r.id()) == Some(ListId::Rank(*r))));
    assert_eq!(ListId::parse("Yuryo"), None);
    assert_eq!(ListId::parse("none"), None);
}

#[test]
fn the_json_shape() {
    let data = list_fixture();
    let r = report(&data, &params());
    // The last two keys, after `cpm`.
    let text = serde_json::to_string(&r).unwrap();
    let at = |k: &str| text.find(&format!(",\"{k}\":{{")).unwrap();
    assert!(at("cpm") < at("ranks") && at("ranks") < at("churn_risk"));
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(
        v["ranks"]["high_ltv"],
        serde_json::json!({"customers": 1, "revenue_12m": 3000.0, "share_of_customers": 0.2, "share_of_revenue": 3000.0 / 3770.0})
    );
    assert_eq!(v["ranks"]["rule"], "history");
    assert_eq!(v["ranks"]["cut"], 3000.0);
    assert_eq!(
        v["churn_risk"]["top"][0],
        serde_json::json!({"customer": "e@x.jp", "orders": 2, "last_order_date": "2024-11-21",
            "due_date": "2024-12-21", "days_overdue": 10, "median_gap_days": 20.0, "value_at_risk": 120.0})
    );
    // And it reads back.
    let back: Report = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}

proptest! {
    #[test]
    fn ranks_add_up_to_the_customers_under_any_orders(
        orders in prop::collection::vec((0u32..30, 0i32..800, -5_000i64..50_000), 0..150),
        as_of in 0i32..900,
        churn in 1u32..400,
        factor in 1.0f64..10.0,
        floor in 0u32..200,
    ) {
        let base = to_day(day("2022-01-01"));
        let orders: Vec<Order> = orders
            .into_iter()
            .map(|(customer, d, amount)| Order { customer, day: base + d, amount })
            .collect();
        let data = Dataset::from_orders(orders, (0..30).map(|i| format!("c{i:02}")));
        let p = AnalyzeParams {
            as_of: Some(from_day(base + as_of)),
            churn_days: churn,
            churn_risk: ChurnRiskParams { factor, floor_days: floor },
            ..AnalyzeParams::default()
        };
        let Ok(r) = analyze(&data, &p) else {
            // Only a dataset without orders fails.
            prop_assert!(data.orders.is_empty());
            return Ok(());
        };
        let k = &r.ranks;
        let customers = r.cpm.customers;
        prop_assert_eq!(k.high_ltv.customers + k.potential_ltv.customers + k.general.customers, customers);
        // At most 20% are high-LTV, each with a value at least the cut.
        prop_assert!(k.high_ltv.customers * 5 <= customers);
        let l = list(&data, &p).unwrap();
        prop_assert_eq!(l.rows.len() as u64, customers);
        let at_risk = l.select(ListId::ChurnRisk);
        prop_assert_eq!(at_risk.len() as u64, r.churn_risk.customers);
        for row in &at_risk {
            let a = row.churn_risk.unwrap();
            prop_assert!(a.days_overdue >= 1);
            prop_assert!(row.recency_days < i64::from(churn));
            prop_assert!(row.orders >= 2);
        }
        let per_rank: usize = Rank::ALL.iter().map(|&x| l.select(ListId::Rank(x)).len()).sum();
        prop_assert_eq!(per_rank as u64, customers);
        let cpm: usize = ListId::ALL
            .iter()
            .filter(|id| matches!(id, ListId::Cpm(_)))
            .map(|&id| l.select(id).len())
            .sum();
        prop_assert_eq!(cpm as u64, customers);
    }
}

/// Rakuten's customers are keyed by phone and name: lists and the report
/// show the parts with a space, never the store's separator.
#[test]
fn multi_column_keys_are_shown_with_spaces() {
    let path = format!(
        "{}/../../tests/fixtures/platforms/rakuten_rms_tsujo_konyu.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let data = ltv_engine::ingest::read_all(
        &std::fs::read(path).unwrap(),
        ltv_engine::ingest::IngestOptions::default(),
    )
    .unwrap();
    assert!(data.customer_keys.iter().any(|k| k.contains('\u{1f}')));
    let rows = list(&data, &AnalyzeParams::default()).unwrap();
    assert!(rows.rows.iter().any(|r| r.customer.contains(' ')));
    let csv = write_csv(&rows, ListId::All, ExportEncoding::Utf8Bom).unwrap();
    assert!(!csv.bytes.contains(&0x1f));
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(text.contains("\r\n090 1111 2222 "), "{text}");
}
