//! Cohort analysis (コホート分析).
//!
//! A customer's cohort is the period (month by default; week or quarter) of
//! their first order in the data. Period `k` of a cohort is the `k`-th
//! period after the cohort's own (0 = the period of the first order). Only
//! **observed** periods are reported: those whose last day is on or before
//! the as-of date ([`crate::calendar::last_complete`]); a cohort whose own
//! period is not yet complete is listed with no cells. Cohorts with no
//! customer (a month in which nobody bought for the first time) are left
//! out.
//!
//! For cohort `c` with `n_c` customers and period `k`:
//! - active `A_{c,k}` = customers of `c` with at least one order in `k`;
//! - retention (継続率) `= A_{c,k} / n_c`;
//! - revenue `R_{c,k}` = their net order amounts in `k`; orders `O_{c,k}`;
//! - revenue per original customer `= R_{c,k} / n_c`;
//! - cumulative revenue per original customer (the cohort's LTV curve)
//!   `= Σ_{j ≤ k} R_{c,j} / n_c`.
//!
//! Sums are exact integers (minor units); the divisions come last.

use crate::calendar::{label, last_complete, period_of, period_start, Granularity, Period};
use crate::date::from_day;
use crate::error::{Error, SettingError};
use crate::history::{History, NO_DAY};
use crate::money::Money;
use crate::store::Dataset;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most cells a cohort table may hold (a weekly table over centuries of
/// orders is refused with a setting error instead of exhausting memory).
pub const MAX_CELLS: usize = 20_000_000;

/// One observed period of one cohort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortCell {
    /// `k`: periods since the cohort's own period (0 = the first).
    pub period: u32,
    /// Customers of the cohort with an order in this period.
    pub active: u64,
    /// `active / customers`.
    pub retention: f64,
    pub orders: u64,
    /// Net revenue in this period.
    pub revenue: Money,
    /// `revenue / customers`.
    pub revenue_per_customer: Money,
    /// Revenue in periods `0..=k`.
    pub cumulative_revenue: Money,
    /// `cumulative_revenue / customers`.
    pub cumulative_revenue_per_customer: Money,
}

/// One acquisition cohort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// `2024-03`, `2024-W05` or `2024-Q1`.
    pub cohort: String,
    /// First day of the cohort's period.
    pub start: NaiveDate,
    /// Customers whose first order is in this period (the cohort size).
    pub customers: u64,
    /// Observed periods `0, 1, …` in order (none if period 0 is not yet
    /// complete).
    pub periods: Vec<CohortCell>,
}

impl Cohort {
    /// The cohort's period number in `g`, its table's granularity (see
    /// [`crate::calendar`]).
    pub fn period(&self, g: Granularity) -> Period {
        period_of(self.start, g)
    }
}

/// The cohort table (triangle) of a dataset as of a date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CohortTable {
    pub granularity: Granularity,
    pub as_of: NaiveDate,
    /// The minor-unit exponent of the dataset's currency.
    pub exponent: u8,
    /// Cohorts with at least one customer, oldest first.
    pub cohorts: Vec<Cohort>,
}

/// A cohort's size and where its cells are.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    size: u64,
    offset: usize,
    len: usize,
}

#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    active: u64,
    orders: u64,
    revenue: i64,
}

/// Builds the cohort table of `g` from the histories (as of their date).
/// One pass over the orders; per-customer arrays indexed by customer id.
pub fn cohorts(data: &Dataset, history: &History, g: Granularity) -> Result<CohortTable, Error> {
    let as_of = from_day(history.as_of);
    let exp = data.info.minor_exponent;
    let mut table = CohortTable {
        granularity: g,
        as_of,
        exponent: exp,
        cohorts: Vec::new(),
    };
    let cal = &history.calendar;
    let (Some(first_day), Some(top)) = (history.first_day, cal.period(history.as_of, g)) else {
        return Ok(table);
    };
    let Some(base) = cal.period(first_day, g) else {
        return Ok(table);
    };
    let observed = last_complete(as_of, g);
    // Cohort sizes by period slot.
    let slots = (top as i64 - base as i64 + 1).max(0) as usize;
    let mut slot = vec![Slot::default(); slots];
    let mut slot_of = vec![u32::MAX; history.first.len()];
    for (c, &f) in history.first.iter().enumerate() {
        if f == NO_DAY {
            continue;
        }
        let Some(p) = cal.period(f, g) else { continue };
        let s = (p - base) as usize;
        if let (Some(x), Some(so)) = (slot.get_mut(s), slot_of.get_mut(c)) {
            x.size += 1;
            *so = s as u32;
        }
    }
    // Cells: each cohort has its observed periods, laid out one after another.
    let mut total = 0usize;
    for (s, x) in slot.iter_mut().enumerate() {
        if x.size == 0 {
            continue;
        }
        let p = base as i64 + s as i64;
        x.offset = total;
        x.len = (observed as i64 - p + 1).max(0) as usize;
        total = total.saturating_add(x.len);
    }
    if total > MAX_CELLS {
        return Err(SettingError::CohortTooLarge {
            granularity: g,
            cells: total,
            max_cells: MAX_CELLS,
        }
        .into());
    }
    let mut cells = vec![Cell::default(); total];
    let mut mark = vec![Period::MIN; history.first.len()];
    for o in &data.orders {
        if o.day > history.as_of {
            continue;
        }
        let c = o.customer as usize;
        let Some(&s) = slot_of.get(c) else { continue };
        let s = s as usize;
        let (Some(p), Some(x)) = (cal.period(o.day, g), slot.get(s)) else {
            continue;
        };
        let k = p as i64 - (base as i64 + s as i64);
        if k < 0 || k as usize >= x.len {
            continue; // not observed yet
        }
        let Some(cell) = cells.get_mut(x.offset + k as usize) else {
            continue;
        };
        cell.orders += 1;
        cell.revenue = cell.revenue.saturating_add(o.amount);
        if let Some(m) = mark.get_mut(c) {
            if *m != p {
                *m = p;
                cell.active += 1;
            }
        }
    }
    for (s, x) in slot.iter().enumerate() {
        let n = x.size;
        if n == 0 {
            continue;
        }
        let p = base + s as Period;
        let per = |x: f64| x / n as f64;
        let money = |x: f64| Money::from_minor_f64(x, exp);
        let mut cum_revenue = 0i64;
        let own = cells.get(x.offset..x.offset + x.len).unwrap_or(&[]);
        let cells = own
            .iter()
            .enumerate()
            .map(|(k, x)| {
                cum_revenue = cum_revenue.saturating_add(x.revenue);
                CohortCell {
                    period: k as u32,
                    active: x.active,
                    retention: per(x.active as f64),
                    orders: x.orders,
                    revenue: Money::from_minor(x.revenue, exp),
                    revenue_per_customer: money(per(x.revenue as f64)),
                    cumulative_revenue: Money::from_minor(cum_revenue, exp),
                    cumulative_revenue_per_customer: money(per(cum_revenue as f64)),
                }
            })
            .collect();
        table.cohorts.push(Cohort {
            cohort: label(p, g),
            start: period_start(p, g),
            customers: n,
            periods: cells,
        });
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::to_day;
    use crate::store::Order;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn data(orders: &[(u32, &str, i64)], customers: usize) -> Dataset {
        let orders: Vec<Order> = orders
            .iter()
            .map(|&(customer, day, amount)| Order {
                customer,
                day: to_day(d(day)),
                amount,
            })
            .collect();
        Dataset::from_orders(orders, (0..customers).map(|i| format!("c{i}")))
    }

    #[test]
    fn a_small_triangle() {
        // c0: Jan 100, Jan 50, Mar 30. c1: Jan 200. c2: Feb 70, Feb 10.
        let ds = data(
            &[
                (0, "2024-01-05", 100),
                (0, "2024-01-20", 50),
                (1, "2024-01-31", 200),
                (2, "2024-02-10", 70),
                (2, "2024-02-11", 10),
                (0, "2024-03-03", 30),
            ],
            3,
        );
        let h = History::new(&ds, d("2024-03-31")).unwrap();
        let t = cohorts(&ds, &h, Granularity::Month).unwrap();
        assert_eq!(t.cohorts.len(), 2);
        let jan = &t.cohorts[0];
        assert_eq!((jan.cohort.as_str(), jan.customers), ("2024-01", 2));
        assert_eq!(jan.period(Granularity::Month), 2024 * 12);
        let got: Vec<(u64, u64, f64, f64)> = jan
            .periods
            .iter()
            .map(|c| {
                let (r, cr) = (c.revenue.minor(), c.cumulative_revenue.minor());
                (c.active, c.orders, r, cr)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (2, 3, 350.0, 350.0),
                (0, 0, 0.0, 350.0),
                (1, 1, 30.0, 380.0)
            ]
        );
        assert_eq!(jan.periods[2].retention, 0.5);
        assert_eq!(
            jan.periods[2].cumulative_revenue_per_customer.minor(),
            190.0
        );
        let feb = &t.cohorts[1];
        assert_eq!(feb.periods.len(), 2);
        assert_eq!(feb.periods[0].active, 1);
        assert_eq!(feb.periods[0].revenue_per_customer.minor(), 80.0);
        // As of Mar 30, March is not observed.
        let h = History::new(&ds, d("2024-03-30")).unwrap();
        let t = cohorts(&ds, &h, Granularity::Month).unwrap();
        assert_eq!(t.cohorts[0].periods.len(), 2);
        assert_eq!(t.cohorts[1].periods.len(), 1);
    }

    #[test]
    fn empty_histories_give_an_empty_table() {
        let ds = Dataset::default();
        let h = History::new(&ds, d("2024-01-01")).unwrap();
        for g in Granularity::ALL {
            assert!(cohorts(&ds, &h, g).unwrap().cohorts.is_empty());
        }
    }
}
