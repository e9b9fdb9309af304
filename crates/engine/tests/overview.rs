//! The overview's KPIs against the previous period, computed by hand on
//! `tests/fixtures/cohorts_small.csv` (see `analyses.rs` for its orders):
//!
//! ```text
//! a  Jan 5 1000, Jan 20 500, Mar 10 2000, Jun 15 1000, Jul 10 400
//! b  Jan 31 3000
//! c  Feb 10 1500, Feb 11 -500, Apr 1 1000
//! d  Feb 28 800, Mar 1 800
//! e  Apr 15 2500, Jun 20 2500
//! f  Jun 1 700
//! -  Mar 5 9999 (no e-mail)
//! ```

mod common;

use common::{day, fixture};
use ltv_engine::date::to_day;
use ltv_engine::overview::{Coverage, Kpi, KpiName, KpiUnit, Missing, Overview};
use ltv_engine::report::{analyze, AnalyzeParams};
use ltv_engine::store::{Dataset, Order, NO_CUSTOMER};

fn kpi(o: &Overview, k: KpiName) -> &Kpi {
    o.kpis.iter().find(|x| x.kpi == k).unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-12 * b.abs().max(1.0))
}

macro_rules! check {
    ($o:expr, $k:ident, $now:expr, $before:expr) => {{
        let k = kpi(&$o, KpiName::$k);
        assert!(
            close(k.value, $now),
            "{:?} now {:?}, expected {}",
            KpiName::$k,
            k.value,
            $now
        );
        assert!(
            close(k.previous, $before),
            "{:?} before {:?}, expected {}",
            KpiName::$k,
            k.previous,
            $before
        );
        let change = if k.unit == KpiUnit::Rate {
            $now - $before
        } else {
            $now / $before - 1.0
        };
        assert!(
            close(k.change, change),
            "{:?} change {:?}, expected {change}",
            KpiName::$k,
            k.change
        );
    }};
}

/// May–June 2024 against March–April 2024 (two whole months each), LTV
/// over 2 months, CPA 500.
fn two_months() -> AnalyzeParams {
    AnalyzeParams {
        from: Some(day("2024-05-01")),
        to: Some(day("2024-06-30")),
        horizon_months: 2,
        cpa: Some(500.0),
        ..Default::default()
    }
}

#[test]
fn kpis_against_the_previous_period_by_hand() {
    let r = analyze(&fixture(), &two_months()).unwrap();
    let o = &r.overview;
    assert_eq!((o.from, o.to), (day("2024-05-01"), day("2024-06-30")));
    assert_eq!(
        (o.previous_from, o.previous_to),
        (day("2024-03-01"), day("2024-04-30"))
    );
    assert_eq!((o.months, o.days), (Some(2), 61));
    assert_eq!(o.previous_coverage, Coverage::Full);
    let names: Vec<_> = o.kpis.iter().map(|k| k.kpi).collect();
    assert_eq!(names, KpiName::ALL);
    // Now: a Jun 15 1000, f Jun 1 700, e Jun 20 2500 (nothing in May).
    // Before: d Mar 1 800, keyless Mar 5 9999, a Mar 10 2000, c Apr 1 1000,
    // e Apr 15 2500.
    check!(o, Revenue, 4200.0, 16299.0);
    check!(o, Customers, 3.0, 4.0);
    check!(o, Orders, 3.0, 5.0);
    check!(o, AverageOrderValue, 1400.0, 16299.0 / 5.0);
    check!(o, OrdersPerCustomer, 1.0, 1.0);
    // 2-month LTV on Jun 30: cohorts Jan (a, b: 4500), Feb (c, d: 2600),
    // Apr (e: 2500) → 9600 / 5; on Apr 30: Jan and Feb → 7100 / 4.
    check!(o, Ltv, 1920.0, 1775.0);
    check!(o, LtvToCpa, 1920.0 / 500.0, 1775.0 / 500.0);
    // New now: f (no second order); before: e (second order Jun 20, after
    // Apr 30: not by the period's end).
    check!(o, F2Rate, 0.0, 0.0);
    check!(o, RepeatRate, 0.0, 0.0);
    // Returning now: a (Jan), e (Apr) of a, e, f; before: a, c, d of a, c,
    // d, e.
    check!(o, ReturningShare, 2.0 / 3.0, 0.75);
    assert!(o.kpis.iter().all(|k| k.missing.is_none()));
}

#[test]
fn each_period_is_measured_as_it_stood_at_its_end() {
    // The previous period's LTV is the LTV tab's figure as of its last
    // day, and this period's repeat rate and customers are the repeat and
    // decile tabs' for the same window.
    let data = fixture();
    let r = analyze(&data, &two_months()).unwrap();
    let then = AnalyzeParams {
        as_of: Some(r.overview.previous_to),
        ..two_months()
    };
    let earlier = analyze(
        &data,
        &AnalyzeParams {
            from: None,
            to: None,
            ..then
        },
    )
    .unwrap();
    assert_eq!(
        kpi(&r.overview, KpiName::Ltv).previous,
        earlier.ltv.ltv.map(|m| m.major())
    );
    let defaults = analyze(&data, &AnalyzeParams::default()).unwrap();
    let o = &defaults.overview;
    assert_eq!(
        kpi(o, KpiName::Ltv).value,
        defaults.ltv.ltv.map(|m| m.major())
    );
    assert_eq!(
        kpi(o, KpiName::RepeatRate).value,
        defaults.repeat.repeat_rate.rate
    );
    assert_eq!(
        kpi(o, KpiName::Customers).value,
        Some(defaults.decile_window.customers as f64)
    );
}

#[test]
fn f2_within_days_counts_only_customers_who_had_the_days() {
    // f's first order (Jun 1) is less than 30 days before Jun 30.
    let p = AnalyzeParams {
        f2_within_days: Some(30),
        ..two_months()
    };
    let r = analyze(&fixture(), &p).unwrap();
    let k = kpi(&r.overview, KpiName::F2Rate);
    assert_eq!((k.value, k.missing), (None, Some(Missing::NoNewCustomers)));
    assert_eq!(k.change_missing, Some(Missing::NoNewCustomers));
    // e (Apr 15) had 15 days by Apr 30: not counted either.
    assert_eq!(k.previous_missing, Some(Missing::NoNewCustomers));
}

#[test]
fn a_file_that_starts_inside_the_previous_period_gives_no_change() {
    let p = AnalyzeParams {
        from: Some(day("2024-03-01")),
        to: Some(day("2024-04-30")),
        ..Default::default()
    };
    let r = analyze(&fixture(), &p).unwrap();
    let o = &r.overview;
    assert_eq!(
        (o.previous_from, o.previous_to),
        (day("2024-01-01"), day("2024-02-29"))
    );
    assert_eq!(o.previous_coverage, Coverage::Partial);
    let rev = kpi(o, KpiName::Revenue);
    // Jan–Feb: 1000 + 500 + 3000 + 1500 − 500 + 800.
    assert_eq!(rev.previous, Some(6300.0));
    assert_eq!(
        (rev.change, rev.change_missing),
        (None, Some(Missing::PreviousPartial))
    );
    // No cohort has 12 observed months by Apr 30.
    let ltv = kpi(o, KpiName::Ltv);
    assert_eq!(ltv.missing, Some(Missing::NotObservedLongEnough));
    assert_eq!(
        kpi(o, KpiName::LtvToCpa).missing,
        Some(Missing::NotObservedLongEnough)
    );
}

#[test]
fn the_default_window_of_a_short_file_has_no_previous_period() {
    let r = analyze(&fixture(), &AnalyzeParams::default()).unwrap();
    let o = &r.overview;
    assert_eq!(o.months, Some(12));
    assert_eq!(o.previous_coverage, Coverage::None);
    for k in &o.kpis {
        assert_eq!(k.previous, None);
        assert_eq!(k.change, None);
    }
    let rev = kpi(o, KpiName::Revenue);
    assert_eq!(rev.previous_missing, Some(Missing::NoEarlierOrders));
    assert_eq!(rev.value, Some(r.summary.revenue.major()));
    assert_eq!(
        kpi(o, KpiName::LtvToCpa).missing,
        Some(Missing::NotObservedLongEnough)
    );
}

#[test]
fn without_a_customer_key_only_the_order_figures_are_given() {
    let orders = [
        ("2024-01-05", 1000),
        ("2024-02-01", 500),
        ("2024-02-03", 700),
    ]
    .iter()
    .map(|&(d, amount)| Order {
        customer: NO_CUSTOMER,
        day: to_day(day(d)),
        amount,
    })
    .collect();
    let data = Dataset::from_orders(orders, std::iter::empty::<String>());
    let r = analyze(&data, &AnalyzeParams::default()).unwrap();
    let o = &r.overview;
    assert_eq!(kpi(o, KpiName::Revenue).value, Some(2200.0));
    assert_eq!(kpi(o, KpiName::Orders).value, Some(3.0));
    assert!(close(
        kpi(o, KpiName::AverageOrderValue).value,
        2200.0 / 3.0
    ));
    for k in [
        KpiName::Customers,
        KpiName::OrdersPerCustomer,
        KpiName::Ltv,
        KpiName::LtvToCpa,
        KpiName::F2Rate,
        KpiName::RepeatRate,
        KpiName::ReturningShare,
    ] {
        assert_eq!(kpi(o, k).missing, Some(Missing::NoCustomerKey), "{k:?}");
    }
}

#[test]
fn ltv_to_cpa_needs_a_cpa() {
    let p = AnalyzeParams {
        cpa: None,
        ..two_months()
    };
    let r = analyze(&fixture(), &p).unwrap();
    let k = kpi(&r.overview, KpiName::LtvToCpa);
    assert_eq!((k.value, k.missing), (None, Some(Missing::NoCpa)));
}
