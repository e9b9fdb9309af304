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

use crate::calendar::{label, Period};
use crate::cohort::CohortTable;
use serde::{Deserialize, Serialize};

/// Settings of the LTV figures. Money in minor units.
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

/// One point of the pooled LTV curve. Money in minor units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// `k`, months since the first order's month.
    pub period: u32,
    /// Cohorts with period `k` observed.
    pub cohorts: u64,
    /// Their customers.
    pub customers: u64,
    /// Their revenue in periods `0..=k`.
    pub cumulative_revenue: i64,
    /// `cumulative_revenue / customers`.
    pub cumulative_revenue_per_customer: f64,
    /// `× gross margin`, when a margin is given.
    pub cumulative_profit_per_customer: Option<f64>,
}

/// The LTV figures. Money in minor units; `None` where a figure has no
/// cohort to stand on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ltv {
    pub horizon_months: u32,
    /// `|U|`: monthly cohorts with `H` observed months.
    pub cohorts_used: u64,
    /// `Σ_{c∈U} n_c`.
    pub customers_used: u64,
    /// Their orders in periods `0..H`.
    pub orders_used: u64,
    /// Their revenue in periods `0..H`.
    pub revenue_used: i64,
    /// The oldest and newest cohort used (`YYYY-MM`).
    pub first_cohort: Option<String>,
    pub last_cohort: Option<String>,
    pub ltv: Option<f64>,
    /// Spend per order (顧客単価).
    pub aov: Option<f64>,
    /// Orders per customer (平均利用回数).
    pub orders_per_customer: Option<f64>,
    pub gross_margin: Option<f64>,
    pub profit_ltv: Option<f64>,
    pub cpa: Option<f64>,
    pub ltv_to_cpa: Option<f64>,
    /// `CPA < profit LTV`.
    pub affordable: Option<bool>,
    pub payback_month: Option<u32>,
    pub curve: Vec<CurvePoint>,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b)
}

/// LTV over the cohorts of a **monthly** cohort table (the periods of
/// another granularity would be read as months).
pub fn ltv(monthly: &CohortTable, p: &LtvParams) -> Ltv {
    let h = p.horizon_months.max(1) as usize;
    let used: Vec<_> = monthly
        .cohorts
        .iter()
        .filter(|c| c.cells.len() >= h)
        .collect();
    let mut customers = 0u64;
    let mut orders = 0u64;
    let mut revenue = 0i64;
    for c in &used {
        if let Some(cell) = c.cells.get(h - 1) {
            customers += c.customers;
            orders += cell.cumulative_orders;
            revenue = revenue.saturating_add(cell.cumulative_revenue);
        }
    }
    let longest = monthly
        .cohorts
        .iter()
        .map(|c| c.cells.len())
        .max()
        .unwrap_or(0);
    let mut curve: Vec<CurvePoint> = (0..longest)
        .map(|k| CurvePoint {
            period: k as u32,
            cohorts: 0,
            customers: 0,
            cumulative_revenue: 0,
            cumulative_revenue_per_customer: 0.0,
            cumulative_profit_per_customer: None,
        })
        .collect();
    for c in &monthly.cohorts {
        for (point, cell) in curve.iter_mut().zip(&c.cells) {
            point.cohorts += 1;
            point.customers += c.customers;
            point.cumulative_revenue = point
                .cumulative_revenue
                .saturating_add(cell.cumulative_revenue);
        }
    }
    for point in &mut curve {
        point.cumulative_revenue_per_customer =
            ratio(point.cumulative_revenue as f64, point.customers as f64).unwrap_or(0.0);
        point.cumulative_profit_per_customer = p
            .gross_margin
            .map(|m| point.cumulative_revenue_per_customer * m);
    }
    let ltv = ratio(revenue as f64, customers as f64);
    let profit_ltv = ltv.zip(p.gross_margin).map(|(l, m)| l * m);
    let payback_month = match p.cpa {
        Some(cpa) => curve
            .iter()
            .find(|pt| pt.cumulative_profit_per_customer.is_some_and(|x| x >= cpa))
            .map(|pt| pt.period),
        None => None,
    };
    let name = |c: Option<&&crate::cohort::Cohort>| c.map(|c| label(c.period, monthly.granularity));
    Ltv {
        horizon_months: h as u32,
        cohorts_used: used.len() as u64,
        customers_used: customers,
        orders_used: orders,
        revenue_used: revenue,
        first_cohort: name(used.first()),
        last_cohort: name(used.last()),
        ltv,
        aov: ratio(revenue as f64, orders as f64),
        orders_per_customer: ratio(orders as f64, customers as f64),
        gross_margin: p.gross_margin,
        profit_ltv,
        cpa: p.cpa,
        ltv_to_cpa: ltv.zip(p.cpa).and_then(|(l, c)| ratio(l, c)),
        affordable: profit_ltv.zip(p.cpa).map(|(pl, c)| c < pl),
        payback_month,
        curve,
    }
}

/// The `H`-month LTV as it stood at the end of each given month (minor
/// units): over the cohorts `c` with `c + H − 1 ≤ m`, i.e. the figure
/// [`ltv`] gives with the as-of date on the last day of month `m`. Months
/// after the table's as-of date, or with no such cohort, give `None`.
pub fn ltv_at_month_ends(
    monthly: &CohortTable,
    horizon_months: u32,
    months: &[Period],
) -> Vec<Option<f64>> {
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
                if c.period as i64 + h as i64 - 1 > m as i64 {
                    continue;
                }
                if let Some(cell) = c.cells.get(h - 1) {
                    revenue = revenue.saturating_add(cell.cumulative_revenue);
                    customers += c.customers;
                }
            }
            ratio(revenue as f64, customers as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{month_of, Granularity};
    use crate::cohort::{Cohort, CohortCell};
    use chrono::NaiveDate;

    fn cohort(month: &str, customers: u64, revenue: &[i64], orders: &[u64]) -> Cohort {
        let start = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
        let (mut cr, mut co) = (0, 0);
        Cohort {
            period: month_of(start),
            label: month.into(),
            start,
            customers,
            cells: revenue
                .iter()
                .zip(orders)
                .enumerate()
                .map(|(k, (&r, &o))| {
                    cr += r;
                    co += o;
                    CohortCell {
                        period: k as u32,
                        active: 0,
                        retention: 0.0,
                        orders: o,
                        revenue: r,
                        revenue_per_customer: r as f64 / customers as f64,
                        cumulative_orders: co,
                        cumulative_revenue: cr,
                        cumulative_revenue_per_customer: cr as f64 / customers as f64,
                    }
                })
                .collect(),
        }
    }

    fn table() -> CohortTable {
        CohortTable {
            granularity: Granularity::Month,
            as_of: NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(),
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
                l.revenue_used
            ),
            (2, 3, 7, 700)
        );
        assert_eq!(l.ltv, Some(700.0 / 3.0));
        assert_eq!(l.aov, Some(100.0));
        assert_eq!(l.orders_per_customer, Some(7.0 / 3.0));
        assert_eq!(l.profit_ltv, Some(350.0 / 3.0));
        assert_eq!(l.affordable, Some(false));
        assert_eq!(
            (l.first_cohort.as_deref(), l.last_cohort.as_deref()),
            (Some("2024-01"), Some("2024-02"))
        );
        // Curve: k=0 over 3 cohorts (750/7), k=1 over 2 (700/3), k=2 over 1 (440/2).
        let c: Vec<(u64, u64, i64)> = l
            .curve
            .iter()
            .map(|p| (p.cohorts, p.customers, p.cumulative_revenue))
            .collect();
        assert_eq!(c, vec![(3, 7, 750), (2, 3, 700), (1, 2, 440)]);
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
        assert_eq!(got, vec![None, Some(200.0), Some(700.0 / 3.0), None]);
    }
}
