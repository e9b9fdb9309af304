//! Cohorts, LTV, targets, decile trend, tenure and repeat metrics on
//! hand-computed fixtures, plus edge cases (one customer, a month with no
//! orders, an as-of date inside a month, refunds as negative orders,
//! keyless orders) and a property test that nothing panics and the
//! identities hold on any order table.
//!
//! `tests/fixtures/cohorts_small.csv` (as of its last order, 2024-07-10, so
//! July is not observed; no orders at all in May; one keyless order):
//!
//! ```text
//! a  Jan 5 1000, Jan 20 500, Mar 10 2000, Jun 15 1000, Jul 10 400
//! b  Jan 31 3000
//! c  Feb 10 1500, Feb 11 -500 (a refund booked as an order), Apr 1 1000
//! d  Feb 28 800, Mar 1 800
//! e  Apr 15 2500, Jun 20 2500
//! f  Jun 1 700
//! -  Mar 5 9999 (no e-mail: revenue only)
//! ```

mod common;

use chrono::NaiveDate;
use common::{day, fixture};
use ltv_engine::calendar::Granularity;
use ltv_engine::date::to_day;
use ltv_engine::error::ErrorKind;
use ltv_engine::history::History;
use ltv_engine::ingest::{read_all, IngestOptions};
use ltv_engine::money::Money;
use ltv_engine::overview::KpiName;
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::store::{Dataset, Order, NO_CUSTOMER};
use ltv_engine::targets::{Metric, Reading, TargetParams};
use ltv_engine::tenure::{restricted_mean_at, tenure, TenureParams};
use proptest::prelude::*;

/// Major units of an optional amount, as the JSON writes it.
fn major(m: Option<Money>) -> Option<f64> {
    m.map(Money::major)
}

const DPM: f64 = 30.4375;

/// (active, orders, revenue) of a cohort period.
type Cell = (u64, u64, f64);

fn run(p: AnalyzeParams) -> Report {
    analyze(&fixture(), &p).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(close(a, b), "{} = {a}, expected {b}", stringify!($a));
    }};
}

/// A dataset from (customer, day, amount); customer `None` has no key.
fn data(orders: &[(Option<u32>, &str, i64)], customers: u32) -> Dataset {
    let orders: Vec<Order> = orders
        .iter()
        .map(|&(c, d, amount)| Order {
            customer: c.unwrap_or(NO_CUSTOMER),
            day: to_day(day(d)),
            amount,
        })
        .collect();
    Dataset::from_orders(orders, (0..customers).map(|i| format!("c{i:03}")))
}

#[test]
fn fixture_reads_as_expected() {
    let r = run(AnalyzeParams::default());
    assert_eq!(r.summary.minor_exponent, 0);
    assert_eq!(r.summary.orders, 15);
    assert_eq!(r.summary.customers, 6);
    assert_eq!(r.summary.orders_without_customer, 1);
    assert_eq!(r.decile_window.as_of, day("2024-07-10"));
    assert_eq!(r.cohort_granularity, Granularity::Month);
}

#[test]
fn monthly_cohort_triangle() {
    let r = run(AnalyzeParams::default());
    let names: Vec<(&str, u64, usize)> = r
        .cohorts
        .iter()
        .map(|c| (c.cohort.as_str(), c.customers, c.periods.len()))
        .collect();
    // No March cohort (d's first order is Feb 28; the Mar 5 order has no
    // key), none in May (no orders), none in July (a's order is a repeat).
    // Observed: through June, as July ends after the as-of date.
    assert_eq!(
        names,
        vec![
            ("2024-01", 2, 6),
            ("2024-02", 2, 5),
            ("2024-04", 1, 3),
            ("2024-06", 1, 1)
        ]
    );
    let jan = &r.cohorts[0];
    assert_eq!(jan.start, day("2024-01-01"));
    let cells: Vec<(u32, u64, u64, f64, f64)> = jan
        .periods
        .iter()
        .map(|p| {
            (
                p.period,
                p.active,
                p.orders,
                p.revenue.major(),
                p.cumulative_revenue.major(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        vec![
            (0, 2, 3, 4500.0, 4500.0),
            (1, 0, 0, 0.0, 4500.0),
            (2, 1, 1, 2000.0, 6500.0),
            (3, 0, 0, 0.0, 6500.0),
            (4, 0, 0, 0.0, 6500.0), // May: no orders at all
            (5, 1, 1, 1000.0, 7500.0),
        ]
    );
    let ret: Vec<f64> = jan.periods.iter().map(|p| p.retention).collect();
    assert_eq!(ret, vec![1.0, 0.0, 0.5, 0.0, 0.0, 0.5]);
    let cum: Vec<f64> = jan
        .periods
        .iter()
        .map(|p| p.cumulative_revenue_per_customer.major())
        .collect();
    assert_eq!(cum, vec![2250.0, 2250.0, 3250.0, 3250.0, 3250.0, 3750.0]);
    assert_eq!(jan.periods[2].revenue_per_customer, 1000.0);
    // February: the refund (-500) lowers period 0's revenue, not its orders.
    let feb = &r.cohorts[1];
    let cells: Vec<(u64, u64, f64)> = feb
        .periods
        .iter()
        .map(|p| (p.active, p.orders, p.revenue.major()))
        .collect();
    assert_eq!(
        cells,
        vec![
            (2, 3, 1800.0),
            (1, 1, 800.0),
            (1, 1, 1000.0),
            (0, 0, 0.0),
            (0, 0, 0.0)
        ]
    );
    // A cohort of one customer.
    let apr = &r.cohorts[2];
    let cum: Vec<f64> = apr
        .periods
        .iter()
        .map(|p| p.cumulative_revenue_per_customer.major())
        .collect();
    assert_eq!(cum, vec![2500.0, 2500.0, 5000.0]);
    assert_eq!(apr.periods[1].retention, 0.0);
}

#[test]
fn an_as_of_date_inside_a_month_leaves_that_month_unobserved() {
    // As of June 29 the last observed month is May; June's cohort (f) has
    // no observed period yet, and June orders count nowhere in the table.
    let r = run(AnalyzeParams {
        as_of: Some(day("2024-06-29")),
        ..Default::default()
    });
    let names: Vec<(&str, usize)> = r
        .cohorts
        .iter()
        .map(|c| (c.cohort.as_str(), c.periods.len()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("2024-01", 5),
            ("2024-02", 4),
            ("2024-04", 2),
            ("2024-06", 0)
        ]
    );
    assert_eq!(r.cohorts[0].periods[4].cumulative_revenue, 6500.0);
    // As of June 30, June is observed.
    let r = run(AnalyzeParams {
        as_of: Some(day("2024-06-30")),
        ..Default::default()
    });
    assert_eq!(r.cohorts[3].periods.len(), 1);
    assert_eq!(r.cohorts[0].periods[5].cumulative_revenue, 7500.0);
}

#[test]
fn quarterly_and_weekly_cohorts() {
    let r = run(AnalyzeParams {
        granularity: Granularity::Quarter,
        ..Default::default()
    });
    assert_eq!(r.cohort_granularity, Granularity::Quarter);
    let q: Vec<(&str, u64, Vec<Cell>)> = r
        .cohorts
        .iter()
        .map(|c| {
            (
                c.cohort.as_str(),
                c.customers,
                c.periods
                    .iter()
                    .map(|p| (p.active, p.orders, p.revenue.major()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        q,
        vec![
            ("2024-Q1", 4, vec![(4, 8, 9100.0), (2, 2, 2000.0)]),
            ("2024-Q2", 2, vec![(2, 3, 5700.0)]),
        ]
    );
    // The LTV still uses monthly cohorts.
    assert_eq!(r.ltv.cohorts_used, 0);
    let r = run(AnalyzeParams {
        granularity: Granularity::Week,
        ..Default::default()
    });
    // a (Fri Jan 5) is in the week of Mon Jan 1; b (Wed Jan 31) of Jan 29.
    assert_eq!(r.cohorts[0].cohort, "2024-W01");
    assert_eq!(r.cohorts[0].start, day("2024-01-01"));
    assert_eq!(r.cohorts[1].cohort, "2024-W05");
    assert_eq!(r.cohorts[0].periods[2].revenue, 500.0); // Jan 20, week 3
                                                        // As of Wed Jul 10 the last observed week ends Sun Jul 7: a (Jan 1
                                                        // week) has 27 observed weeks.
    assert_eq!(r.cohorts[0].periods.len(), 27);
    let total: u64 = r.cohorts.iter().map(|c| c.customers).sum();
    assert_eq!(total, 6);
}

#[test]
fn ltv_decomposition_profit_and_payback() {
    let r = run(AnalyzeParams {
        horizon_months: 3,
        gross_margin: Some(0.5),
        cpa: Some(1500.0),
        ..Default::default()
    });
    let l = &r.ltv;
    // Cohorts with 3 observed months: Jan (2), Feb (2), Apr (1).
    // Revenue through period 2: 6500 + 3600 + 5000; orders 4 + 5 + 2.
    assert_eq!(
        (l.cohorts_used, l.customers_used, l.orders_used),
        (3, 5, 11)
    );
    assert_eq!(l.revenue_used, 15100.0);
    assert_eq!(major(l.ltv), Some(3020.0));
    assert_close!(l.aov.unwrap().major(), 15100.0 / 11.0);
    assert_close!(l.orders_per_customer.unwrap(), 2.2);
    assert_close!(
        l.aov.unwrap().major() * l.orders_per_customer.unwrap(),
        l.ltv.unwrap().major()
    );
    assert_eq!(
        (l.first_cohort.as_deref(), l.last_cohort.as_deref()),
        (Some("2024-01"), Some("2024-04"))
    );
    assert_eq!(major(l.profit_ltv), Some(1510.0));
    assert_close!(l.ltv_to_cpa.unwrap(), 3020.0 / 1500.0);
    assert_eq!(l.affordable, Some(true));
    // Curve: k=0 over all 4 cohorts (6 customers, 9500), k=1 over 3 (5,
    // 9600), k=2 (5, 15100), k=3 and 4 over Jan+Feb (4, 10100), k=5 Jan.
    let curve: Vec<(u64, u64, f64)> = l
        .curve
        .iter()
        .map(|p| {
            (
                p.cohorts,
                p.customers,
                p.cumulative_revenue_per_customer.major(),
            )
        })
        .collect();
    assert_eq!(
        curve,
        vec![
            (4, 6, 9500.0 / 6.0),
            (3, 5, 1920.0),
            (3, 5, 3020.0),
            (2, 4, 2525.0),
            (2, 4, 2525.0),
            (1, 2, 3750.0)
        ]
    );
    // Profit per customer 791.7, 960, 1510 >= 1500: paid back in month 2.
    assert_eq!(l.payback_month, Some(2));
    assert_eq!(
        major(l.curve[1].cumulative_profit_per_customer),
        Some(960.0)
    );
    // A CPA above every point of the curve is never paid back.
    let r = run(AnalyzeParams {
        horizon_months: 3,
        gross_margin: Some(0.5),
        cpa: Some(1876.0),
        ..Default::default()
    });
    assert_eq!(r.ltv.payback_month, None);
    assert_eq!(r.ltv.affordable, Some(false));
    // Without a margin there is no profit figure and no payback.
    let r = run(AnalyzeParams {
        horizon_months: 3,
        cpa: Some(1000.0),
        ..Default::default()
    });
    assert_eq!((r.ltv.profit_ltv, r.ltv.payback_month), (None, None));
    assert_eq!(r.ltv.ltv_to_cpa, Some(3.02));
}

#[test]
fn twelve_month_ltv_needs_twelve_observed_months() {
    let r = run(AnalyzeParams::default());
    assert_eq!(r.ltv.horizon_months, 12);
    assert_eq!((r.ltv.cohorts_used, r.ltv.ltv, r.ltv.aov), (0, None, None));
    assert_eq!(r.ltv.curve.len(), 6);
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["ltv"]["ltv"].is_null());
}

#[test]
fn monthly_decile_trend_and_the_two_percent_rule() {
    let r = run(AnalyzeParams::default());
    let t = &r.decile_trend;
    assert_eq!((t.rule, t.rule_deciles), (0.02, 3));
    let months: Vec<&str> = t.months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(
        months,
        ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    );
    let top: Vec<(u64, f64, f64, f64, f64)> = t
        .months
        .iter()
        .map(|m| {
            (
                m.buyers,
                m.revenue.major(),
                m.deciles[0].avg_spend.major(),
                m.deciles[1].avg_spend.major(),
                m.deciles[2].avg_spend.major(),
            )
        })
        .collect();
    assert_eq!(
        top,
        vec![
            (2, 4500.0, 3000.0, 1500.0, 0.0),
            (2, 1800.0, 1000.0, 800.0, 0.0), // c: 1500 - 500
            (2, 2800.0, 2000.0, 800.0, 0.0), // the keyless order is not a buyer
            (2, 3500.0, 2500.0, 1000.0, 0.0),
            (0, 0.0, 0.0, 0.0, 0.0), // May: no orders
            (3, 4200.0, 2500.0, 1000.0, 700.0),
        ]
    );
    let g = |m: usize, d: usize| t.months[m].deciles[d].growth;
    let meets = |m: usize, d: usize| t.months[m].deciles[d].meets_rule;
    assert_eq!(g(0, 0), None);
    assert_close!(g(1, 0).unwrap(), 1000.0 / 3000.0 - 1.0);
    assert_close!(g(1, 1).unwrap(), 800.0 / 1500.0 - 1.0);
    assert_eq!((g(2, 0), meets(2, 0)), (Some(1.0), true));
    assert_eq!((g(2, 1), meets(2, 1)), (Some(0.0), false));
    assert_eq!((g(3, 0), meets(3, 0)), (Some(0.25), true));
    assert_eq!((g(3, 1), meets(3, 1)), (Some(0.25), true));
    assert_eq!(g(3, 2), None); // no D3 in March or April
    assert_eq!(g(4, 0), None); // May is empty
    assert_eq!(g(5, 0), None); // after an empty month
    assert!(t.months.iter().all(|m| m.deciles.len() == 10));
    // A stricter rule (+30%) is met by no one in April.
    let r = run(AnalyzeParams {
        decile_growth_rule: 0.3,
        ..Default::default()
    });
    assert!(!r.decile_trend.months[3].deciles[0].meets_rule);
    assert!(r.decile_trend.months[2].deciles[0].meets_rule);
}

#[test]
fn tenure_plain_and_kaplan_meier() {
    // Churn window 100 days, as of Jul 10:
    //   a Jan 5 - Jul 10: 187 days, active, censored at 187
    //   b Jan 31 only: 0, churned (161 days ago), event at 0
    //   c Feb 10 - Apr 1: 51, churned (100 days ago), event at 51
    //   d Feb 28 - Mar 1: 2, churned, event at 2
    //   e Apr 15 - Jun 20: 66, active, censored at 86
    //   f Jun 1 only: 0, active, censored at 39
    let r = run(AnalyzeParams {
        churn_days: 100,
        ..Default::default()
    });
    let t = &r.tenure;
    assert_eq!((t.customers, t.active, t.churned), (6, 3, 3));
    assert_eq!((t.churn_days, t.horizon_months), (100, 24));
    assert_close!(t.plain_mean_months.unwrap(), 306.0 / 6.0 / DPM);
    // S = 5/6 on [0,2), 2/3 on [2,51), 4/9 from 51; the longest time is
    // 187 days, so tau = 187: 2·5/6 + 49·2/3 + 136·4/9 = 853/9 days.
    assert_close!(t.effective_horizon_months.unwrap(), 187.0 / DPM);
    assert_close!(t.restricted_mean_months.unwrap(), 853.0 / 9.0 / DPM);
    let s: Vec<(u32, f64)> = t.survival.iter().map(|p| (p.month, p.survival)).collect();
    assert_eq!(s.len(), 7); // 6 × 30.4375 = 182.6 <= 187
    assert_close!(s[0].1, 5.0 / 6.0);
    assert_close!(s[1].1, 2.0 / 3.0); // day 30
    assert_close!(s[2].1, 4.0 / 9.0); // day 60
                                      // A 2-month horizon (60.875 days): 2·5/6 + 49·2/3 + 9·4/9 + 0.875·4/9.
    let r = run(AnalyzeParams {
        churn_days: 100,
        tenure_horizon_months: 2,
        ..Default::default()
    });
    let want = 10.0 / 6.0 + 98.0 / 3.0 + 4.0 + 0.875 * 4.0 / 9.0;
    assert_close!(r.tenure.restricted_mean_months.unwrap(), want / DPM);
    assert_close!(r.tenure.effective_horizon_months.unwrap(), 2.0);
    // Default churn window (240 days): everyone is active, nobody churns,
    // S stays 1 and the restricted mean is the longest follow-up.
    let t = run(AnalyzeParams::default()).tenure;
    assert_eq!((t.active, t.churned), (6, 0));
    assert_close!(t.restricted_mean_months.unwrap(), 187.0 / DPM);
}

#[test]
fn tenure_as_of_past_days_matches_a_fresh_history() {
    let ds = fixture();
    let p = TenureParams {
        churn_days: 30,
        horizon_months: 3,
    };
    let days: Vec<NaiveDate> = [
        "2024-01-31",
        "2024-02-29",
        "2024-03-31",
        "2024-05-31",
        "2024-07-10",
    ]
    .iter()
    .map(|d| day(d))
    .collect();
    let at = restricted_mean_at(
        &ds,
        &days.iter().map(|&d| to_day(d)).collect::<Vec<_>>(),
        &p,
    );
    for (d, got) in days.iter().zip(at) {
        let fresh = tenure(&History::new(&ds, *d).unwrap(), &p).restricted_mean_months;
        assert_eq!(got, fresh, "as of {d}");
    }
    // As of Feb 29 with 240 days nobody has churned: a's 55 days of
    // follow-up are the longest, so the restricted mean is 55 days.
    let r = run(AnalyzeParams {
        as_of: Some(day("2024-02-29")),
        ..Default::default()
    });
    assert_close!(r.tenure.restricted_mean_months.unwrap(), 55.0 / DPM);
}

#[test]
fn f2_conversion_overall_per_cohort_and_within_days() {
    let r = run(AnalyzeParams::default());
    let f = &r.repeat.f2;
    assert_eq!((f.within_days, f.customers, f.converted), (None, 6, 4));
    assert_close!(f.rate.unwrap(), 4.0 / 6.0);
    let by: Vec<(&str, u64, u64)> = f
        .by_cohort
        .iter()
        .map(|c| (c.cohort.as_str(), c.customers, c.converted))
        .collect();
    assert_eq!(
        by,
        vec![
            ("2024-01", 2, 1),
            ("2024-02", 2, 2),
            ("2024-04", 1, 1),
            ("2024-06", 1, 0)
        ]
    );
    // Second order within 1 day: only c (Feb 10 -> Feb 11; d took 2 days).
    let f2 = |n| {
        run(AnalyzeParams {
            f2_within_days: Some(n),
            ..Default::default()
        })
        .repeat
        .f2
    };
    let f = f2(1);
    assert_eq!((f.customers, f.converted), (6, 1));
    // Within 30 days: a (15), c (1), d (2); e took 66.
    let f = f2(30);
    assert_eq!((f.customers, f.converted), (6, 3));
    // Within 45 days: f (first order Jun 1) has not had 45 days by Jul 10,
    // so is not counted.
    let f = f2(45);
    assert_eq!((f.customers, f.converted), (5, 3));
    assert_eq!(f.by_cohort.len(), 3);
    assert_eq!(f.by_cohort[0].rate, Some(0.5));
}

#[test]
fn order_count_flow() {
    // Orders per customer: a 5, b 1, c 3, d 2, e 2, f 1.
    let r = run(AnalyzeParams::default());
    let flow: Vec<(u32, u64, u64, Option<f64>)> = r
        .repeat
        .flow
        .iter()
        .map(|s| (s.order, s.customers, s.next, s.rate))
        .collect();
    assert_eq!(flow.len(), 12);
    assert_eq!(
        flow[..6],
        [
            (1, 6, 4, Some(4.0 / 6.0)),
            (2, 4, 2, Some(0.5)),
            (3, 2, 1, Some(0.5)),
            (4, 1, 1, Some(1.0)),
            (5, 1, 0, Some(0.0)),
            (6, 0, 0, None),
        ]
    );
    assert_eq!(r.repeat.flow[2].share_of_customers, Some(2.0 / 6.0));
}

#[test]
fn repeat_rate_uses_the_decile_window() {
    let r = run(AnalyzeParams::default());
    let w = &r.repeat.repeat_rate;
    assert_eq!((w.from, w.to), (day("2023-07-11"), day("2024-07-10")));
    assert_eq!((w.customers, w.repeat_customers), (6, 4));
    assert_eq!(w.customers, r.decile_window.customers);
    // March to June: a (Mar 10, Jun 15) and e (Apr 15, Jun 20) repeat; c,
    // d and f bought once in the window.
    let r = run(AnalyzeParams {
        from: Some(day("2024-03-01")),
        to: Some(day("2024-06-30")),
        ..Default::default()
    });
    let w = &r.repeat.repeat_rate;
    assert_eq!((w.customers, w.repeat_customers, w.rate), (5, 2, Some(0.4)));
}

#[test]
fn returning_and_new_buyers_by_month() {
    let r = run(AnalyzeParams::default());
    let mix: Vec<(&str, u64, u64, u64)> = r
        .repeat
        .returning_by_month
        .iter()
        .map(|m| (m.month.as_str(), m.buyers, m.returning, m.new))
        .collect();
    assert_eq!(
        mix,
        vec![
            ("2024-01", 2, 0, 2),
            ("2024-02", 2, 0, 2),
            ("2024-03", 2, 2, 0), // a, and d (first order in February)
            ("2024-04", 2, 1, 1),
            ("2024-05", 0, 0, 0),
            ("2024-06", 3, 2, 1),
        ]
    );
    let jun = &r.repeat.returning_by_month[5];
    assert_close!(jun.returning_share.unwrap(), 2.0 / 3.0);
    assert_close!(jun.new_share.unwrap(), 1.0 / 3.0);
    assert_eq!(r.repeat.returning_by_month[4].returning_share, None);
}

#[test]
fn target_plan_reproduces_the_worked_example() {
    let r = run(AnalyzeParams::default());
    let p = &r.targets.plan;
    assert_eq!(
        (p.baseline, p.growth, p.horizon, p.reading),
        (5.13, 0.07, 4, Reading::Compound)
    );
    // In hundredths: 5.13, 5.49, 5.87, 6.28, 6.72.
    let rounded: Vec<i64> = p
        .steps
        .iter()
        .map(|s| (s.compound * 100.0).round() as i64)
        .collect();
    assert_eq!(rounded, vec![513, 549, 587, 628, 672]);
    let linear: Vec<f64> = p.steps.iter().map(|s| s.linear).collect();
    for (got, want) in linear.iter().zip([5.13, 5.4891, 5.8482, 6.2073, 6.5664]) {
        assert_close!(*got, want);
    }
    // "+7% for 5 months": +35% linear, +40.3% compound.
    let r = run(AnalyzeParams {
        targets: TargetParams {
            horizon: 5,
            ..TargetParams::default()
        },
        ..Default::default()
    });
    assert_close!(r.targets.plan.total_growth_linear, 0.35);
    assert_eq!(
        (r.targets.plan.total_growth_compound * 1000.0).round(),
        403.0
    );
}

#[test]
fn actual_against_target_by_month() {
    // Default: 4 months after a baseline month 4 months before the last
    // complete month (June): February to June.
    let r = run(AnalyzeParams::default());
    assert_eq!(r.targets.start.as_deref(), Some("2024-02"));
    let track = |r: &Report, m: Metric| {
        r.targets
            .tracks
            .iter()
            .find(|t| t.metric == m)
            .unwrap()
            .clone()
    };
    let d1 = track(&r, Metric::D1);
    let actual: Vec<Option<f64>> = d1.months.iter().map(|m| m.actual).collect();
    assert_eq!(
        actual,
        vec![Some(1000.0), Some(2000.0), Some(2500.0), None, Some(2500.0)]
    );
    assert_eq!(d1.baseline, Some(1000.0));
    assert_close!(d1.months[1].target.unwrap(), 1070.0);
    assert_close!(d1.months[1].gap.unwrap(), 930.0);
    assert_close!(d1.months[4].target.unwrap(), 1000.0 * 1.07f64.powi(4));
    assert_close!(d1.months[4].target_linear.unwrap(), 1280.0);
    assert_close!(d1.months[2].gap_ratio.unwrap(), 2500.0 / 1144.9 - 1.0);
    assert_eq!(d1.months[3].gap, None); // May has no buyers
                                        // No D3 in February: no baseline, no target.
    let d3 = track(&r, Metric::D3);
    assert_eq!(d3.baseline, None);
    assert_eq!(d3.months[4].actual, Some(700.0));
    assert_eq!(d3.months[4].target, None);
    // The 12-month LTV is not observable yet in any month.
    assert!(track(&r, Metric::Ltv)
        .months
        .iter()
        .all(|m| m.actual.is_none()));
    // Tenure as of Feb 29 (nobody churned in 240 days): 55 days.
    let ten = track(&r, Metric::Tenure);
    assert_close!(ten.baseline.unwrap(), 55.0 / DPM);

    // 3-month LTV, plan from March, linear reading: LTV as of the end of
    // March (Jan cohort, 6500/2), April and May (Jan+Feb, 10100/4), June
    // (+ Apr, 15100/5); July is not complete.
    let r = run(AnalyzeParams {
        horizon_months: 3,
        targets: TargetParams {
            start: Some(day("2024-03-15")),
            reading: Reading::Linear,
            ..TargetParams::default()
        },
        ..Default::default()
    });
    assert_eq!(r.targets.start.as_deref(), Some("2024-03"));
    let l = track(&r, Metric::Ltv);
    let months: Vec<&str> = l.months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(
        months,
        ["2024-03", "2024-04", "2024-05", "2024-06", "2024-07"]
    );
    let actual: Vec<Option<f64>> = l.months.iter().map(|m| m.actual).collect();
    assert_eq!(
        actual,
        vec![Some(3250.0), Some(2525.0), Some(2525.0), Some(3020.0), None]
    );
    assert_close!(l.months[1].target.unwrap(), 3250.0 * 1.07);
    assert_close!(l.months[3].target.unwrap(), 3250.0 * 1.21);
    assert_close!(
        l.months[3].target_compound.unwrap(),
        3250.0 * 1.07f64.powi(3)
    );
    assert_close!(l.months[1].gap.unwrap(), 2525.0 - 3477.5);
    assert_close!(l.months[4].target.unwrap(), 3250.0 * 1.28);
    assert_eq!(l.months[4].gap, None);
    // The current LTV equals the last complete month's actual.
    assert_eq!(major(r.ltv.ltv), Some(3020.0));
}

#[test]
fn json_contract_keeps_old_fields_and_adds_the_new_objects() {
    let r = run(AnalyzeParams::default());
    let v = serde_json::to_value(&r).unwrap();
    for key in ["summary", "deciles", "decile_window"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["cohort_granularity"], "month");
    let c = &v["cohorts"][0];
    assert_eq!(c["cohort"], "2024-01");
    assert_eq!(c["customers"], 2);
    let p = &c["periods"][0];
    for key in [
        "period",
        "active",
        "retention",
        "revenue",
        "cumulative_revenue_per_customer",
    ] {
        assert!(p.get(key).is_some(), "{key}");
    }
    for key in [
        "horizon_months",
        "ltv",
        "aov",
        "orders_per_customer",
        "cohorts_used",
        "customers_used",
        "gross_margin",
        "profit_ltv",
        "cpa",
        "ltv_to_cpa",
        "payback_month",
    ] {
        assert!(v["ltv"].get(key).is_some(), "ltv.{key}");
    }
    assert!(v["targets"]["plan"]["steps"].is_array());
    assert_eq!(v["targets"]["tracks"][0]["metric"], "ltv");
    assert!(v["decile_trend"]["months"][0]["deciles"][0]
        .get("meets_rule")
        .is_some());
    assert!(v["tenure"].get("restricted_mean_months").is_some());
    for key in ["f2", "flow", "repeat_rate", "returning_by_month"] {
        assert!(v["repeat"].get(key).is_some(), "repeat.{key}");
    }
}

#[test]
fn money_is_in_major_units() {
    // 2 decimals: 12.34 is 1234 cents; the report says 12.34.
    let csv = "Email,Order Date,Total,Currency\na@x.com,2024-01-05,$12.34,USD\na@x.com,2024-02-05,$0.66,USD\nb@x.com,2024-01-07,$5.00,USD\n";
    let ds = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    assert_eq!(ds.info.minor_exponent, 2);
    let r = analyze(
        &ds,
        &AnalyzeParams {
            as_of: Some(day("2024-02-29")),
            horizon_months: 2,
            gross_margin: Some(0.5),
            cpa: Some(4.0),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.cohorts[0].periods[0].revenue, 17.34);
    assert_eq!(r.cohorts[0].periods[1].cumulative_revenue_per_customer, 9.0);
    assert_eq!(major(r.ltv.ltv), Some(9.0));
    assert_eq!(major(r.ltv.aov), Some(6.0));
    assert_eq!(major(r.ltv.cpa), Some(4.0));
    assert_eq!(r.ltv.payback_month, Some(0)); // 17.34 / 2 × 0.5 = 4.335
    assert_eq!(r.decile_trend.months[0].deciles[0].avg_spend, 12.34);
}

#[test]
fn a_single_order_and_a_single_day() {
    // One order, mid-month: one customer, a cohort with nothing observed.
    let ds = data(&[(Some(0), "2024-03-15", 100)], 1);
    let r = analyze(&ds, &AnalyzeParams::default()).unwrap();
    assert_eq!(r.cohorts.len(), 1);
    assert!(r.cohorts[0].periods.is_empty());
    assert!(r.decile_trend.months.is_empty());
    assert!(r.repeat.returning_by_month.is_empty());
    assert_eq!(r.repeat.f2.rate, Some(0.0));
    assert_eq!(r.tenure.restricted_mean_months, Some(0.0));
    assert_eq!(r.ltv.curve.len(), 0);
    // Every order on one month-end day: that month is observed.
    let ds = data(
        &[
            (Some(0), "2024-03-31", 100),
            (Some(1), "2024-03-31", 300),
            (Some(0), "2024-03-31", 50),
            (None, "2024-03-31", 1000),
        ],
        2,
    );
    let r = analyze(
        &ds,
        &AnalyzeParams {
            horizon_months: 1,
            ..Default::default()
        },
    )
    .unwrap();
    let p = &r.cohorts[0].periods;
    assert_eq!(
        (p.len(), p[0].active, p[0].orders, p[0].revenue.major()),
        (1, 2, 3, 450.0)
    );
    assert_eq!(major(r.ltv.ltv), Some(225.0));
    assert_eq!(r.ltv.orders_per_customer, Some(1.5));
    assert_eq!(r.repeat.f2.converted, 1); // c0's second order the same day
    assert_eq!(r.repeat.f2.rate, Some(0.5));
    assert_eq!(r.decile_trend.months[0].buyers, 2);
    assert_eq!(r.tenure.plain_mean_months, Some(0.0));
}

#[test]
fn keyless_orders_only_and_negative_totals() {
    let ds = data(&[(None, "2024-01-10", 100), (None, "2024-03-31", 200)], 0);
    let r = analyze(&ds, &AnalyzeParams::default()).unwrap();
    assert!(r.cohorts.is_empty());
    assert_eq!(r.ltv.ltv, None);
    assert!(r.decile_trend.months.is_empty());
    assert_eq!(r.tenure.customers, 0);
    assert_eq!(r.repeat.f2.rate, None);
    assert_eq!(r.repeat.flow[0].rate, None);
    // A customer whose refunds exceed their purchases.
    let ds = data(
        &[
            (Some(0), "2024-01-10", 100),
            (Some(0), "2024-01-11", -300),
            (Some(1), "2024-01-12", 50),
        ],
        2,
    );
    let r = analyze(
        &ds,
        &AnalyzeParams {
            as_of: Some(day("2024-02-29")),
            horizon_months: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.cohorts[0].periods[0].revenue, -150.0);
    assert_eq!(major(r.ltv.ltv), Some(-75.0));
    assert_eq!(major(r.ltv.aov), Some(-50.0));
    let jan = &r.decile_trend.months[0];
    assert_eq!(
        (
            jan.deciles[0].avg_spend.major(),
            jan.deciles[1].avg_spend.major()
        ),
        (50.0, -200.0)
    );
    // February: no buyers; growth against a negative average is not shown.
    assert_eq!(r.decile_trend.months[1].deciles[0].growth, None);
}

#[test]
fn settings_out_of_range_are_errors() {
    let ds = fixture();
    let bad = [
        AnalyzeParams {
            horizon_months: 0,
            ..Default::default()
        },
        AnalyzeParams {
            gross_margin: Some(1.5),
            ..Default::default()
        },
        AnalyzeParams {
            gross_margin: Some(f64::NAN),
            ..Default::default()
        },
        AnalyzeParams {
            cpa: Some(0.0),
            ..Default::default()
        },
        AnalyzeParams {
            churn_days: 0,
            ..Default::default()
        },
        AnalyzeParams {
            decile_growth_rule: f64::INFINITY,
            ..Default::default()
        },
        AnalyzeParams {
            targets: TargetParams {
                growth: -1.0,
                ..TargetParams::default()
            },
            ..Default::default()
        },
        AnalyzeParams {
            targets: TargetParams {
                horizon: 0,
                ..TargetParams::default()
            },
            ..Default::default()
        },
        // An as-of date 500 years after the orders.
        AnalyzeParams {
            as_of: Some(day("2524-01-01")),
            ..Default::default()
        },
    ];
    for p in bad {
        let e = analyze(&ds, &p).unwrap_err();
        assert!(
            matches!(e.kind, ErrorKind::InvalidSetting { .. }),
            "{p:?}: {e}"
        );
    }
}

#[test]
fn malformed_datasets_do_not_panic() {
    let o = |customer, day, amount| Order {
        customer,
        day,
        amount,
    };
    let cases = vec![
        // Unsorted, large amounts (the summary and deciles add amounts
        // without saturating, so not up to i64::MAX).
        vec![
            o(0, 738_100, i64::MAX / 4),
            o(0, 738_050, i64::MAX / 4),
            o(1, 737_000, -5),
        ],
        vec![o(0, i32::MIN, 1), o(0, i32::MAX, 1)],
        vec![o(0, 0, 0), o(1, 1, -1)],
        vec![o(NO_CUSTOMER, 738_000, 5)],
    ];
    for orders in cases {
        let ds = Dataset {
            orders,
            customer_keys: ["a", "b"].into_iter().collect(),
            ..Dataset::default()
        };
        for g in Granularity::ALL {
            let p = AnalyzeParams {
                granularity: g,
                horizon_months: 1,
                gross_margin: Some(0.3),
                cpa: Some(1.0),
                f2_within_days: Some(7),
                ..Default::default()
            };
            let _ = analyze(&ds, &p);
        }
    }
}

/// Checks the identities every report must satisfy.
fn check_identities(r: &Report) -> Result<(), TestCaseError> {
    let customers: u64 = r.cohorts.iter().map(|c| c.customers).sum();
    prop_assert_eq!(customers, r.tenure.customers);
    if r.repeat.f2.within_days.is_none() {
        prop_assert_eq!(r.repeat.f2.customers, r.tenure.customers);
    }
    prop_assert_eq!(r.repeat.flow[0].customers, r.tenure.customers);
    for c in &r.cohorts {
        let mut cum = 0.0;
        for (k, p) in c.periods.iter().enumerate() {
            prop_assert_eq!(p.period as usize, k);
            prop_assert!(p.active <= c.customers && p.active <= p.orders);
            prop_assert!((0.0..=1.0).contains(&p.retention));
            cum += p.revenue.major();
            prop_assert!((cum - p.cumulative_revenue.major()).abs() < 1e-6);
        }
        if let Some(p0) = c.periods.first() {
            prop_assert_eq!(p0.active, c.customers); // everyone buys in period 0
        }
    }
    if let (Some(l), Some(a), Some(o)) = (
        major(r.ltv.ltv),
        major(r.ltv.aov),
        r.ltv.orders_per_customer,
    ) {
        prop_assert!((l - a * o).abs() <= 1e-9 * l.abs().max(1.0));
        let k = r.ltv.horizon_months as usize - 1;
        prop_assert!(
            (r.ltv.curve[k].cumulative_revenue_per_customer.major() - l).abs()
                <= 1e-9 * l.abs().max(1.0)
        );
    }
    for m in &r.repeat.returning_by_month {
        prop_assert_eq!(m.returning + m.new, m.buyers);
    }
    // The overview's figures of the window are the tabs' own.
    let o = &r.overview;
    let kpi = |k: KpiName| o.kpis.iter().find(|x| x.kpi == k).and_then(|x| x.value);
    prop_assert_eq!(kpi(KpiName::RepeatRate), r.repeat.repeat_rate.rate);
    if o.to == r.decile_window.as_of {
        prop_assert_eq!(kpi(KpiName::Ltv), major(r.ltv.ltv));
    }
    if r.summary.customers > 0 {
        prop_assert_eq!(
            kpi(KpiName::Customers),
            Some(r.decile_window.customers as f64)
        );
    }
    for (m, t) in r
        .repeat
        .returning_by_month
        .iter()
        .zip(&r.decile_trend.months)
    {
        prop_assert_eq!(m.buyers, t.buyers);
        prop_assert_eq!(t.deciles.iter().map(|d| d.customers).sum::<u64>(), t.buyers);
    }
    for w in r.repeat.flow.windows(2) {
        prop_assert!(w[1].customers <= w[0].customers);
    }
    if let (Some(rm), Some(h)) = (
        r.tenure.restricted_mean_months,
        r.tenure.effective_horizon_months,
    ) {
        prop_assert!(rm >= -1e-9 && rm <= h + 1e-9);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_order_table_gives_consistent_analyses(
        orders in proptest::collection::vec((0u32..12, 0i32..900, -2000i64..50_000), 1..80),
        keyless in 0usize..3,
        g in 0usize..3,
        horizon in 1u32..8,
        within in proptest::option::of(0u32..120),
        churn in 1u32..400,
        as_of_back in 0i32..200,
    ) {
        let base = to_day(day("2022-01-01"));
        let mut list: Vec<Order> = orders
            .iter()
            .map(|&(c, d, a)| Order { customer: c, day: base + d, amount: a })
            .collect();
        for i in 0..keyless {
            list.push(Order { customer: NO_CUSTOMER, day: base + i as i32 * 40, amount: 777 });
        }
        list.sort_by_key(|o| (o.day, o.customer));
        let last = list.last().map_or(base, |o| o.day);
        let ds = Dataset {
            orders: list,
            customer_keys: (0..12).map(|i| format!("k{i:02}")).collect(),
            ..Dataset::default()
        };
        let p = AnalyzeParams {
            as_of: Some(ltv_engine::date::from_day(last - as_of_back)),
            granularity: Granularity::ALL[g],
            horizon_months: horizon,
            gross_margin: Some(0.4),
            cpa: Some(1000.0),
            churn_days: churn,
            f2_within_days: within,
            ..Default::default()
        };
        let r = analyze(&ds, &p).unwrap();
        check_identities(&r)?;
        // The cohort figures of a month never depend on the granularity
        // asked for the table: the monthly LTV is the same.
        let monthly = analyze(&ds, &AnalyzeParams { granularity: Granularity::Month, ..p }).unwrap();
        prop_assert_eq!(&r.ltv, &monthly.ltv);
    }
}
