//! Monthly decile trend (月次デシル推移).
//!
//! For each complete calendar month `m` (its last day on or before the
//! as-of date), the customers who bought in `m` ("buyers", with at least one
//! order that month, whatever its amount) are ranked by their net spend in
//! `m`, highest first, and cut into 10 groups of equal headcount exactly as
//! in [`crate::decile`] (the first `n mod 10` deciles get one more). Ties
//! do not change any figure reported here, so they are not broken.
//!
//! Per month and decile `d` with customers `C_{m,d}`:
//! - average spend per customer (顧客単価) `a_{m,d} = Σ_{c∈C_{m,d}} spend_m(c) / |C_{m,d}|`;
//! - growth against the previous month `g_{m,d} = a_{m,d} / a_{m−1,d} − 1`
//!   (`None` when the previous month has no such decile or a non-positive
//!   average);
//! - the planning rule: D1–D3 meet it when `g_{m,d} ≥ rule` (default
//!   +2% = 0.02, to within 1e-12); deciles 4–10 never "meet" it, the rule
//!   is not about them.
//!
//! A month with no orders has no buyers; its deciles are empty (zeros) and
//! the following month's growth is `None`.

use crate::calendar::{label, last_complete, Period};
use crate::date::from_day;
use crate::history::History;
use crate::money::Money;
use crate::store::Dataset;
use serde::{Deserialize, Serialize};

/// Deciles the +2% rule speaks about (D1–D3).
pub const RULE_DECILES: u8 = 3;

/// Float slack of the rule test, so that exactly +2% (102 after 100) meets
/// +2% whatever the rounding of the division.
const RULE_SLACK: f64 = 1e-12;

/// One decile of one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendCell {
    /// 1 (top) to 10.
    pub decile: u8,
    pub customers: u64,
    pub revenue: Money,
    /// `revenue / customers` (0 for an empty decile).
    pub avg_spend: Money,
    /// Against the same decile of the previous month.
    pub growth: Option<f64>,
    /// D1–D3 with `growth ≥ rule`.
    pub meets_rule: bool,
}

/// One month of the trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Customers with an order this month.
    pub buyers: u64,
    /// Their net revenue this month.
    pub revenue: Money,
    /// Always 10, D1 first.
    pub deciles: Vec<TrendCell>,
}

/// The monthly decile trend.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DecileTrend {
    /// Month-over-month growth D1–D3 should reach (0.02 = +2%).
    pub rule: f64,
    pub rule_deciles: u8,
    /// Complete months, oldest first, from the month of the first order.
    pub months: Vec<TrendMonth>,
}

fn month_deciles(spends: &mut [i64], exp: u8) -> Vec<TrendCell> {
    spends.sort_unstable_by(|a, b| b.cmp(a));
    let n = spends.len();
    let mut start = 0usize;
    (0..10usize)
        .map(|d| {
            let size = n / 10 + usize::from(d < n % 10);
            let group = spends.get(start..start + size).unwrap_or(&[]);
            start += size;
            let revenue = group.iter().fold(0i64, |a, &x| a.saturating_add(x));
            TrendCell {
                decile: d as u8 + 1,
                customers: size as u64,
                revenue: Money::from_minor(revenue, exp),
                avg_spend: Money::from_minor_f64(
                    if size == 0 {
                        0.0
                    } else {
                        revenue as f64 / size as f64
                    },
                    exp,
                ),
                growth: None,
                meets_rule: false,
            }
        })
        .collect()
}

/// A month's buyers, revenue and deciles.
type MonthSpends = (u64, Money, Vec<TrendCell>);

/// Per-customer spend of the month being read.
struct Accumulator {
    /// The minor-unit exponent of the amounts.
    exp: u8,
    spend: Vec<i64>,
    seen: Vec<Period>,
    touched: Vec<u32>,
}

impl Accumulator {
    fn add(&mut self, c: usize, m: Period, amount: i64) {
        if let (Some(s), Some(mark)) = (self.spend.get_mut(c), self.seen.get_mut(c)) {
            if *mark != m {
                *mark = m;
                self.touched.push(c as u32);
            }
            *s = s.saturating_add(amount);
        }
    }

    /// Ends the month in slot `i`: its deciles, and the spends reset.
    fn flush(&mut self, i: Period, slots: &mut [Option<MonthSpends>]) {
        let mut spends: Vec<i64> = Vec::with_capacity(self.touched.len());
        for &c in &self.touched {
            if let Some(s) = self.spend.get_mut(c as usize) {
                spends.push(*s);
                *s = 0;
            }
        }
        self.touched.clear();
        let buyers = spends.len() as u64;
        let revenue = spends.iter().fold(0i64, |a, &x| a.saturating_add(x));
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| slots.get_mut(i)) {
            let money = Money::from_minor(revenue, self.exp);
            *slot = Some((buyers, money, month_deciles(&mut spends, self.exp)));
        }
    }
}

/// Builds the monthly decile trend as of the histories' date. One pass over
/// the orders (sorted by day), one sort of each month's spends.
pub fn decile_trend(data: &Dataset, history: &History, rule: f64) -> DecileTrend {
    let mut trend = DecileTrend {
        rule,
        rule_deciles: RULE_DECILES,
        months: Vec::new(),
    };
    let cal = &history.calendar;
    let Some(base) = history.first_day.and_then(|d| cal.month(d)) else {
        return trend;
    };
    let last = last_complete(from_day(history.as_of), crate::calendar::Granularity::Month);
    if last < base {
        return trend;
    }
    let months = (last - base + 1) as usize;
    let mut slots: Vec<Option<MonthSpends>> = vec![None; months];
    let exp = data.info.minor_exponent;
    let mut acc = Accumulator {
        exp,
        spend: vec![0i64; history.first.len()],
        seen: vec![Period::MIN; history.first.len()],
        touched: Vec::new(),
    };
    let mut current: Option<Period> = None;
    for o in &data.orders {
        if o.day > history.as_of {
            continue;
        }
        let c = o.customer as usize;
        if c >= acc.spend.len() {
            continue; // no customer key
        }
        let Some(m) = cal.month(o.day) else { continue };
        if m > last {
            continue;
        }
        if current != Some(m) {
            if let Some(prev) = current {
                acc.flush(prev - base, &mut slots);
            }
            current = Some(m);
        }
        acc.add(c, m, o.amount);
    }
    if let Some(prev) = current {
        acc.flush(prev - base, &mut slots);
    }
    let mut previous: Option<Vec<TrendCell>> = None;
    for (i, slot) in slots.into_iter().enumerate() {
        let period = base + i as Period;
        let (buyers, revenue, mut deciles) = match slot {
            Some(x) => x,
            None => (0, Money::from_minor(0, exp), month_deciles(&mut [], exp)),
        };
        if let Some(prev) = &previous {
            for (cell, before) in deciles.iter_mut().zip(prev) {
                let (now, then) = (cell.avg_spend.minor(), before.avg_spend.minor());
                if cell.customers > 0 && before.customers > 0 && then > 0.0 {
                    let g = now / then - 1.0;
                    cell.growth = Some(g);
                    cell.meets_rule = cell.decile <= RULE_DECILES && g + RULE_SLACK >= rule;
                }
            }
        }
        previous = Some(deciles.clone());
        trend.months.push(TrendMonth {
            month: label(period, crate::calendar::Granularity::Month),
            buyers,
            revenue,
            deciles,
        });
    }
    trend
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::to_day;
    use crate::store::Order;
    use chrono::NaiveDate;

    #[test]
    fn deciles_of_one_month_cut_like_the_decile_table() {
        // 12 buyers: D1 and D2 get two each.
        let mut spends: Vec<i64> = (1..=12).map(|x| x * 100).collect();
        let cells = month_deciles(&mut spends, 0);
        let sizes: Vec<u64> = cells.iter().map(|c| c.customers).collect();
        assert_eq!(sizes, vec![2, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(cells[0].avg_spend.minor(), 1150.0);
        assert_eq!(cells[1].revenue.minor(), 1900.0);
        assert_eq!(cells[9].avg_spend.minor(), 100.0);
        assert!(month_deciles(&mut [], 0).iter().all(|c| c.customers == 0));
    }

    #[test]
    fn growth_and_the_rule() {
        let d = |s: &str| to_day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        // One buyer a month: 100 in January, 102 in February (+2% exactly
        // meets the rule), 101 in March.
        let data = Dataset {
            orders: vec![
                Order {
                    customer: 0,
                    day: d("2024-01-10"),
                    amount: 100,
                },
                Order {
                    customer: 0,
                    day: d("2024-02-10"),
                    amount: 102,
                },
                Order {
                    customer: 0,
                    day: d("2024-03-10"),
                    amount: 101,
                },
            ],
            customer_keys: ["a"].into_iter().collect(),
            ..Dataset::default()
        };
        let h = History::new(&data, NaiveDate::from_ymd_opt(2024, 3, 31).unwrap()).unwrap();
        let t = decile_trend(&data, &h, 0.02);
        let d1: Vec<(Option<f64>, bool)> = t
            .months
            .iter()
            .map(|m| (m.deciles[0].growth, m.deciles[0].meets_rule))
            .collect();
        assert_eq!(d1[0], (None, false));
        assert!(d1[1].1);
        assert!((d1[1].0.unwrap() - 0.02).abs() < 1e-12);
        assert!(!d1[2].1);
    }
}
