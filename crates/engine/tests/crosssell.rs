//! Cross-sell (crate::crosssell) and first product (crate::firstproduct) on
//! hand-built baskets where every count, support, confidence, lift, F2 rate
//! and 12-month LTV is known by construction, with each boundary; and the
//! measures' properties on any baskets.

use chrono::NaiveDate;
use ltv_engine::crosssell::{
    cross_sell, CrossSell, CrossSellParams, ExcludeList, Level, Mode, Pair, MAX_ITEMS,
};
use ltv_engine::date::to_day;
use ltv_engine::history::History;
use ltv_engine::report::{analyze, AnalyzeParams};
use ltv_engine::settings::setting;
use ltv_engine::store::{Dataset, LineInput, Order, NO_CUSTOMER};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const BEANS: &str = "Coffee beans"; // "fee" inside: not a non-product
const DRIPPER: &str = "Dripper";
const FILTER: &str = "Filter";
const SHIPPING: &str = "送料";

/// A basket: (customer or NO_CUSTOMER, day, amount, products).
type Basket<'a> = (u32, i32, i64, &'a [&'a str]);

fn data(baskets: &[Basket], customers: usize) -> Dataset {
    data_with_categories(baskets, customers, &[])
}

fn data_with_categories(
    baskets: &[Basket],
    customers: usize,
    categories: &[(&'static str, &'static str)],
) -> Dataset {
    let category = |p: &str| categories.iter().find(|c| c.0 == p).map(|c| c.1);
    Dataset::from_baskets(
        baskets
            .iter()
            .map(|&(customer, day, amount, products)| {
                (
                    Order {
                        customer,
                        day,
                        amount,
                    },
                    products
                        .iter()
                        .map(|&product| LineInput {
                            product,
                            category: category(product),
                            quantity: 1,
                            amount: 0,
                        })
                        .collect(),
                )
            })
            .collect(),
        (0..customers).map(|c| format!("c{c}")),
    )
}

fn run(data: &Dataset, as_of: i32, params: &CrossSellParams) -> CrossSell {
    let h = History::new(data, ltv_engine::date::from_day(as_of)).unwrap();
    cross_sell(data, &h, params, None).unwrap()
}

fn pair(a: &str, b: &str, count: u64, support: f64, confidence: f64, lift: f64) -> Pair {
    Pair {
        a: a.into(),
        b: b.into(),
        count,
        support,
        confidence,
        lift,
    }
}

fn min_support(n: u32) -> CrossSellParams {
    CrossSellParams {
        min_support: n,
        ..CrossSellParams::default()
    }
}

/// T = 5 orders with a product; n(beans) = 4, n(dripper) = 4,
/// n(filter) = 2; both beans and dripper in 3, beans and filter in 2,
/// dripper and filter in 1.
fn orders() -> Dataset {
    data(
        &[
            (0, 100, 1000, &[BEANS, DRIPPER, SHIPPING]),
            (1, 101, 1000, &[DRIPPER, BEANS, BEANS]), // beans twice: once
            (2, 102, 1000, &[BEANS, FILTER]),
            (NO_CUSTOMER, 103, 1000, &[BEANS, DRIPPER, FILTER]),
            (3, 104, 1000, &[DRIPPER]),
            (4, 105, 600, &[SHIPPING]), // no product left: not a transaction
            (0, 300, 1000, &[BEANS, DRIPPER]), // after the as-of date
        ],
        5,
    )
}

#[test]
fn order_mode_counts_support_confidence_and_lift() {
    let r = run(&orders(), 200, &min_support(1));
    assert_eq!(
        (r.mode, r.level, r.level_fallback),
        (Mode::Order, Level::Product, false)
    );
    assert_eq!(r.transactions, 5);
    assert_eq!(r.capped_transactions, 0);
    assert_eq!(r.excluded_products, vec![SHIPPING.to_string()]);
    assert_eq!(r.excluded_total, 1);
    assert_eq!(
        r.pairs,
        vec![
            // 3 of 5; 3 of beans' 4; (3/4) / (4/5)
            pair(BEANS, DRIPPER, 3, 0.6, 0.75, 0.9375),
            pair(DRIPPER, BEANS, 3, 0.6, 0.75, 0.9375),
            // (2/4) / (2/5) and (2/2) / (4/5)
            pair(BEANS, FILTER, 2, 0.4, 0.5, 1.25),
            pair(FILTER, BEANS, 2, 0.4, 1.0, 1.25),
            // 1 · 5 / (4 · 2)
            pair(DRIPPER, FILTER, 1, 0.2, 0.25, 0.625),
            pair(FILTER, DRIPPER, 1, 0.2, 0.5, 0.625),
        ]
    );
    assert_eq!(r.pairs_total, 6);
}

#[test]
fn minimum_support_is_inclusive() {
    let names = |r: &CrossSell| -> Vec<(String, String)> {
        r.pairs.iter().map(|p| (p.a.clone(), p.b.clone())).collect()
    };
    let r = run(&orders(), 200, &min_support(2));
    assert_eq!(r.pairs_total, 4);
    assert!(r.pairs.iter().all(|p| p.count >= 2));
    let r3 = run(&orders(), 200, &min_support(3));
    assert_eq!(
        names(&r3),
        vec![
            (BEANS.into(), DRIPPER.into()),
            (DRIPPER.into(), BEANS.into())
        ]
    );
    assert_eq!(run(&orders(), 200, &min_support(4)).pairs_total, 0);
    // The default is 3.
    assert_eq!(
        run(&orders(), 200, &CrossSellParams::default()).pairs,
        r3.pairs
    );
}

#[test]
fn non_products_never_appear_and_the_list_is_editable() {
    let with_shipping = data(
        &[
            (0, 1, 0, &[BEANS, SHIPPING]),
            (1, 2, 0, &[BEANS, SHIPPING, "ＳＨＩＰＰＩＮＧ ｆｅｅ"]),
            (
                2,
                3,
                0,
                &[BEANS, "Gift Wrap (ribbon)", "商品オプション「のし」"],
            ),
        ],
        3,
    );
    let r = run(&with_shipping, 10, &min_support(1));
    assert_eq!(r.pairs, vec![]);
    assert_eq!(r.transactions, 3);
    assert_eq!(
        r.excluded_products,
        vec![
            SHIPPING,
            "ＳＨＩＰＰＩＮＧ ｆｅｅ",
            "Gift Wrap (ribbon)",
            "商品オプション「のし」"
        ]
    );
    // An empty list excludes nothing.
    let none = CrossSellParams {
        exclude: Some(ExcludeList::new("").unwrap()),
        ..min_support(1)
    };
    let r = run(&with_shipping, 10, &none);
    assert!(r.excluded_products.is_empty());
    assert_eq!(
        r.pairs[0],
        pair(BEANS, SHIPPING, 2, 2.0 / 3.0, 2.0 / 3.0, 1.0)
    );
    // A list of one's own: only its terms.
    let own = CrossSellParams {
        exclude: Some(ExcludeList::new(" wrap ,、").unwrap()),
        ..min_support(1)
    };
    let r = run(&with_shipping, 10, &own);
    assert_eq!(r.excluded_products, vec!["Gift Wrap (ribbon)"]);
}

/// Customer mode, as of day 100:
/// - c0: beans on day 10, dripper on 15, filter on 16;
/// - c1: dripper on 10, beans on 20 (dripper before beans only);
/// - c2: beans and dripper in one order on 30;
/// - c3: beans on 40, dripper on 45, beans again on 50.
///
/// An order without a customer key is not a customer's.
fn customers() -> Dataset {
    data(
        &[
            (0, 10, 0, &[BEANS]),
            (0, 15, 0, &[DRIPPER]),
            (0, 16, 0, &[FILTER]),
            (1, 10, 0, &[DRIPPER]),
            (1, 20, 0, &[BEANS]),
            (2, 30, 0, &[BEANS, DRIPPER]),
            (3, 40, 0, &[BEANS]),
            (3, 45, 0, &[DRIPPER]),
            (3, 50, 0, &[BEANS]),
            (NO_CUSTOMER, 60, 0, &[BEANS, DRIPPER, FILTER]),
            (3, 101, 0, &[FILTER]), // after the as-of date
        ],
        4,
    )
}

fn by_customer(within_days: Option<u32>) -> CrossSellParams {
    CrossSellParams {
        mode: Mode::Customer,
        within_days,
        min_support: 1,
        ..CrossSellParams::default()
    }
}

fn count(r: &CrossSell, a: &str, b: &str) -> u64 {
    r.pairs
        .iter()
        .find(|p| p.a == a && p.b == b)
        .map_or(0, |p| p.count)
}

#[test]
fn customer_mode_counts_b_on_or_after_a() {
    let r = run(&customers(), 100, &by_customer(None));
    assert_eq!(r.transactions, 4);
    // n(beans) = n(dripper) = 4, n(filter) = 1.
    assert_eq!(
        r.pairs,
        vec![
            // c0, c2, c3: 3 of 4 customers; lift 3 · 4 / (4 · 4)
            pair(BEANS, DRIPPER, 3, 0.75, 0.75, 0.75),
            // c1, c2, c3 (c3's beans again on 50, after the dripper)
            pair(DRIPPER, BEANS, 3, 0.75, 0.75, 0.75),
            // c0 only; lift 1 · 4 / (4 · 1)
            pair(BEANS, FILTER, 1, 0.25, 0.25, 1.0),
            pair(DRIPPER, FILTER, 1, 0.25, 0.25, 1.0),
        ]
    );
}

#[test]
fn customer_mode_within_n_days_includes_day_a_plus_n() {
    let at = |n: u32| run(&customers(), 100, &by_customer(Some(n)));
    let r = at(5);
    assert_eq!(r.within_days, Some(5));
    // c0: dripper on day 10 + 5 counts; c3: dripper on 40 + 5 counts.
    assert_eq!(count(&r, BEANS, DRIPPER), 3);
    // c1: beans 10 days after; c3: beans on 45 + 5 counts.
    assert_eq!(count(&r, DRIPPER, BEANS), 2);
    // c0: filter on 10 + 6.
    assert_eq!(count(&r, BEANS, FILTER), 0);
    assert_eq!(count(&r, DRIPPER, FILTER), 1);
    let r = at(4);
    // Day A + N + 1 does not count: only c2's same order is left.
    assert_eq!(count(&r, BEANS, DRIPPER), 1);
    assert_eq!(count(&r, DRIPPER, BEANS), 1);
    let r = at(0);
    assert_eq!(count(&r, BEANS, DRIPPER), 1);
    assert_eq!(count(&r, DRIPPER, FILTER), 0);
    assert_eq!(count(&at(6), BEANS, FILTER), 1);
}

#[test]
fn category_level_and_its_fallback() {
    let categories = [
        (BEANS, "Coffee"),
        (DRIPPER, "Tools"),
        (FILTER, "Tools"),
        ("Express", "Shipping & handling"), // excluded by its category
    ];
    let data = data_with_categories(
        &[
            (0, 1, 0, &[BEANS, DRIPPER, FILTER, "Express"]),
            (1, 2, 0, &[DRIPPER, FILTER]),
            (2, 3, 0, &["Express"]),
        ],
        3,
        &categories,
    );
    let p = CrossSellParams {
        level: Level::Category,
        ..min_support(1)
    };
    let r = run(&data, 10, &p);
    assert_eq!((r.level, r.level_fallback), (Level::Category, false));
    assert_eq!(r.transactions, 2);
    assert_eq!(r.excluded_products, vec!["Express"]);
    assert_eq!(
        r.pairs,
        vec![
            pair("Coffee", "Tools", 1, 0.5, 1.0, 1.0),
            pair("Tools", "Coffee", 1, 0.5, 0.5, 1.0),
        ]
    );
    // Without categories: products, and the report says so.
    let r = run(
        &orders(),
        200,
        &CrossSellParams {
            level: Level::Category,
            ..min_support(1)
        },
    );
    assert_eq!((r.level, r.level_fallback), (Level::Product, true));
    assert_eq!(r.pairs_total, 6);
}

#[test]
fn an_absurd_basket_is_capped() {
    let names: Vec<String> = (0..MAX_ITEMS + 50).map(|i| format!("p{i:03}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let data = data(&[(0, 1, 0, &refs), (1, 2, 0, &[BEANS])], 2);
    for mode in [Mode::Order, Mode::Customer] {
        let r = run(
            &data,
            10,
            &CrossSellParams {
                mode,
                ..min_support(1)
            },
        );
        assert_eq!(r.transactions, 2, "{mode:?}");
        assert_eq!(r.capped_transactions, 1, "{mode:?}");
        // The first 100 products, every ordered pair of them.
        assert_eq!(
            r.pairs_total,
            (MAX_ITEMS * (MAX_ITEMS - 1)) as u64,
            "{mode:?}"
        );
        assert_eq!(r.pairs.len(), 200);
        assert!(r
            .pairs
            .iter()
            .all(|p| p.a.as_str() < "p100" && p.b.as_str() < "p100"));
    }
}

/// First orders, as of 2024-12-31 (days as dates):
/// - c0: 2024-01-15 beans + dripper (1000), 2024-02-01 filter (500),
///   2024-12-31 beans (200), 2025-01-05 beans (after the as-of date);
/// - c1: 2024-01-20 beans (3000), nothing else;
/// - c2: 2024-02-10 beans (2000), 2024-03-01 beans (100): 11 months
///   observed only;
/// - c3: 2024-01-10 shipping + dripper (800).
fn entries() -> Dataset {
    let day = |s: &str| to_day(d(s));
    data(
        &[
            (0, day("2024-01-15"), 1000, &[BEANS, DRIPPER]),
            (0, day("2024-02-01"), 500, &[FILTER]),
            (0, day("2024-12-31"), 200, &[BEANS]),
            (0, day("2025-01-05"), 9999, &[BEANS]),
            (1, day("2024-01-20"), 3000, &[BEANS]),
            (2, day("2024-02-10"), 2000, &[BEANS]),
            (2, day("2024-03-01"), 100, &[BEANS]),
            (3, day("2024-01-10"), 800, &[SHIPPING, DRIPPER]),
        ],
        4,
    )
}

fn first(as_of: &str, f2_within: Option<u32>) -> CrossSell {
    let data = entries();
    let h = History::new(&data, d(as_of)).unwrap();
    cross_sell(&data, &h, &CrossSellParams::default(), f2_within).unwrap()
}

#[test]
fn first_product_customers_f2_and_12_month_ltv() {
    let r = first("2024-12-31", None);
    assert_eq!(r.first_product_total, 2);
    let rows: Vec<_> = r
        .first_product
        .iter()
        .map(|f| {
            (
                f.product.as_str(),
                f.customers,
                f.f2_rate,
                f.customers_12m,
                f.ltv_12m.map(|m| m.major()),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            // c0, c1, c2; c0 and c2 came back; c0 (1700) and c1 (3000)
            // observed 12 months.
            (BEANS, 3, Some(2.0 / 3.0), 2, Some(2350.0)),
            // c0 (1700) and c3 (800, counted under dripper, not shipping).
            (DRIPPER, 2, Some(0.5), 2, Some(1250.0)),
        ]
    );
}

#[test]
fn twelve_months_are_observed_on_the_last_day_of_the_twelfth_month() {
    // One day less: the January customers' December has not ended.
    let r = first("2024-12-30", None);
    assert!(r
        .first_product
        .iter()
        .all(|f| f.customers_12m == 0 && f.ltv_12m.is_none()));
    // c2's February cohort is observed as of 2025-01-31, with its 2100.
    let r = first("2025-01-31", None);
    let beans = &r.first_product[0];
    assert_eq!(beans.customers_12m, 3);
    // c0: 1000 + 500 + 200 (January 2025 is its 13th month); c1 3000.
    assert_eq!(
        beans.ltv_12m.unwrap().major(),
        (1700.0 + 3000.0 + 2100.0) / 3.0
    );
}

#[test]
fn first_product_f2_follows_the_f2_limit() {
    // c0's second order 17 days after, c2's 20 days after (2024 is leap).
    let beans = |n| first("2024-12-31", Some(n)).first_product[0].f2_rate;
    assert_eq!(beans(20), Some(2.0 / 3.0));
    assert_eq!(beans(19), Some(1.0 / 3.0));
    assert_eq!(beans(16), Some(0.0));
    // Customers whose first order is fewer than N days before the as-of
    // date do not count: as of 2024-02-25, with N = 36, only c0 and c1
    // (c1 exactly 36 days before).
    let r = first("2024-02-25", Some(36));
    assert_eq!(r.first_product[0].customers, 3);
    assert_eq!(r.first_product[0].f2_rate, Some(0.5));
}

#[test]
fn the_report_field_is_none_without_products_and_keeps_its_json_keys() {
    let plain = Dataset::from_orders(
        vec![Order {
            customer: 0,
            day: 100,
            amount: 5,
        }],
        ["a".to_string()],
    );
    let r = analyze(&plain, &AnalyzeParams::default()).unwrap();
    assert_eq!(r.cross_sell, None);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["cross_sell"], serde_json::Value::Null);
    // `cross_sell` follows the older keys; only `clv` comes after it.
    let last_key = serde_json::to_string(&r).unwrap();
    assert!(last_key.ends_with(",\"cross_sell\":null,\"clv\":null}"));

    let mut p = AnalyzeParams::default();
    for (name, value) in [
        ("as-of", "2024-12-31"),
        ("cross-sell-min-support", "1"),
        ("exclude-products", "filter"),
    ] {
        setting(name).unwrap().apply(&mut p, value).unwrap();
    }
    let r = analyze(&entries(), &p).unwrap();
    let json = serde_json::to_value(&r).unwrap();
    let cs = &json["cross_sell"];
    assert_eq!(cs["mode"], "order");
    assert_eq!(cs["level"], "product");
    assert_eq!(cs["excluded_products"], serde_json::json!(["Filter"]));
    // Shipping is a product under a list of one's own: 送料 goes with the
    // dripper in c3's first order, lift 1 · 6 / (2 · 1).
    assert_eq!(cs["pairs"][0]["a"], DRIPPER);
    assert_eq!(cs["pairs"][0]["b"], SHIPPING);
    assert_eq!(cs["pairs"][0]["lift"], 3.0);
    for key in ["a", "b", "count", "support", "confidence", "lift"] {
        assert!(cs["pairs"][0].get(key).is_some(), "{key}");
    }
    for key in [
        "product",
        "customers",
        "f2_rate",
        "customers_12m",
        "ltv_12m",
    ] {
        assert!(cs["first_product"][0].get(key).is_some(), "{key}");
    }
    assert_eq!(cs["first_product"][0]["ltv_12m"], 2350.0);
}

#[test]
fn settings_are_checked() {
    let mut p = AnalyzeParams::default();
    p.cross_sell.min_support = 0;
    assert!(p.validate().is_err());
    p.cross_sell.min_support = 1;
    p.cross_sell.within_days = Some(36_501);
    assert!(p.validate().is_err());
    p.cross_sell.within_days = Some(0);
    assert!(p.validate().is_ok());
    let mode = setting("cross-sell-mode").unwrap();
    assert!(mode
        .apply(&mut p, "basket")
        .unwrap_err()
        .contains("order or customer"));
    let long = "x,".repeat(600);
    assert!(setting("exclude-products")
        .unwrap()
        .apply(&mut p, &long)
        .unwrap_err()
        .contains("too long"));
    // An empty list is written back as empty, and read back the same.
    setting("exclude-products")
        .unwrap()
        .apply(&mut p, "")
        .unwrap();
    assert_eq!(
        setting("exclude-products").unwrap().format(&p),
        Some(String::new())
    );
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<AnalyzeParams>(&json).unwrap(), p);
    let partial: CrossSellParams = serde_json::from_str(r#"{"mode":"customer"}"#).unwrap();
    assert_eq!(
        partial,
        CrossSellParams {
            mode: Mode::Customer,
            ..CrossSellParams::default()
        }
    );
}

/// Random baskets over 6 products (one a non-product) and 5 customers.
fn baskets() -> impl Strategy<Value = Vec<(u32, i32, Vec<usize>)>> {
    prop::collection::vec(
        (0u32..6, 0i32..60, prop::collection::vec(0usize..6, 0..5)),
        0..40,
    )
}

const NAMES: [&str; 6] = ["A", "B", "C", "D", "E", SHIPPING];

fn random_data(bs: &[(u32, i32, Vec<usize>)]) -> Dataset {
    let products: Vec<Vec<&str>> = bs
        .iter()
        .map(|(_, _, ps)| ps.iter().map(|&p| NAMES[p]).collect())
        .collect();
    let rows: Vec<Basket> = bs
        .iter()
        .zip(&products)
        .map(|((c, day, _), ps)| {
            let c = if *c == 5 { NO_CUSTOMER } else { *c };
            (c, *day, 1, ps.as_slice())
        })
        .collect();
    // Always a product, so the store has products.
    let mut rows = rows;
    rows.push((0, 0, 1, &["A"]));
    data(&rows, 5)
}

proptest! {
    #[test]
    fn confidence_support_and_symmetry(bs in baskets(), within in prop::option::of(0u32..20)) {
        let data = random_data(&bs);
        for mode in [Mode::Order, Mode::Customer] {
            let p = CrossSellParams { mode, within_days: within, ..min_support(1) };
            let r = run(&data, 40, &p);
            for x in &r.pairs {
                prop_assert!(x.confidence <= 1.0, "{x:?}");
                prop_assert!(x.support <= x.confidence, "{x:?}");
                prop_assert!(x.lift > 0.0);
                prop_assert!(x.a != x.b && x.a != SHIPPING && x.b != SHIPPING);
                if mode == Mode::Order {
                    prop_assert_eq!(count(&r, &x.b, &x.a), x.count);
                }
            }
            // Customer mode, counted the slow way.
            if mode == Mode::Customer {
                let bought = |c: u32| -> Vec<(&str, i32)> {
                    let mut v: Vec<(&str, i32)> = bs
                        .iter()
                        .filter(|(cust, day, _)| *cust == c && *day <= 40)
                        .flat_map(|(_, day, ps)| ps.iter().map(move |&p| (NAMES[p], *day)))
                        .filter(|&(n, _)| n != SHIPPING)
                        .collect();
                    if c == 0 {
                        v.push(("A", 0));
                    }
                    v
                };
                let all: Vec<Vec<(&str, i32)>> = (0..5).map(bought).collect();
                let t = all.iter().filter(|v| !v.is_empty()).count();
                prop_assert_eq!(r.transactions, t as u64);
                for a in &NAMES[..5] {
                    for b in &NAMES[..5] {
                        if a == b {
                            continue;
                        }
                        let n = all
                            .iter()
                            .filter(|v| {
                                let Some(first_a) = v.iter().filter(|x| x.0 == *a).map(|x| x.1).min() else {
                                    return false;
                                };
                                v.iter().any(|&(p, day)| {
                                    p == *b
                                        && day >= first_a
                                        && within.is_none_or(|w| day - first_a <= w as i32)
                                })
                            })
                            .count();
                        prop_assert_eq!(count(&r, a, b), n as u64, "{} -> {}", a, b);
                    }
                }
            }
            // Order mode, counted the slow way.
            if mode == Mode::Order {
                let kept: Vec<Vec<&str>> = bs
                    .iter()
                    .filter(|(_, day, _)| *day <= 40)
                    .map(|(_, _, ps)| ps.iter().map(|&p| NAMES[p]).filter(|&n| n != SHIPPING).collect::<Vec<_>>())
                    .chain(std::iter::once(vec!["A"]))
                    .filter(|ps: &Vec<&str>| !ps.is_empty())
                    .collect();
                prop_assert_eq!(r.transactions, kept.len() as u64);
                for x in &r.pairs {
                    let both = kept.iter().filter(|ps| ps.contains(&x.a.as_str()) && ps.contains(&x.b.as_str())).count();
                    prop_assert_eq!(x.count, both as u64);
                }
            }
        }
    }
}

/// `cargo test -p ltv-lens-engine --test crosssell speed -- --ignored --nocapture`:
/// 5,000 products, 400,000 orders of 1 to 5 lines (about 1.2M line items)
/// from 100,000 customers.
#[test]
#[ignore]
fn speed() {
    let names: Vec<String> = (0..5_000).map(|i| format!("product {i}")).collect();
    let mut x: u64 = 1;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut baskets = Vec::new();
    for i in 0..400_000u32 {
        let k = 1 + next(5) as usize;
        let lines: Vec<LineInput> = (0..k)
            .map(|_| {
                // Skewed: a few products sell far more than the rest.
                let top = next(5_000) + 1;
                let p = next(top) as usize;
                LineInput {
                    product: &names[p],
                    category: None,
                    quantity: 1,
                    amount: 100,
                }
            })
            .collect();
        let o = Order {
            customer: next(100_000) as u32,
            day: 700_000 + (i / 400) as i32,
            amount: 100,
        };
        baskets.push((o, lines));
    }
    let data = Dataset::from_baskets(baskets, (0..100_000).map(|c| format!("c{c}")));
    let h = History::new(&data, data.last_day().unwrap()).unwrap();
    for mode in [Mode::Order, Mode::Customer] {
        let t = std::time::Instant::now();
        let r = cross_sell(
            &data,
            &h,
            &CrossSellParams {
                mode,
                ..CrossSellParams::default()
            },
            None,
        )
        .unwrap();
        println!(
            "{mode:?}: {} lines, {} transactions, {} pairs at support 3, {:.3} s",
            data.lines.len(),
            r.transactions,
            r.pairs_total,
            t.elapsed().as_secs_f64()
        );
    }
}
