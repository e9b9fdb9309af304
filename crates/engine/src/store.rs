//! The order store: every usable order as 16 bytes, customers interned as
//! small integer ids, plus the summary of how the file was read.

use crate::date::{from_day, Day};
use crate::error::{Problem, ProblemKind};
use crate::mapping::Platform;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Customer id of an order that has no customer key.
pub const NO_CUSTOMER: u32 = u32::MAX;

/// One usable order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    /// Index into [`Dataset::customer_keys`], or [`NO_CUSTOMER`].
    pub customer: u32,
    /// The order's local date (days from CE, see [`crate::date`]).
    pub day: Day,
    /// Net amount in minor units (total as exported, partial refunds
    /// subtracted).
    pub amount: i64,
}

/// No category: the file has no category column, or the cell was empty.
pub const NO_CATEGORY: u32 = u32::MAX;

/// One line item of an order (明細行): which product, how many, for how
/// much. 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Index into [`Dataset::products`].
    pub product: u32,
    /// Units bought: the quantity cell if a positive whole number, else 1
    /// (no quantity column, an empty or unreadable cell, 0 or less).
    pub quantity: u32,
    /// The line's amount in minor units: unit price × the quantity cell as
    /// the order's sum reads it (1 when empty or unreadable; so a 0 or
    /// negative quantity gives 0 or a negative amount) where the file has a
    /// line price, else 0. Without an order total the lines of an order add
    /// up to its amount.
    pub amount: i64,
}

/// A line item given by its text (tests, benchmarks:
/// [`Dataset::from_baskets`]).
#[derive(Clone, Copy, Debug)]
pub struct LineInput<'a> {
    pub product: &'a str,
    pub category: Option<&'a str>,
    pub quantity: u32,
    pub amount: i64,
}

/// Why an order was left out of the analyses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// Cancelled (a cancel status, or a cancelled-at date).
    Cancelled,
    /// Payment voided.
    Voided,
    /// Refunded in full.
    Refunded,
    /// Payment failed or never completed.
    Failed,
    /// A test order.
    Test,
    /// No date on any row of the order.
    MissingDate,
    /// The date could not be read.
    InvalidDate,
    /// No amount on any row of the order.
    MissingAmount,
    /// The amount could not be read.
    InvalidAmount,
    /// In another currency than the one analysed.
    OtherCurrency,
}

impl ExclusionReason {
    pub const ALL: [ExclusionReason; 10] = [
        ExclusionReason::Cancelled,
        ExclusionReason::Voided,
        ExclusionReason::Refunded,
        ExclusionReason::Failed,
        ExclusionReason::Test,
        ExclusionReason::MissingDate,
        ExclusionReason::InvalidDate,
        ExclusionReason::MissingAmount,
        ExclusionReason::InvalidAmount,
        ExclusionReason::OtherCurrency,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ExclusionReason::Cancelled => "cancelled",
            ExclusionReason::Voided => "voided",
            ExclusionReason::Refunded => "refunded",
            ExclusionReason::Failed => "failed",
            ExclusionReason::Test => "test",
            ExclusionReason::MissingDate => "missing_date",
            ExclusionReason::InvalidDate => "invalid_date",
            ExclusionReason::MissingAmount => "missing_amount",
            ExclusionReason::InvalidAmount => "invalid_amount",
            ExclusionReason::OtherCurrency => "other_currency",
        }
    }
    /// English description (the CLI's; the UI translates by `name`).
    pub fn describe(self) -> &'static str {
        match self {
            ExclusionReason::Cancelled => "cancelled orders",
            ExclusionReason::Voided => "voided payments",
            ExclusionReason::Refunded => "fully refunded orders",
            ExclusionReason::Failed => "failed or unfinished payments",
            ExclusionReason::Test => "test orders",
            ExclusionReason::MissingDate => "no order date",
            ExclusionReason::InvalidDate => "unreadable order date",
            ExclusionReason::MissingAmount => "no order amount",
            ExclusionReason::InvalidAmount => "unreadable order amount",
            ExclusionReason::OtherCurrency => "another currency",
        }
    }
}

/// Rows and orders left out for one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub reason: ExclusionReason,
    pub orders: u64,
    pub rows: u64,
}

/// Orders in one currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyCount {
    pub code: String,
    pub orders: u64,
}

/// How the file was read: what the summary table and the CLI report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadInfo {
    /// Encoding used (e.g. "UTF-8", "Shift_JIS").
    pub encoding: String,
    /// Delimiter used.
    pub delimiter: char,
    pub platform: Option<Platform>,
    /// Currency of the amounts (ISO code), if known.
    pub currency: Option<String>,
    /// Digits of the minor unit (0 for JPY, 2 for USD).
    pub minor_exponent: u8,
    /// Data rows read (the header not counted; blank rows not counted).
    pub rows: u64,
    /// Orders assembled from the rows, usable or not.
    pub orders_read: u64,
    /// Per reason, the orders and rows left out.
    pub exclusions: Vec<Exclusion>,
    /// Usable orders with no customer key: in revenue, not in customer
    /// analyses.
    pub orders_without_customer: u64,
    /// Cells that could not be read, by kind.
    pub problem_counts: Vec<(ProblemKind, u64)>,
    /// The first problems, with line and column.
    pub problems: Vec<Problem>,
    /// Byte sequences that were not valid in the encoding (replaced).
    pub invalid_byte_sequences: u64,
    /// How dates whose year comes last were read.
    pub date_order: crate::date::DateOrder,
    /// No cell proved the day/month order of such dates: ask the user.
    pub date_order_ambiguous: bool,
    /// How amounts' decimals were read.
    pub decimal_mark: crate::money::DecimalMark,
    /// Orders per currency in the file, most first (empty without a
    /// currency column). Only [`ReadInfo::currency`] is analysed.
    pub currencies: Vec<CurrencyCount>,
    /// The header row and the column mapping the file was read with (so
    /// the app can offer to change the customer key or remap).
    pub headers: Vec<String>,
    pub mapping: crate::mapping::ColumnMapping,
    /// What the user should know about this format (e.g. "this report has
    /// no buyer column"), in English; the app translates by platform.
    pub note: Option<Cow<'static, str>>,
    /// Fields whose column was decided by its content, no header naming it
    /// ([`crate::mapping::MappingGuess::from_content`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_content: Vec<crate::mapping::Field>,
}

impl ReadInfo {
    /// Rows belonging to excluded orders.
    pub fn excluded_rows(&self) -> u64 {
        self.exclusions.iter().map(|e| e.rows).sum()
    }
}

/// Interned strings in one buffer: `keys[i]` is the `i`th key pushed.
/// One allocation for all keys instead of one each (a million customers
/// cost their text plus 8 bytes each, not 40 more in allocator overhead).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys {
    text: String,
    ends: Vec<usize>,
}

impl Keys {
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// The `i`th key.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
    /// The text of all keys and where each ends (for [`crate::ingest::Part`]'s
    /// byte form).
    pub(crate) fn raw(&self) -> (&str, &[usize]) {
        (&self.text, &self.ends)
    }
    /// Keys from [`Keys::raw`]'s parts; `None` unless every end is a char
    /// boundary of `text`, in order.
    pub(crate) fn from_raw(text: String, ends: Vec<usize>) -> Option<Keys> {
        let mut prev = 0;
        for &e in &ends {
            if e < prev || !text.is_char_boundary(e) {
                return None;
            }
            prev = e;
        }
        (prev == text.len()).then_some(Keys { text, ends })
    }
    /// Appends a key; returns its index.
    pub fn push(&mut self, key: &str) -> usize {
        self.text.push_str(key);
        self.ends.push(self.text.len());
        self.ends.len() - 1
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }
    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * std::mem::size_of::<usize>()
    }
}

impl std::ops::Index<usize> for Keys {
    type Output = str;
    /// The `i`th key; "" past the end (never panics).
    fn index(&self, i: usize) -> &str {
        self.get(i).unwrap_or_default()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Keys {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut k = Keys::default();
        for s in iter {
            k.push(s.as_ref());
        }
        k
    }
}

/// Everything the analyses need: usable orders and interned customers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// Usable orders, sorted by day, then customer (with line items, ties
    /// in the order the file met them).
    pub orders: Vec<Order>,
    /// Customer keys, indexed by [`Order::customer`].
    pub customer_keys: Keys,
    pub info: ReadInfo,
    /// Every usable order's line items, order by order:
    /// `lines[line_starts[i]..line_starts[i + 1]]` belong to `orders[i]`.
    /// Both empty when the file has no product column.
    pub lines: Vec<Line>,
    pub line_starts: Vec<u32>,
    /// Product names as written in the file, indexed by [`Line::product`].
    pub products: Keys,
    /// Each product's category: an index into [`Dataset::categories`], or
    /// [`NO_CATEGORY`]. Same length as `products`. A read gives a product
    /// the first non-empty category on its rows. Products and categories
    /// met only on excluded orders are listed too (no line refers to them).
    pub product_categories: Vec<u32>,
    /// Category names as written in the file.
    pub categories: Keys,
}

impl Dataset {
    /// A dataset of ready-made orders (tests, benchmarks): the orders
    /// sorted by day, then customer, as a read leaves them, and the
    /// customers' keys by id. Nothing is excluded and `info` is empty.
    pub fn from_orders(
        mut orders: Vec<Order>,
        customer_keys: impl IntoIterator<Item = String>,
    ) -> Dataset {
        orders.sort_by_key(|o| (o.day, o.customer));
        Dataset {
            orders,
            customer_keys: customer_keys.into_iter().collect(),
            ..Dataset::default()
        }
    }

    /// A dataset of orders with their line items (tests, benchmarks):
    /// as [`Dataset::from_orders`], with products and categories interned
    /// in the order they first appear. A product keeps the first category
    /// given for it.
    pub fn from_baskets<'a>(
        mut baskets: Vec<(Order, Vec<LineInput<'a>>)>,
        customer_keys: impl IntoIterator<Item = String>,
    ) -> Dataset {
        baskets.sort_by_key(|(o, _)| (o.day, o.customer));
        let mut data = Dataset {
            customer_keys: customer_keys.into_iter().collect(),
            ..Dataset::default()
        };
        let mut product_ids: std::collections::HashMap<&'a str, u32> = Default::default();
        let mut category_ids: std::collections::HashMap<&'a str, u32> = Default::default();
        data.line_starts.push(0);
        for (order, lines) in baskets {
            data.orders.push(order);
            for l in lines {
                let product = *product_ids.entry(l.product).or_insert_with(|| {
                    let category = match l.category {
                        Some(c) => *category_ids
                            .entry(c)
                            .or_insert_with(|| data.categories.push(c) as u32),
                        None => NO_CATEGORY,
                    };
                    data.product_categories.push(category);
                    data.products.push(l.product) as u32
                });
                data.lines.push(Line {
                    product,
                    quantity: l.quantity,
                    amount: l.amount,
                });
            }
            data.line_starts.push(data.lines.len() as u32);
        }
        data
    }

    /// Whether the orders carry line items (the file has a product column).
    pub fn has_products(&self) -> bool {
        self.line_starts.len() == self.orders.len() + 1 && !self.products.is_empty()
    }

    /// The line items of `orders[i]`; empty without products or past the
    /// end (never panics).
    pub fn lines_of(&self, i: usize) -> &[Line] {
        match (self.line_starts.get(i), self.line_starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.lines.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Orders with a customer key.
    pub fn customer_orders(&self) -> impl Iterator<Item = &Order> {
        self.orders.iter().filter(|o| o.customer != NO_CUSTOMER)
    }
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.orders.first().map(|o| from_day(o.day))
    }
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.orders.last().map(|o| from_day(o.day))
    }
    /// Sum of usable order amounts (minor units), with or without a key.
    pub fn revenue(&self) -> i64 {
        self.orders
            .iter()
            .fold(0i64, |a, o| a.saturating_add(o.amount))
    }
    /// Distinct customers with at least one usable order.
    pub fn customers(&self) -> u64 {
        let mut seen = vec![false; self.customer_keys.len()];
        let mut n = 0;
        for o in self.customer_orders() {
            if let Some(s) = seen.get_mut(o.customer as usize) {
                if !*s {
                    *s = true;
                    n += 1;
                }
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(
        product: &'static str,
        category: Option<&'static str>,
        quantity: u32,
        amount: i64,
    ) -> LineInput<'static> {
        LineInput {
            product,
            category,
            quantity,
            amount,
        }
    }

    #[test]
    fn baskets_keep_their_lines_through_the_sort() {
        let o = |customer, day| Order {
            customer,
            day,
            amount: 100,
        };
        let data = Dataset::from_baskets(
            vec![
                (o(1, 20), vec![line("Tea", Some("Drinks"), 2, 60)]),
                (
                    o(0, 10),
                    vec![
                        line("Cake", None, 1, 40),
                        line("Tea", Some("Sweets"), 1, 30),
                    ],
                ),
                (o(0, 15), vec![]),
            ],
            ["a".to_string(), "b".to_string()],
        );
        assert!(data.has_products());
        assert_eq!(
            data.orders.iter().map(|o| o.day).collect::<Vec<_>>(),
            [10, 15, 20]
        );
        let names = |i: usize| -> Vec<&str> {
            data.lines_of(i)
                .iter()
                .map(|l| &data.products[l.product as usize])
                .collect()
        };
        assert_eq!(names(0), ["Cake", "Tea"]);
        assert!(names(1).is_empty());
        assert_eq!(names(2), ["Tea"]);
        assert_eq!(data.lines_of(2)[0].quantity, 2);
        assert!(data.lines_of(3).is_empty());
        // "Tea" keeps the category it was first given with ("Sweets" here,
        // as the sort put day 10 first).
        let tea = data.lines_of(2)[0].product as usize;
        assert_eq!(
            &data.categories[data.product_categories[tea] as usize],
            "Sweets"
        );
        let cake = data.lines_of(0)[0].product as usize;
        assert_eq!(data.product_categories[cake], NO_CATEGORY);
    }

    #[test]
    fn a_dataset_without_lines_has_no_products() {
        let data = Dataset::from_orders(
            vec![Order {
                customer: 0,
                day: 1,
                amount: 5,
            }],
            ["a".to_string()],
        );
        assert!(!data.has_products());
        assert!(data.lines_of(0).is_empty());
    }
}
