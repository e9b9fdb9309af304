//! First-product analysis (初回購入商品分析): which entry products bring the
//! customers who come back and spend the most.
//!
//! Over the orders on or before the as-of date and the customers with a
//! key ([`crate::history`]). A customer's first order is their first order
//! in the store (the earliest day; of two orders on that day, the one the
//! file lists first). Each product of that first order, non-products
//! ([`crate::crosssell`]'s exclusion list) left out, is an entry product of
//! the customer: a customer whose first order has two products counts
//! under both, so the rows' customers may add up to more than the
//! customers.
//!
//! For entry product P:
//! - customers = customers with P in their first order;
//! - F2 rate (F2転換率) = of them, the share with a second order, exactly as
//!   [`crate::repeat`] counts F2: with a limit of N days (setting
//!   `f2-within`), only customers whose first order is at least N days
//!   before the as-of date count, and the second order must come at most N
//!   days after the first (a second order on the first day counts);
//!   `None` when no customer counts;
//! - 12-month LTV (12か月LTV) = over the customers with P whose 12 months
//!   are observed, `Σ spend / customers_12m`, where spend is the sum of the
//!   customer's order amounts in the calendar month of the first order and
//!   the 11 after it (first order included) — [`crate::ltv`]'s convention:
//!   the months are observed when the 12th month has ended on or before
//!   the as-of date ([`crate::calendar::last_complete`]). A first order in
//!   January 2024 is observed as of 2024-12-31, not as of 2024-12-30.
//!
//! Rows are ranked by customers (most first), then 12-month LTV (highest
//! first, none last), then name; at most [`MAX_FIRST_PRODUCTS`].

use crate::calendar::{last_complete, Granularity};
use crate::date::from_day;
use crate::history::{History, NO_DAY};
use crate::money::Money;
use crate::store::Dataset;
use serde::{Deserialize, Serialize};

/// The most entry products listed.
pub const MAX_FIRST_PRODUCTS: usize = 100;

/// Months of the first-product LTV.
pub const LTV_MONTHS: i32 = 12;

/// One entry product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirstProduct {
    /// The product, as written in the file.
    pub product: String,
    /// Customers with it in their first order.
    pub customers: u64,
    /// Share of them with a second order (within the F2 limit).
    pub f2_rate: Option<f64>,
    /// Customers with it in their first order and 12 months observed.
    pub customers_12m: u64,
    /// Their average spend in the 12 months from the first order.
    pub ltv_12m: Option<Money>,
}

#[derive(Clone, Copy, Default)]
struct Tally {
    customers: u64,
    f2_customers: u64,
    f2_converted: u64,
    customers_12m: u64,
    spend_12m: i64,
}

/// The entry products, ranked, and how many products were in some first
/// order. `excluded[p]` marks the non-products.
pub fn first_products(
    data: &Dataset,
    history: &History,
    excluded: &[bool],
    f2_within_days: Option<u32>,
) -> (Vec<FirstProduct>, u64) {
    let cal = &history.calendar;
    let as_of = history.as_of;
    let observed_until = last_complete(from_day(as_of), Granularity::Month);
    let customers = history.first.len();
    // First month of each customer with 12 observed months, else None.
    let first_month: Vec<Option<i32>> = history
        .first
        .iter()
        .map(|&f| {
            if f == NO_DAY {
                return None;
            }
            cal.month(f)
                .filter(|&m| m as i64 + LTV_MONTHS as i64 - 1 <= observed_until as i64)
        })
        .collect();
    let mut spend = vec![0i64; customers];
    for o in &data.orders {
        if o.day > as_of {
            continue;
        }
        let c = o.customer as usize;
        let (Some(Some(first)), Some(s)) = (first_month.get(c), spend.get_mut(c)) else {
            continue;
        };
        if cal
            .month(o.day)
            .is_some_and(|m| (m as i64) < *first as i64 + LTV_MONTHS as i64)
        {
            *s = s.saturating_add(o.amount);
        }
    }
    let mut tally = vec![Tally::default(); data.products.len()];
    let mut done = vec![false; customers];
    let mut stamp = vec![usize::MAX; data.products.len()];
    for (i, o) in data.orders.iter().enumerate() {
        if o.day > as_of {
            continue;
        }
        let c = o.customer as usize;
        let Some(d) = done.get_mut(c) else {
            continue; // no customer key
        };
        if *d {
            continue;
        }
        *d = true;
        let (Some(&f), Some(&s)) = (history.first.get(c), history.second.get(c)) else {
            continue;
        };
        let f2_counts = f2_within_days.is_none_or(|n| f as i64 + n as i64 <= as_of as i64);
        let converted =
            s != NO_DAY && f2_within_days.is_none_or(|n| s as i64 - f as i64 <= n as i64);
        let observed = first_month.get(c).copied().flatten().is_some();
        let spent = spend.get(c).copied().unwrap_or(0);
        for l in data.lines_of(i) {
            let p = l.product as usize;
            if excluded.get(p).copied().unwrap_or(true) {
                continue;
            }
            let (Some(t), Some(st)) = (tally.get_mut(p), stamp.get_mut(p)) else {
                continue;
            };
            if *st == i {
                continue; // the product twice in the order
            }
            *st = i;
            t.customers += 1;
            if f2_counts {
                t.f2_customers += 1;
                t.f2_converted += u64::from(converted);
            }
            if observed {
                t.customers_12m += 1;
                t.spend_12m = t.spend_12m.saturating_add(spent);
            }
        }
    }
    let exp = data.info.minor_exponent;
    let mut rows: Vec<FirstProduct> = tally
        .iter()
        .enumerate()
        .filter(|(_, t)| t.customers > 0)
        .map(|(p, t)| FirstProduct {
            product: data.products[p].to_string(),
            customers: t.customers,
            f2_rate: (t.f2_customers > 0).then(|| t.f2_converted as f64 / t.f2_customers as f64),
            customers_12m: t.customers_12m,
            ltv_12m: (t.customers_12m > 0)
                .then(|| Money::from_minor_f64(t.spend_12m as f64 / t.customers_12m as f64, exp)),
        })
        .collect();
    let total = rows.len() as u64;
    rows.sort_by(|x, y| {
        y.customers
            .cmp(&x.customers)
            .then_with(|| {
                let l = |r: &FirstProduct| r.ltv_12m.map_or(f64::NEG_INFINITY, Money::minor);
                l(y).total_cmp(&l(x))
            })
            .then_with(|| x.product.cmp(&y.product))
    });
    rows.truncate(MAX_FIRST_PRODUCTS);
    (rows, total)
}
