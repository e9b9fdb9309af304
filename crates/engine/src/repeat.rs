//! Repeat metrics (リピート指標): F2 conversion, the order-count flow, the
//! repeat rate and the returning/new mix by month.
//!
//! Orders are counted as of the as-of date (every usable order with a
//! customer key, whatever its amount).
//!
//! - **F2 conversion (F2転換率)** `= customers with a second order ÷
//!   customers with a first order`, overall and per first-order cohort.
//!   With a limit of `N` days, a second order counts only if it is at most
//!   `N` days after the first, and only customers whose first order is at
//!   least `N` days before the as-of date are counted (the others have not
//!   had their `N` days yet).
//! - **Order-count flow (フロー / 継続率)**: with `r_n` = customers with at
//!   least `n` orders, the step `n → n+1` converts `r_{n+1} / r_n`;
//!   `r_n / r_1` is the share of all customers who reach order `n` (a
//!   survival curve by order number; for subscriptions, 定期継続率).
//! - **Repeat rate (リピート率)** `= customers with 2+ orders in the window ÷
//!   customers with an order in the window` (default window: the decile
//!   window, the 12 months up to the as-of date).
//! - **Returning-customer share (リピーター率)** of a complete month `m` `=
//!   returning buyers ÷ buyers`, where a buyer bought in `m` and is
//!   returning if their first order is in an earlier month; the new-customer
//!   share is `1 −` that.

use crate::calendar::{label, last_complete, Granularity, Period};
use crate::date::from_day;
use crate::decile::Window;
use crate::history::{History, NO_DAY};
use crate::store::Dataset;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Order-count flow steps reported: `n = 1..=12` (a year of monthly
/// deliveries for a subscription).
pub const FLOW_STEPS: u32 = 12;

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b != 0).then(|| a as f64 / b as f64)
}

/// F2 conversion of one first-order cohort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct F2Cohort {
    /// `2024-03` (or week, quarter: the cohort granularity).
    pub cohort: String,
    /// Customers counted (first order in the cohort, and early enough).
    pub customers: u64,
    /// Of them, with a second order (within the limit).
    pub converted: u64,
    pub rate: Option<f64>,
}

/// F2 conversion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct F2 {
    /// `N`, if the second order must come within `N` days of the first.
    pub within_days: Option<u32>,
    pub customers: u64,
    pub converted: u64,
    pub rate: Option<f64>,
    pub by_cohort: Vec<F2Cohort>,
}

/// One step of the order-count flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowStep {
    /// `n`.
    pub order: u32,
    /// `r_n`: customers with at least `n` orders.
    pub customers: u64,
    /// `r_{n+1}`.
    pub next: u64,
    /// `r_{n+1} / r_n`.
    pub rate: Option<f64>,
    /// `r_n / r_1`.
    pub share_of_customers: Option<f64>,
}

/// The repeat rate of a window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepeatRate {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Customers with an order in the window.
    pub customers: u64,
    /// Of them, with 2 or more orders in the window.
    pub repeat_customers: u64,
    pub rate: Option<f64>,
}

/// Returning and new buyers of one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthMix {
    /// `YYYY-MM`.
    pub month: String,
    pub buyers: u64,
    pub returning: u64,
    pub new: u64,
    pub returning_share: Option<f64>,
    pub new_share: Option<f64>,
}

/// All repeat metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Repeat {
    pub f2: F2,
    pub flow: Vec<FlowStep>,
    pub repeat_rate: RepeatRate,
    /// Complete months, oldest first.
    pub returning_by_month: Vec<MonthMix>,
}

/// Settings of the repeat metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RepeatParams {
    /// F2 counts a second order only within this many days of the first.
    pub f2_within_days: Option<u32>,
    /// The cohorts of the per-cohort F2.
    pub granularity: Granularity,
    /// The window of the repeat rate.
    pub window: Option<Window>,
}

/// F2 overall and per cohort, from the histories.
pub fn f2(history: &History, within_days: Option<u32>, g: Granularity) -> F2 {
    let cal = &history.calendar;
    let mut by: Vec<F2Cohort> = Vec::new();
    let base = history.first_day.and_then(|d| cal.period(d, g));
    let top = cal.period(history.as_of, g);
    if let (Some(base), Some(top)) = (base, top) {
        by = (base..=top)
            .map(|p| F2Cohort {
                cohort: label(p, g),
                customers: 0,
                converted: 0,
                rate: None,
            })
            .collect();
        for c in history.customer_ids() {
            let (Some(&f), Some(&s)) = (history.first.get(c), history.second.get(c)) else {
                continue;
            };
            if let Some(n) = within_days {
                if f as i64 + n as i64 > history.as_of as i64 {
                    continue; // has not had N days yet
                }
            }
            let converted =
                s != NO_DAY && within_days.is_none_or(|n| s as i64 - f as i64 <= n as i64);
            let Some(cell) = cal
                .period(f, g)
                .and_then(|p| usize::try_from(p - base).ok())
                .and_then(|i| by.get_mut(i))
            else {
                continue;
            };
            cell.customers += 1;
            cell.converted += u64::from(converted);
        }
        by.retain(|x| x.customers > 0);
        for x in &mut by {
            x.rate = ratio(x.converted, x.customers);
        }
    }
    let customers = by.iter().map(|x| x.customers).sum();
    let converted = by.iter().map(|x| x.converted).sum();
    F2 {
        within_days,
        customers,
        converted,
        rate: ratio(converted, customers),
        by_cohort: by,
    }
}

/// The order-count flow, `n = 1..=FLOW_STEPS`.
pub fn flow(history: &History) -> Vec<FlowStep> {
    let steps = FLOW_STEPS as usize;
    // reached[n] = customers with at least n orders, n = 0..=steps+1.
    let mut exactly = vec![0u64; steps + 2];
    for &k in &history.orders {
        if k > 0 {
            if let Some(x) = exactly.get_mut((k as usize).min(steps + 1)) {
                *x += 1;
            }
        }
    }
    // reached[n] = Σ_{m ≥ n} exactly[m].
    let mut reached: Vec<u64> = exactly
        .iter()
        .rev()
        .scan(0u64, |acc, &x| {
            *acc += x;
            Some(*acc)
        })
        .collect();
    reached.reverse();
    let at = |n: usize| reached.get(n).copied().unwrap_or(0);
    (1..=steps)
        .map(|n| FlowStep {
            order: n as u32,
            customers: at(n),
            next: at(n + 1),
            rate: ratio(at(n + 1), at(n)),
            share_of_customers: ratio(at(n), at(1)),
        })
        .collect()
}

/// The repeat rate of the orders in `window` (the same orders as the decile
/// table of that window, so `customers` is the decile table's).
pub fn repeat_rate(data: &Dataset, window: Window) -> RepeatRate {
    let (from, to) = window.days();
    let mut count = vec![0u8; data.customer_keys.len()];
    for o in &data.orders {
        if o.day >= from && o.day <= to {
            if let Some(k) = count.get_mut(o.customer as usize) {
                *k = k.saturating_add(1);
            }
        }
    }
    let customers = count.iter().filter(|&&k| k > 0).count() as u64;
    let repeat_customers = count.iter().filter(|&&k| k > 1).count() as u64;
    RepeatRate {
        from: window.from,
        to: window.to,
        customers,
        repeat_customers,
        rate: ratio(repeat_customers, customers),
    }
}

/// Returning and new buyers of each complete month.
pub fn returning_by_month(data: &Dataset, history: &History) -> Vec<MonthMix> {
    let cal = &history.calendar;
    let Some(base) = history.first_day.and_then(|d| cal.month(d)) else {
        return Vec::new();
    };
    let last = last_complete(from_day(history.as_of), Granularity::Month);
    if last < base {
        return Vec::new();
    }
    let mut out: Vec<MonthMix> = (base..=last)
        .map(|p| MonthMix {
            month: label(p, Granularity::Month),
            buyers: 0,
            returning: 0,
            new: 0,
            returning_share: None,
            new_share: None,
        })
        .collect();
    let mut seen = vec![Period::MIN; history.first.len()];
    for o in &data.orders {
        if o.day > history.as_of {
            continue;
        }
        let c = o.customer as usize;
        let (Some(mark), Some(&f)) = (seen.get_mut(c), history.first.get(c)) else {
            continue;
        };
        let Some(m) = cal.month(o.day) else { continue };
        if *mark == m {
            continue;
        }
        *mark = m;
        let Some(row) = usize::try_from(m - base).ok().and_then(|i| out.get_mut(i)) else {
            continue;
        };
        row.buyers += 1;
        if cal.month(f).is_some_and(|fm| fm < m) {
            row.returning += 1;
        } else {
            row.new += 1;
        }
    }
    for row in &mut out {
        row.returning_share = ratio(row.returning, row.buyers);
        row.new_share = ratio(row.new, row.buyers);
    }
    out
}

/// All repeat metrics; the repeat rate over `params.window` (the whole
/// history up to the as-of date if `None`).
pub fn repeat(data: &Dataset, history: &History, params: &RepeatParams) -> Repeat {
    let window = params.window.unwrap_or(Window {
        from: history.first_day.map_or(NaiveDate::MIN, from_day),
        to: from_day(history.as_of),
    });
    Repeat {
        f2: f2(history, params.f2_within_days, params.granularity),
        flow: flow(history),
        repeat_rate: repeat_rate(data, window),
        returning_by_month: returning_by_month(data, history),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Order;

    fn history(orders: &[(u32, i32)], customers: usize, as_of: i32) -> (Dataset, History) {
        let data = Dataset {
            orders: orders
                .iter()
                .map(|&(customer, day)| Order {
                    customer,
                    day: 738_000 + day,
                    amount: 1,
                })
                .collect(),
            customer_keys: (0..customers).map(|i| format!("k{i}")).collect(),
            ..Dataset::default()
        };
        let h = History::new(&data, from_day(738_000 + as_of)).unwrap();
        (data, h)
    }

    #[test]
    fn flow_counts_customers_reaching_each_order() {
        // Orders per customer: 3, 1, 2, 14.
        let mut orders = vec![(0, 0), (0, 1), (0, 2), (1, 0), (2, 5), (2, 6)];
        orders.extend((0..14).map(|i| (3, i)));
        orders.sort_by_key(|o| (o.1, o.0));
        let (_, h) = history(&orders, 4, 30);
        let f = flow(&h);
        let got: Vec<(u64, u64)> = f.iter().map(|s| (s.customers, s.next)).collect();
        assert_eq!(got[..4], [(4, 3), (3, 2), (2, 1), (1, 1)]);
        // The 14-order customer reaches every step shown.
        assert_eq!(
            f[11],
            FlowStep {
                order: 12,
                customers: 1,
                next: 1,
                rate: Some(1.0),
                share_of_customers: Some(0.25)
            }
        );
    }

    #[test]
    fn f2_within_days_waits_for_the_window() {
        // c0: second order 10 days after the first; c1: 40 days; c2 first
        // order 5 days before the as-of date.
        let (_, h) = history(&[(0, 0), (1, 0), (0, 10), (1, 40), (2, 45)], 3, 50);
        let f = f2(&h, Some(30), Granularity::Month);
        assert_eq!((f.customers, f.converted), (2, 1));
        let f = f2(&h, None, Granularity::Month);
        assert_eq!((f.customers, f.converted), (3, 2));
    }
}
