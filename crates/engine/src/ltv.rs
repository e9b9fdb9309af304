//! Lifetime value (LTV, 顧客生涯価値; the one-year figure is 年間LTV) from
//! the monthly cohort table, its decomposition, and profit LTV against an
//! acquisition cost.
//!
//! With horizon `H` months (default 12) and `U` = the monthly cohorts whose
//! period `H − 1` is observed (`H` complete months since their first):
//! - `LTV = Σ_{c∈U} Σ_{k<H} R_{c,k} / Σ_{c∈U} n_c`: cumulative revenue per
//!   original customer through period `H − 1`, averaged over the cohorts
//!   weighted by cohort size;
//! - spend per order (顧客単価, AOV) `= Σ_{c∈U} Σ_{k<H} R_{c,k} / Σ_{c∈U} Σ_{k<H} O_{c,k}`;
//! - orders per customer (平均利用回数) `= Σ_{c∈U} Σ_{k<H} O_{c,k} / Σ_{c∈U} n_c`;
//!
//! so that `LTV = AOV × orders per customer` (the field's decomposition).
//! - profit LTV (粗利LTV) `= LTV × gross margin`;
//! - `LTV ÷ CPA` with the customer acquisition cost CPA (顧客獲得単価);
//!   a CPA is affordable while `CPA < profit LTV`;
//! - the LTV curve: for each period `k`, over the cohorts with period `k`
//!   observed, `curve(k) = Σ_c Σ_{j≤k} R_{c,j} / Σ_c n_c` (so `curve(H−1) = LTV`);
//! - payback month (回収月) = the first `k` with `curve(k) × margin ≥ CPA`
//!   (`k = 0` is the month of the first order); `None` if no observed `k`
//!   reaches it, or if no margin or CPA is given.

use crate::calendar::{month_of, Period};
use crate::cohort::{Cohort, CohortTable};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// Settings of the LTV figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LtvParams {
    /// `H`, in months (≥ 1).
    pub horizon_months: u32,
    /// Gross margin as a fraction of revenue (0.35 = 35%), if known.
    pub gross_margin: Option<f64>,
    /// Customer acquisition cost per new customer, minor units, if known.
    pub cpa: Option<f64>,
}

impl Default for LtvParams {
    fn default() -> Self {
        LtvParams {
            horizon_months: 12,
            gross_margin: None,
            cpa: None,
        }
    }
}

/// One point of the pooled LTV curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// `k`, months since the first order's month.
    pub period: u32,
    /// Cohorts with period `k` observed.
    pub cohorts: u64,
    /// Their customers.
    pub customers: u64,
    /// Their revenue in periods `0..=k` per customer.
    pub cumulative_revenue_per_customer: Money,
    /// `× gross margin`, when a margin is given.
    pub cumulative_profit_per_customer: Option<Money>,
}

/// The LTV figures; `None` where a figure has no cohort to stand on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ltv {
    pub horizon_months: u32,
    pub ltv: Option<Money>,
    /// Spend per order (顧客単価).
    pub aov: Option<Money>,
    /// Orders per customer (平均利用回数).
    pub orders_per_customer: Option<f64>,
    /// `|U|`: monthly cohorts with `H` observed months.
    pub cohorts_used: u64,
    /// `Σ_{c∈U} n_c`.
    pub customers_used: u64,
    /// Their orders in periods `0..H`.
    pub orders_used: u64,
    /// Their revenue in periods `0..H`.
    pub revenue_used: Money,
    /// The oldest and newest cohort used (`YYYY-MM`).
    pub first_cohort: Option<String>,
    pub last_cohort: Option<String>,
    pub gross_margin: Option<f64>,
    pub profit_ltv: Option<Money>,
    pub cpa: Option<Money>,
    pub ltv_to_cpa: Option<f64>,
    /// `CPA < profit LTV`.
    pub affordable: Option<bool>,
    pub payback_month: Option<u32>,
    pub curve: Vec<CurvePoint>,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b)
}

/// A cohort's revenue in periods `0..=k`, exact minor units (`None` if
/// period `k` is not observed).
fn cumulative_revenue(c: &Cohort, k: usize) -> Option<i64> {
    // The cell holds the exact integer sum (as f64: exact up to 2^53).
    c.periods
        .get(k)
        .map(|cell| cell.cumulative_revenue.minor() as i64)
}

/// LTV over the cohorts of a **monthly** cohort table (the periods of
/// another granularity would be read as months).
pub fn ltv(monthly: &CohortTable, p: &LtvParams) -> Ltv {
    let exp = monthly.exponent;
    let money = |minor: f64| Money::from_minor_f64(minor, exp);
    let h = p.horizon_months.max(1) as usize;
    let used: Vec<_> = monthly
        .cohorts
        .iter()
        .filter(|c| c.periods.len() >= h)
        .collect();
    let mut customers = 0u64;
    let mut orders = 0u64;
    let mut revenue = 0i64;
    for c in &used {
        if let Some(r) = cumulative_revenue(c, h - 1) {
            customers += c.customers;
            orders += c.periods.iter().take(h).map(|x| x.orders).sum::<u64>();
            revenue = revenue.saturating_add(r);
        }
    }
    let longest = monthly
        .cohorts
        .iter()
        .map(|c| c.periods.len())
        .max()
        .unwrap_or(0);
    // (cohorts, customers, cumulative revenue) of each period k.
    let mut sums = vec![(0u64, 0u64, 0i64); longest];
    for c in &monthly.cohorts {
        for (k, sum) in sums.iter_mut().enumerate().take(c.periods.len()) {
            sum.0 += 1;
            sum.1 += c.customers;
            sum.2 = sum.2.saturating_add(cumulative_revenue(c, k).unwrap_or(0));
        }
    }
    let mut payback_month = None;
    let mut curve = Vec::with_capacity(longest);
    for (k, &(cohorts, customers, revenue)) in sums.iter().enumerate() {
        let per_customer = ratio(revenue as f64, customers as f64).unwrap_or(0.0);
        let profit = p.gross_margin.map(|m| per_customer * m);
        if let (None, Some(x), Some(cpa)) = (payback_month, profit, p.cpa) {
            if x >= cpa {
                payback_month = Some(k as u32);
            }
        }
        curve.push(CurvePoint {
            period: k as u32,
            cohorts,
            customers,
            cumulative_revenue_per_customer: money(per_customer),
            cumulative_profit_per_customer: profit.map(money),
        });
    }
    let ltv = ratio(revenue as f64, customers as f64);
    let profit_ltv = ltv.zip(p.gross_margin).map(|(l, m)| l * m);
    let name = |c: Option<&&Cohort>| c.map(|c| c.cohort.clone());
    Ltv {
        horizon_months: h as u32,
        ltv: ltv.map(money),
        aov: ratio(revenue as f64, orders as f64).map(money),
        orders_per_customer: ratio(orders as f64, customers as f64),
        cohorts_used: used.len() as u64,
        customers_used: customers,
        orders_used: orders,
        revenue_used: Money::from_minor(revenue, exp),
        first_cohort: name(used.first()),
        last_cohort: name(used.last()),
        gross_margin: p.gross_margin,
        profit_ltv: profit_ltv.map(money),
        cpa: p.cpa.map(money),
        ltv_to_cpa: ltv.zip(p.cpa).and_then(|(l, c)| ratio(l, c)),
        affordable: profit_ltv.zip(p.cpa).map(|(pl, c)| c < pl),
        payback_month,
        curve,
    }
}

/// The `H`-month LTV as it stood at the end of each given month: over the cohorts `c` with `c + H − 1 ≤ m`, i.e. the figure
/// [`ltv`] gives with the as-of date on the last day of month `m`. Months
/// after the table's as-of date, or with no such cohort, give `None`.
pub fn ltv_at_month_ends(
    monthly: &CohortTable,
    horizon_months: u32,
    months: &[Period],
) -> Vec<Option<Money>> {
    let exp = monthly.exponent;
    let h = horizon_months.max(1) as usize;
    let observed_until = crate::calendar::last_complete(monthly.as_of, monthly.granularity);
    months
        .iter()
        .map(|&m| {
            if m > observed_until {
                return None;
            }
            let mut revenue = 0i64;
            let mut customers = 0u64;
            for c in &monthly.cohorts {
                if month_of(c.start) as i64 + h as i64 - 1 > m as i64 {
                    continue;
                }
                if let Some(r) = cumulative_revenue(c, h - 1) {
                    revenue = revenue.saturating_add(r);
                    customers += c.customers;
                }
            }
            ratio(revenue as f64, customers as f64).map(|x| Money::from_minor_f64(x, exp))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Granularity;
    use crate::cohort::CohortCell;
    use chrono::NaiveDate;

    fn cohort(month: &str, customers: u64, revenue: &[i64], orders: &[u64]) -> Cohort {
        let start = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
        let mut cr = 0;
        let m = |x: i64| Money::from_minor(x, 0);
        let per = |x: i64| Money::from_minor_f64(x as f64 / customers as f64, 0);
        Cohort {
            cohort: month.into(),
            start,
            customers,
            periods: revenue
                .iter()
                .zip(orders)
                .enumerate()
                .map(|(k, (&r, &o))| {
                    cr += r;
                    CohortCell {
                        period: k as u32,
                        active: 0,
                        retention: 0.0,
                        orders: o,
                        revenue: m(r),
                        revenue_per_customer: per(r),
                        cumulative_revenue: m(cr),
                        cumulative_revenue_per_customer: per(cr),
                    }
                })
                .collect(),
        }
    }

    fn table() -> CohortTable {
        CohortTable {
            granularity: Granularity::Month,
            as_of: NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(),
            exponent: 0,
            cohorts: vec![
                cohort("2024-01", 2, &[300, 100, 40], &[3, 1, 1]),
                cohort("2024-02", 1, &[50, 250], &[1, 2]),
                cohort("2024-03", 4, &[400], &[4]),
            ],
        }
    }

    #[test]
    fn two_month_ltv_and_its_decomposition() {
        let l = ltv(
            &table(),
            &LtvParams {
                horizon_months: 2,
                gross_margin: Some(0.5),
                cpa: Some(150.0),
            },
        );
        // Jan (2 customers, 400 through k=1, 4 orders) + Feb (1, 300, 3).
        assert_eq!(
            (
                l.cohorts_used,
                l.customers_used,
                l.orders_used,
                l.revenue_used.minor()
            ),
            (2, 3, 7, 700.0)
        );
        let minor = |m: Option<Money>| m.map(Money::minor);
        assert_eq!(minor(l.ltv), Some(700.0 / 3.0));
        assert_eq!(minor(l.aov), Some(100.0));
        assert_eq!(l.orders_per_customer, Some(7.0 / 3.0));
        assert_eq!(minor(l.profit_ltv), Some(350.0 / 3.0));
        assert_eq!(l.affordable, Some(false));
        assert_eq!(
            (l.first_cohort.as_deref(), l.last_cohort.as_deref()),
            (Some("2024-01"), Some("2024-02"))
        );
        // Curve: k=0 over 3 cohorts (750/7), k=1 over 2 (700/3), k=2 over 1 (440/2).
        let c: Vec<(u64, u64, f64)> = l
            .curve
            .iter()
            .map(|p| {
                (
                    p.cohorts,
                    p.customers,
                    p.cumulative_revenue_per_customer.minor(),
                )
            })
            .collect();
        assert_eq!(
            c,
            vec![
                (3, 7, 750.0 / 7.0),
                (2, 3, 700.0 / 3.0),
                (1, 2, 440.0 / 2.0)
            ]
        );
        // Profit per customer: 53.6, 116.7, 110: never 150.
        assert_eq!(l.payback_month, None);
        let l = ltv(
            &table(),
            &LtvParams {
                horizon_months: 2,
                gross_margin: Some(1.0),
                cpa: Some(110.0),
            },
        );
        assert_eq!(l.payback_month, Some(1));
        assert_eq!(l.ltv_to_cpa, Some(700.0 / 3.0 / 110.0));
    }

    #[test]
    fn no_cohort_long_enough() {
        let l = ltv(&table(), &LtvParams::default());
        assert_eq!(
            (l.cohorts_used, l.ltv, l.aov, l.payback_month),
            (0, None, None, None)
        );
        assert_eq!(l.curve.len(), 3);
        let empty = ltv(&CohortTable::default(), &LtvParams::default());
        assert!(empty.curve.is_empty() && empty.ltv.is_none());
    }

    #[test]
    fn ltv_as_it_stood_at_each_month_end() {
        let t = table();
        let m =
            |s: &str| month_of(NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").unwrap());
        let got = ltv_at_month_ends(
            &t,
            2,
            &[m("2024-01"), m("2024-02"), m("2024-03"), m("2024-04")],
        );
        let got: Vec<Option<f64>> = got.into_iter().map(|x| x.map(Money::minor)).collect();
        assert_eq!(got, vec![None, Some(200.0), Some(700.0 / 3.0), None]);
    }
}
