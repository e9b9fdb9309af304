//! Each customer's purchase history as of a date (顧客ごとの購買履歴): the
//! per-customer arrays the cohort, LTV, tenure and repeat analyses share,
//! built in one pass over the orders.
//!
//! Only orders on or before the as-of date count, and only orders with a
//! customer key ([`crate::store::NO_CUSTOMER`] is left out). Every usable
//! order is an order here whatever its amount: a refund booked as its own
//! negative order counts as an order and lowers revenue.

use crate::calendar::Calendar;
use crate::date::{to_day, Day};
use crate::error::Error;
use crate::store::Dataset;
use chrono::NaiveDate;

/// A day that no order has (the first day of a customer without orders).
pub const NO_DAY: Day = Day::MAX;

/// Per customer id (index into [`Dataset::customer_keys`]): first, second
/// and last order day and the number of orders, as of [`History::as_of`].
#[derive(Clone, Debug, Default)]
pub struct History {
    /// The as-of date.
    pub as_of: Day,
    /// First order day, or [`NO_DAY`] for a customer with no order by then.
    pub first: Vec<Day>,
    /// Second order day (the same day as the first if both were then), or
    /// [`NO_DAY`].
    pub second: Vec<Day>,
    /// Last order day (meaningful where `first` is not [`NO_DAY`]).
    pub last: Vec<Day>,
    /// Number of orders.
    pub orders: Vec<u32>,
    /// Customers with at least one order.
    pub customers: u64,
    /// The earliest first order.
    pub first_day: Option<Day>,
    /// Day → month lookup from [`History::first_day`] to the as-of date.
    pub calendar: Calendar,
}

impl History {
    /// Builds the histories as of `as_of`. Fails only if the first order and
    /// the as-of date are more than [`Calendar::MAX_DAYS`] apart.
    pub fn new(data: &Dataset, as_of: NaiveDate) -> Result<History, Error> {
        let as_of = to_day(as_of);
        let n = data.customer_keys.len();
        let mut h = History {
            as_of,
            first: vec![NO_DAY; n],
            second: vec![NO_DAY; n],
            last: vec![Day::MIN; n],
            orders: vec![0; n],
            ..History::default()
        };
        for o in &data.orders {
            if o.day > as_of {
                continue;
            }
            let c = o.customer as usize;
            let (Some(first), Some(second), Some(last), Some(count)) = (
                h.first.get_mut(c),
                h.second.get_mut(c),
                h.last.get_mut(c),
                h.orders.get_mut(c),
            ) else {
                continue; // no customer key
            };
            if o.day < *first {
                *second = *first;
                *first = o.day;
            } else if o.day < *second {
                *second = o.day;
            }
            *last = (*last).max(o.day);
            *count = count.saturating_add(1);
        }
        h.customers = h.orders.iter().filter(|&&k| k > 0).count() as u64;
        h.first_day = h.first.iter().copied().filter(|&d| d != NO_DAY).min();
        if let Some(f) = h.first_day {
            h.calendar = Calendar::new(f, as_of)?;
        }
        Ok(h)
    }

    /// Customer ids with at least one order.
    pub fn customer_ids(&self) -> impl Iterator<Item = usize> + '_ {
        self.orders
            .iter()
            .enumerate()
            .filter(|(_, &k)| k > 0)
            .map(|(c, _)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Order, NO_CUSTOMER};

    #[test]
    fn first_second_last_and_counts() {
        let o = |customer, day, amount| Order {
            customer,
            day,
            amount,
        };
        let data = Dataset {
            orders: vec![
                o(1, 100, 5),
                o(0, 100, 5),
                o(1, 100, 7),
                o(NO_CUSTOMER, 101, 9),
                o(7, 101, 9), // an id past the key list: ignored
                o(0, 110, -3),
                o(0, 120, 1),
                o(0, 200, 1), // after the as-of date
            ],
            customer_keys: ["a", "b", "c"].into_iter().collect(),
            ..Dataset::default()
        };
        let h = History::new(&data, crate::date::from_day(150)).unwrap();
        assert_eq!(h.first, vec![100, 100, NO_DAY]);
        assert_eq!(h.second, vec![110, 100, NO_DAY]);
        assert_eq!(h.last[..2], [120, 100]);
        assert_eq!(h.orders, vec![3, 2, 0]);
        assert_eq!(h.customers, 2);
        assert_eq!(h.first_day, Some(100));
        assert_eq!(h.customer_ids().collect::<Vec<_>>(), vec![0, 1]);
    }
}
