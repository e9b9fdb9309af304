//! Decile analysis (デシル分析).
//!
//! Customers who bought in the window are sorted by spend in the window,
//! highest first (ties broken by customer key, ascending, so the result is
//! deterministic), and cut into 10 groups of equal headcount; D1 is the top.
//! With `n` customers, every decile gets `n / 10` and the first `n % 10`
//! deciles get one more.
//!
//! Per decile `d` with customers `C_d`:
//! - revenue `R_d = Σ_{c ∈ C_d} spend(c)`
//! - share `= R_d / Σ_d R_d`, cumulative share `= Σ_{e ≤ d} R_e / Σ_d R_d`
//! - average spend `= R_d / |C_d|`, min and max spend
//! - orders per customer `= orders_d / |C_d|`

use crate::date::{to_day, Day};
use crate::money::Money;
use crate::store::Dataset;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An inclusive range of days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// The `months` calendar months that end on `as_of` (inclusive): for
    /// 12 months ending 2024-12-31 that is 2024-01-01 ..= 2024-12-31.
    pub fn months_ending(as_of: NaiveDate, months: u32) -> Window {
        let from = as_of
            .checked_sub_months(chrono::Months::new(months))
            .and_then(|d| d.succ_opt())
            .unwrap_or(NaiveDate::MIN);
        Window { from, to: as_of }
    }
    pub fn days(&self) -> (Day, Day) {
        (to_day(self.from), to_day(self.to))
    }
}

/// One decile's figures: a row of the report's `deciles`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecileRow {
    /// 1 (top) to 10.
    pub decile: u8,
    pub customers: u64,
    pub revenue: Money,
    pub share: f64,
    pub cumulative_share: f64,
    pub avg_spend: Money,
    pub min_spend: Money,
    pub max_spend: Money,
    pub orders_per_customer: f64,
}

/// The decile table of one window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DecileTable {
    pub window: Window,
    /// Customers who bought in the window.
    pub customers: u64,
    /// Their revenue in the window.
    pub revenue: Money,
    /// Always 10 rows, D1 first; a decile with no customer has zeros.
    pub rows: Vec<DecileRow>,
}

/// A customer's spend in the window.
#[derive(Clone, Copy, Debug)]
struct Spend {
    customer: u32,
    spend: i64,
    orders: u32,
}

/// Each customer's spend (minor units) and orders in `window`, indexed by
/// customer id; `(0, 0)` for a customer who did not buy in it. The value
/// the deciles sort by (and the customer ranks' 12-month value,
/// [`crate::ranks`]).
pub fn window_spend(data: &Dataset, window: Window) -> Vec<(i64, u32)> {
    let (from, to) = window.days();
    let mut per: Vec<(i64, u32)> = vec![(0, 0); data.customer_keys.len()];
    for o in data.customer_orders() {
        if o.day >= from && o.day <= to {
            if let Some(p) = per.get_mut(o.customer as usize) {
                p.0 = p.0.saturating_add(o.amount);
                p.1 += 1;
            }
        }
    }
    per
}

/// Computes the decile table of the orders in `window`.
pub fn deciles(data: &Dataset, window: Window) -> DecileTable {
    let exp = data.info.minor_exponent;
    let money = |minor: i64| Money::from_minor(minor, exp);
    let per = window_spend(data, window);
    let mut spends: Vec<Spend> = per
        .iter()
        .enumerate()
        .filter(|(_, p)| p.1 > 0)
        .map(|(i, p)| Spend {
            customer: i as u32,
            spend: p.0,
            orders: p.1,
        })
        .collect();
    let keys = &data.customer_keys;
    spends.sort_unstable_by(|a, b| {
        b.spend
            .cmp(&a.spend)
            .then_with(|| keys[a.customer as usize].cmp(&keys[b.customer as usize]))
    });
    let n = spends.len();
    let total: i64 = spends.iter().fold(0i64, |a, s| a.saturating_add(s.spend));
    let share = |x: i64| {
        if total == 0 {
            0.0
        } else {
            x as f64 / total as f64
        }
    };
    let mut rows = Vec::with_capacity(10);
    let mut start = 0usize;
    let mut cumulative = 0i64;
    for d in 0..10usize {
        let size = n / 10 + usize::from(d < n % 10);
        let group = &spends[start..start + size];
        start += size;
        let revenue: i64 = group.iter().fold(0i64, |a, s| a.saturating_add(s.spend));
        let orders: u64 = group.iter().map(|s| s.orders as u64).sum();
        cumulative = cumulative.saturating_add(revenue);
        let per_customer = |x: f64| if size == 0 { 0.0 } else { x / size as f64 };
        rows.push(DecileRow {
            decile: d as u8 + 1,
            customers: size as u64,
            revenue: money(revenue),
            share: share(revenue),
            cumulative_share: share(cumulative),
            avg_spend: Money::from_minor_f64(per_customer(revenue as f64), exp),
            min_spend: money(group.last().map_or(0, |s| s.spend)),
            max_spend: money(group.first().map_or(0, |s| s.spend)),
            orders_per_customer: per_customer(orders as f64),
        });
    }
    DecileTable {
        window,
        customers: n as u64,
        revenue: money(total),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Order, NO_CUSTOMER};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A dataset with one order per (key, amount) on the given day.
    fn data(orders: &[(&str, i64, &str)]) -> Dataset {
        let mut keys: Vec<Box<str>> = Vec::new();
        let mut out = Vec::new();
        for (k, a, d) in orders {
            let id = match keys.iter().position(|x| &**x == *k) {
                Some(i) => i as u32,
                None if k.is_empty() => NO_CUSTOMER,
                None => {
                    keys.push((*k).into());
                    (keys.len() - 1) as u32
                }
            };
            out.push(Order {
                customer: id,
                day: to_day(day(d)),
                amount: *a,
            });
        }
        out.sort_by_key(|o| (o.day, o.customer));
        Dataset {
            orders: out,
            customer_keys: keys.into_iter().collect(),
            ..Dataset::default()
        }
    }

    fn all_year() -> Window {
        Window {
            from: day("2024-01-01"),
            to: day("2024-12-31"),
        }
    }

    #[test]
    fn twelve_customers_remainder_goes_to_the_top() {
        // Spends 1200, 1100, ..., 100: 12 customers -> D1 and D2 have 2.
        let names: Vec<String> = (0..12).map(|i| format!("c{i:02}")).collect();
        let orders: Vec<(&str, i64, &str)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), (12 - i as i64) * 100, "2024-05-01"))
            .collect();
        let t = deciles(&data(&orders), all_year());
        let sizes: Vec<u64> = t.rows.iter().map(|r| r.customers).collect();
        assert_eq!(sizes, vec![2, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(t.revenue.minor(), 7800.0);
        assert_eq!(t.rows[0].revenue.minor(), 2300.0);
        assert_eq!(t.rows[0].min_spend.minor(), 1100.0);
        assert_eq!(t.rows[0].max_spend.minor(), 1200.0);
        assert_eq!(t.rows[0].avg_spend.minor(), 1150.0);
        assert_eq!(t.rows[1].revenue.minor(), 1900.0);
        assert_eq!(t.rows[9].revenue.minor(), 100.0);
        assert!((t.rows[0].share - 2300.0 / 7800.0).abs() < 1e-15);
        assert!((t.rows[1].cumulative_share - 4200.0 / 7800.0).abs() < 1e-15);
        assert_eq!(t.rows[9].cumulative_share, 1.0);
    }

    #[test]
    fn ties_are_broken_by_key_and_orders_sum_per_customer() {
        // b and a tie at 500 (a sorts first); c has two orders = 600.
        let t = deciles(
            &data(&[
                ("b", 500, "2024-02-01"),
                ("a", 500, "2024-02-01"),
                ("c", 200, "2024-03-01"),
                ("c", 400, "2024-04-01"),
            ]),
            all_year(),
        );
        assert_eq!(t.customers, 3);
        let r: Vec<(u64, f64, f64)> = t
            .rows
            .iter()
            .map(|r| (r.customers, r.revenue.minor(), r.orders_per_customer))
            .collect();
        assert_eq!(
            r[..4],
            [
                (1, 600.0, 2.0),
                (1, 500.0, 1.0),
                (1, 500.0, 1.0),
                (0, 0.0, 0.0)
            ]
        );
        assert_eq!(t.rows[0].orders_per_customer, 2.0);
        assert_eq!(t.rows[3].avg_spend.minor(), 0.0);
        // Swap the order of the input: same table.
        let t2 = deciles(
            &data(&[
                ("a", 500, "2024-02-01"),
                ("c", 400, "2024-04-01"),
                ("b", 500, "2024-02-01"),
                ("c", 200, "2024-03-01"),
            ]),
            all_year(),
        );
        assert_eq!(t, t2);
    }

    #[test]
    fn window_bounds_are_inclusive_and_keyless_orders_do_not_count() {
        let t = deciles(
            &data(&[
                ("a", 100, "2023-12-31"),
                ("a", 200, "2024-01-01"),
                ("b", 300, "2024-12-31"),
                ("c", 999, "2025-01-01"),
                ("", 5000, "2024-06-01"),
            ]),
            all_year(),
        );
        assert_eq!(t.customers, 2);
        assert_eq!(t.revenue.minor(), 500.0);
        assert_eq!(t.rows[0].revenue.minor(), 300.0);
    }

    #[test]
    fn hand_built_datasets_out_of_range_do_not_panic() {
        let mut d = data(&[("a", i64::MAX, "2024-05-01"), ("b", i64::MAX, "2024-05-02")]);
        d.orders.push(Order {
            customer: 99,
            day: to_day(day("2024-05-03")),
            amount: 5,
        });
        let t = deciles(&d, all_year());
        assert_eq!(t.customers, 2);
        assert_eq!(t.revenue.minor(), i64::MAX as f64);
        assert_eq!(d.customers(), 2);
        assert_eq!(d.revenue(), i64::MAX);
    }

    #[test]
    fn twelve_months_ending() {
        let w = Window::months_ending(day("2024-12-31"), 12);
        assert_eq!(w.from, day("2024-01-01"));
        let w = Window::months_ending(day("2024-02-29"), 12);
        assert_eq!(w.from, day("2023-03-01"));
    }

    #[test]
    fn hundred_customers_are_ten_per_decile() {
        let names: Vec<String> = (0..100).map(|i| format!("k{i:03}")).collect();
        let orders: Vec<(&str, i64, &str)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i as i64 + 1, "2024-07-07"))
            .collect();
        let t = deciles(&data(&orders), all_year());
        assert!(t.rows.iter().all(|r| r.customers == 10));
        // D1 = 91..=100, sum 955; total 5050.
        assert_eq!(t.rows[0].revenue.minor(), 955.0);
        assert_eq!(t.rows[0].min_spend.minor(), 91.0);
        assert_eq!(t.rows[9].revenue.minor(), 55.0);
    }
}
