//! Cross-sell analysis (併売分析): which products are bought together, and
//! the first-product analysis (初回購入商品, [`crate::firstproduct`]) over
//! the same product list.
//!
//! Only orders on or before the as-of date count (the same history as
//! RFM, [`crate::history`]). Without a product column the file has no line
//! items and there is no cross-sell report.
//!
//! ## Non-products (商品でない明細)
//! Lines for shipping (送料), gift wrap (ラッピング), coupons (クーポン),
//! fees (手数料) and the like are not products and are left out of every
//! product analysis. A product is left out when its name, or its category's
//! name, contains one of the terms of the exclusion list ([`ExcludeList`];
//! setting `exclude-products`, comma-separated; an empty value excludes
//! nothing). Matching ignores case and reads full-width letters and digits
//! as ASCII (`ＳＨＩＰＰＩＮＧ` matches `shipping`). The default terms
//! ([`DEFAULT_EXCLUDE`]) are in both languages, and include BASE's option
//! rows (`商品オプション「…」`, a surcharge of the item above, see
//! [`crate::mapping::Platform::is_option_row`]); `fee` and `tip` are not
//! among them because they occur inside ordinary names (cof*fee*,
//! mul*tip*ack), nor is bare `のし` (た*のし*い): `handling fee`, `service
//! fee`, `熨斗`, `のし紙` are.
//!
//! ## Transactions (取引)
//! The mode ([`Mode`], setting `cross-sell-mode`) says what "bought
//! together" means:
//! - `order` (同一注文, the default): a transaction is an order, with or
//!   without a customer key, that has at least one product left after the
//!   exclusions; its items are its distinct products.
//! - `customer` (同一顧客): a transaction is a customer (with a key); its
//!   items are the distinct products they bought. For a directed pair A → B,
//!   the customer counts when they bought B in an order on or after the day
//!   they first bought A (the same order and the same day included; B
//!   bought only before A does not count), and, with `cross-sell-within = N`,
//!   on a day at most N days after that first day (day A + N counts, day
//!   A + N + 1 does not). Without it, any time after.
//!
//! At the category level ([`Level`], setting `cross-sell-level`) the items
//! are the categories of the products instead (products without a category
//! are left out); a file without categories falls back to products, and the
//! report says so ([`CrossSell::level_fallback`]).
//!
//! At most [`MAX_ITEMS`] distinct items of one transaction are considered
//! (the first ones, in the order of the lines): a basket of thousands of
//! products would otherwise make millions of pairs. The transactions cut
//! so are counted ([`CrossSell::capped_transactions`]).
//!
//! ## Measures
//! With `T` transactions, `n(A)` those with item A and `n(A→B)` those where
//! B counts for A (in order mode, those with both; then
//! `n(A→B) = n(B→A)`):
//! - support (支持度) `= n(A→B) / T`;
//! - confidence (併売率) `= n(A→B) / n(A)`: the share of A's transactions
//!   that also have B;
//! - lift (リフト値) `= confidence / (n(B) / T) = n(A→B) · T / (n(A) · n(B))`:
//!   above 1, B goes with A more often than with the average transaction.
//!
//! Pairs are listed when `n(A→B)` is at least the minimum support (setting
//! `cross-sell-min-support`, a number of transactions, default
//! [`DEFAULT_MIN_SUPPORT`]), by count (most first), then lift (highest
//! first), then the names of A and B; at most [`MAX_PAIRS`] of them
//! ([`CrossSell::pairs_total`] says how many qualified).
//!
//! Counting is sparse: a hash map of the pairs that occur, never a
//! products × products table, so thousands of products cost only the pairs
//! actually bought.

use crate::firstproduct::{first_products, FirstProduct};
use crate::history::History;
use crate::store::{Dataset, NO_CATEGORY, NO_CUSTOMER};
use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// The default minimum support: a pair is listed when at least this many
/// transactions have it.
pub const DEFAULT_MIN_SUPPORT: u32 = 3;
/// The most distinct items of one transaction considered.
pub const MAX_ITEMS: usize = 100;
/// The most pairs listed.
pub const MAX_PAIRS: usize = 200;
/// The most excluded product names listed.
pub const MAX_EXCLUDED_NAMES: usize = 200;

/// The default exclusion terms (see the module doc).
pub const DEFAULT_EXCLUDE: &[&str] = &[
    "送料",
    "配送料",
    "クール便",
    "ラッピング",
    "ギフト包装",
    "熨斗",
    "のし紙",
    "クーポン",
    "割引",
    "値引",
    "ポイント",
    "手数料",
    "代引",
    "商品オプション",
    "shipping",
    "delivery",
    "gift wrap",
    "wrapping",
    "coupon",
    "discount",
    "handling fee",
    "service fee",
    "gratuity",
];

/// Bytes an exclusion list may hold (its text, terms joined by commas).
pub const EXCLUDE_CAPACITY: usize = 1024;

/// What "bought together" means (see the module doc).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// In the same order (同一注文).
    #[default]
    Order,
    /// By the same customer, B on or after A (同一顧客).
    Customer,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::Order, Mode::Customer];
    /// The name in URLs, the CLI and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Order => "order",
            Mode::Customer => "customer",
        }
    }
    /// Reads a [`Mode::name`].
    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// What the pairs are made of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Products (商品).
    #[default]
    Product,
    /// Product categories (カテゴリ), where the file has them.
    Category,
}

impl Level {
    pub const ALL: [Level; 2] = [Level::Product, Level::Category];
    /// The name in URLs, the CLI and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Level::Product => "product",
            Level::Category => "category",
        }
    }
    /// Reads a [`Level::name`].
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// The exclusion list's terms, joined by commas, held inline so that the
/// settings ([`crate::report::AnalyzeParams`], which the app copies) stay
/// `Copy`. At most [`EXCLUDE_CAPACITY`] bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ExcludeList {
    len: u16,
    bytes: [u8; EXCLUDE_CAPACITY],
}

impl ExcludeList {
    /// The list of terms written `a, b, c` (commas, `、` or `，` between
    /// them; spaces around a term and empty terms dropped). Errs when the
    /// terms take more than [`EXCLUDE_CAPACITY`] bytes.
    pub fn new(text: &str) -> Result<ExcludeList, String> {
        let joined = text
            .split([',', '、', '，'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(",");
        if joined.len() > EXCLUDE_CAPACITY {
            return Err(format!(
                "the exclusion list is too long: {} bytes, at most {EXCLUDE_CAPACITY}",
                joined.len()
            ));
        }
        let mut bytes = [0u8; EXCLUDE_CAPACITY];
        if let Some(dst) = bytes.get_mut(..joined.len()) {
            dst.copy_from_slice(joined.as_bytes());
        }
        Ok(ExcludeList {
            len: joined.len() as u16,
            bytes,
        })
    }

    /// The terms joined by commas (what [`ExcludeList::new`] reads back).
    pub fn as_str(&self) -> &str {
        // Always a whole str: `new` copies one in.
        self.bytes
            .get(..self.len as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// The terms.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.as_str().split(',').filter(|t| !t.is_empty())
    }
}

impl std::fmt::Debug for ExcludeList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ExcludeList").field(&self.as_str()).finish()
    }
}

impl Serialize for ExcludeList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ExcludeList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ExcludeList::new(&text).map_err(serde::de::Error::custom)
    }
}

/// The cross-sell settings (a field missing from their JSON takes its
/// default).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CrossSellParams {
    /// Same order or same customer; default order.
    pub mode: Mode,
    /// Customer mode: B counts only within this many days of A's first
    /// purchase; default none (any time after).
    pub within_days: Option<u32>,
    /// A pair is listed from this many transactions; default
    /// [`DEFAULT_MIN_SUPPORT`].
    pub min_support: u32,
    /// Products or categories; default products.
    pub level: Level,
    /// The non-product terms; `None` for [`DEFAULT_EXCLUDE`].
    pub exclude: Option<ExcludeList>,
}

impl Default for CrossSellParams {
    fn default() -> Self {
        CrossSellParams {
            mode: Mode::Order,
            within_days: None,
            min_support: DEFAULT_MIN_SUPPORT,
            level: Level::Product,
            exclude: None,
        }
    }
}

impl CrossSellParams {
    /// The exclusion terms in force.
    pub fn exclude_terms(&self) -> Vec<&str> {
        match &self.exclude {
            Some(list) => list.terms().collect(),
            None => DEFAULT_EXCLUDE.to_vec(),
        }
    }
}

/// One directed pair A → B.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// A, as written in the file.
    pub a: String,
    /// B, as written in the file.
    pub b: String,
    /// `n(A→B)`: transactions where B goes with A.
    pub count: u64,
    /// `n(A→B) / T`.
    pub support: f64,
    /// 併売率 `n(A→B) / n(A)`.
    pub confidence: f64,
    /// `confidence / (n(B) / T)`.
    pub lift: f64,
}

/// The cross-sell and first-product report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossSell {
    pub mode: Mode,
    /// The level used.
    pub level: Level,
    /// The category level was asked for but the file has no categories:
    /// products were used.
    pub level_fallback: bool,
    /// Within days, in customer mode.
    pub within_days: Option<u32>,
    pub min_support: u32,
    /// `T`: orders (order mode) or customers (customer mode) with a product.
    pub transactions: u64,
    /// Transactions with more than [`MAX_ITEMS`] distinct items (only the
    /// first ones considered).
    pub capped_transactions: u64,
    /// Products left out as non-products, as written in the file (at most
    /// [`MAX_EXCLUDED_NAMES`], in the file's order).
    pub excluded_products: Vec<String>,
    /// How many products were left out.
    pub excluded_total: u64,
    /// The pairs at the minimum support, at most [`MAX_PAIRS`].
    pub pairs: Vec<Pair>,
    /// How many pairs reached the minimum support.
    pub pairs_total: u64,
    /// The entry products (see [`crate::firstproduct`]).
    pub first_product: Vec<FirstProduct>,
    /// How many products were in some customer's first order.
    pub first_product_total: u64,
}

type PairMap = HashMap<(u32, u32), u32, BuildHasherDefault<FxHasher>>;

/// No item: a non-product, or a product without a category at the
/// category level.
const NO_ITEM: u32 = u32::MAX;

/// Folds case and full-width ASCII (`Ａ` → `a`) for matching.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Per product id, whether it is a non-product: its name or its category's
/// name contains one of `terms` (see the module doc).
pub fn excluded_mask(data: &Dataset, terms: &[&str]) -> Vec<bool> {
    let terms: Vec<String> = terms
        .iter()
        .map(|t| fold(t.trim()))
        .filter(|t| !t.is_empty())
        .collect();
    let hit = |name: &str| {
        let name = fold(name);
        terms.iter().any(|t| name.contains(t.as_str()))
    };
    let categories: Vec<bool> = data.categories.iter().map(hit).collect();
    data.products
        .iter()
        .enumerate()
        .map(|(p, name)| {
            let category = data.product_categories.get(p).copied();
            let by_category = category
                .filter(|&c| c != NO_CATEGORY)
                .and_then(|c| categories.get(c as usize).copied())
                .unwrap_or(false);
            by_category || hit(name)
        })
        .collect()
}

/// Counts of items and pairs over the transactions.
struct Counts {
    transactions: u64,
    capped: u64,
    /// `n(A)` per item.
    single: Vec<u32>,
    /// Order mode: `(a, b)` with `a < b`, unordered. Customer mode:
    /// directed `(a, b)`.
    pairs: PairMap,
}

impl Counts {
    fn new(items: usize) -> Counts {
        Counts {
            transactions: 0,
            capped: 0,
            single: vec![0; items],
            pairs: PairMap::default(),
        }
    }
    fn add_single(&mut self, item: u32) {
        if let Some(n) = self.single.get_mut(item as usize) {
            *n = n.saturating_add(1);
        }
    }
    fn add_pair(&mut self, a: u32, b: u32) {
        let n = self.pairs.entry((a, b)).or_insert(0);
        *n = n.saturating_add(1);
    }
}

/// Order mode: each order's distinct items.
fn count_orders(data: &Dataset, item_of: &[u32], items: usize, as_of: i32) -> Counts {
    let mut c = Counts::new(items);
    let mut stamp = vec![usize::MAX; items];
    let mut basket: Vec<u32> = Vec::new();
    for (i, o) in data.orders.iter().enumerate() {
        if o.day > as_of {
            continue;
        }
        basket.clear();
        let mut capped = false;
        for l in data.lines_of(i) {
            let Some(&it) = item_of.get(l.product as usize) else {
                continue;
            };
            let Some(s) = stamp.get_mut(it as usize) else {
                continue; // NO_ITEM
            };
            if *s == i {
                continue;
            }
            *s = i;
            if basket.len() < MAX_ITEMS {
                basket.push(it);
            } else {
                capped = true;
            }
        }
        if basket.is_empty() {
            continue;
        }
        c.transactions += 1;
        c.capped += u64::from(capped);
        basket.sort_unstable();
        for (k, &a) in basket.iter().enumerate() {
            c.add_single(a);
            for &b in basket.iter().skip(k + 1) {
                c.add_pair(a, b);
            }
        }
    }
    c
}

/// Customer mode: each customer's items, B counting for A on or after A's
/// first day (within `within` days of it, if set).
fn count_customers(
    data: &Dataset,
    item_of: &[u32],
    items: usize,
    as_of: i32,
    within: Option<u32>,
) -> Counts {
    let mut c = Counts::new(items);
    // The orders of each customer, in day order (a counting sort of the
    // store, which is in day order).
    let customers = data.customer_keys.len();
    let mut starts = vec![0u32; customers + 1];
    for o in &data.orders {
        if o.day <= as_of && o.customer != NO_CUSTOMER {
            if let Some(s) = starts.get_mut(o.customer as usize + 1) {
                *s += 1;
            }
        }
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1]; // ok-panic: k and k - 1 < starts.len()
    }
    let mut next = starts.clone();
    let mut by_customer = vec![0u32; starts.last().copied().unwrap_or(0) as usize];
    for (i, o) in data.orders.iter().enumerate() {
        if o.day <= as_of && o.customer != NO_CUSTOMER {
            if let Some(n) = next.get_mut(o.customer as usize) {
                if let Some(slot) = by_customer.get_mut(*n as usize) {
                    *slot = i as u32;
                }
                *n += 1;
            }
        }
    }
    // Per customer: the distinct items (slot = position, first bought
    // first) and every (slot, day) they were bought on.
    let mut slot_of = vec![(usize::MAX, 0u32); items];
    let mut distinct: Vec<u32> = Vec::new();
    let mut seen: Vec<(u32, i32)> = Vec::new();
    let mut from: Vec<usize> = Vec::new();
    for cust in 0..customers {
        let (Some(&a), Some(&b)) = (starts.get(cust), starts.get(cust + 1)) else {
            continue;
        };
        let orders = by_customer.get(a as usize..b as usize).unwrap_or_default();
        distinct.clear();
        seen.clear();
        let mut capped = false;
        for &i in orders {
            let Some(o) = data.orders.get(i as usize) else {
                continue;
            };
            for l in data.lines_of(i as usize) {
                let Some(&it) = item_of.get(l.product as usize) else {
                    continue;
                };
                let Some(s) = slot_of.get_mut(it as usize) else {
                    continue; // NO_ITEM
                };
                if s.0 != cust {
                    if distinct.len() >= MAX_ITEMS {
                        capped = true;
                        continue;
                    }
                    *s = (cust, distinct.len() as u32);
                    distinct.push(it);
                }
                seen.push((s.1, o.day));
            }
        }
        if distinct.is_empty() {
            continue;
        }
        c.transactions += 1;
        c.capped += u64::from(capped);
        seen.sort_unstable();
        seen.dedup();
        // Each slot's days: seen[from[s]..from[s + 1]], ascending.
        from.clear();
        from.resize(distinct.len() + 1, 0);
        for &(s, _) in &seen {
            if let Some(f) = from.get_mut(s as usize + 1) {
                *f += 1;
            }
        }
        for k in 1..from.len() {
            from[k] += from[k - 1]; // ok-panic: k and k - 1 < from.len()
        }
        let days = |s: usize| -> &[(u32, i32)] {
            match (from.get(s), from.get(s + 1)) {
                (Some(&x), Some(&y)) => seen.get(x..y).unwrap_or_default(),
                _ => &[],
            }
        };
        for (sa, &ia) in distinct.iter().enumerate() {
            c.add_single(ia);
            let Some(&(_, first_a)) = days(sa).first() else {
                continue;
            };
            let last_ok = within.map_or(i64::MAX, |n| first_a as i64 + n as i64);
            for (sb, &ib) in distinct.iter().enumerate() {
                if sb == sa {
                    continue;
                }
                let d = days(sb);
                let k = d.partition_point(|&(_, day)| day < first_a);
                if d.get(k).is_some_and(|&(_, day)| day as i64 <= last_ok) {
                    c.add_pair(ia, ib);
                }
            }
        }
    }
    c
}

/// The cross-sell and first-product report of a dataset as of
/// `history.as_of`; `None` when the file has no products.
pub fn cross_sell(
    data: &Dataset,
    history: &History,
    params: &CrossSellParams,
    f2_within_days: Option<u32>,
) -> Option<CrossSell> {
    if !data.has_products() {
        return None;
    }
    let terms = params.exclude_terms();
    let excluded = excluded_mask(data, &terms);
    let has_categories = data
        .product_categories
        .iter()
        .any(|&c| c != NO_CATEGORY && (c as usize) < data.categories.len());
    let level = match params.level {
        Level::Category if has_categories => Level::Category,
        _ => Level::Product,
    };
    let (item_of, items): (Vec<u32>, usize) = match level {
        Level::Product => (
            (0..data.products.len() as u32)
                .map(|p| {
                    if excluded.get(p as usize).copied().unwrap_or(true) {
                        NO_ITEM
                    } else {
                        p
                    }
                })
                .collect(),
            data.products.len(),
        ),
        Level::Category => (
            (0..data.products.len())
                .map(|p| {
                    let c = data
                        .product_categories
                        .get(p)
                        .copied()
                        .unwrap_or(NO_CATEGORY);
                    if excluded.get(p).copied().unwrap_or(true)
                        || c as usize >= data.categories.len()
                    {
                        NO_ITEM
                    } else {
                        c
                    }
                })
                .collect(),
            data.categories.len(),
        ),
    };
    let counts = match params.mode {
        Mode::Order => count_orders(data, &item_of, items, history.as_of),
        Mode::Customer => count_customers(data, &item_of, items, history.as_of, params.within_days),
    };
    let name = |it: u32| -> &str {
        match level {
            Level::Product => data.products.get(it as usize),
            Level::Category => data.categories.get(it as usize),
        }
        .unwrap_or_default()
    };
    let (pairs, pairs_total) = top_pairs(&counts, params, name);
    let excluded_names: Vec<String> = excluded
        .iter()
        .enumerate()
        .filter(|(_, &x)| x)
        .take(MAX_EXCLUDED_NAMES)
        .map(|(p, _)| data.products[p].to_string())
        .collect();
    let (first_product, first_product_total) =
        first_products(data, history, &excluded, f2_within_days);
    Some(CrossSell {
        mode: params.mode,
        level,
        level_fallback: level != params.level,
        within_days: match params.mode {
            Mode::Customer => params.within_days,
            Mode::Order => None,
        },
        min_support: params.min_support,
        transactions: counts.transactions,
        capped_transactions: counts.capped,
        excluded_products: excluded_names,
        excluded_total: excluded.iter().filter(|&&x| x).count() as u64,
        pairs,
        pairs_total,
        first_product,
        first_product_total,
    })
}

/// The listed pairs, ranked, and how many reached the minimum support.
fn top_pairs<'a>(
    counts: &Counts,
    params: &CrossSellParams,
    name: impl Fn(u32) -> &'a str,
) -> (Vec<Pair>, u64) {
    let t = counts.transactions as f64;
    let n = |it: u32| counts.single.get(it as usize).copied().unwrap_or(0) as f64;
    let min = params.min_support.max(1);
    let mut directed: Vec<(u32, u32, u32, f64)> = Vec::new();
    for (&(a, b), &k) in &counts.pairs {
        if k < min {
            continue;
        }
        let lift = |a: u32, b: u32| k as f64 * t / (n(a) * n(b));
        directed.push((a, b, k, lift(a, b)));
        if params.mode == Mode::Order {
            directed.push((b, a, k, lift(b, a)));
        }
    }
    let total = directed.len() as u64;
    let order = |x: &(u32, u32, u32, f64), y: &(u32, u32, u32, f64)| {
        y.2.cmp(&x.2)
            .then(y.3.total_cmp(&x.3))
            .then_with(|| name(x.0).cmp(name(y.0)))
            .then_with(|| name(x.1).cmp(name(y.1)))
            .then((x.0, x.1).cmp(&(y.0, y.1)))
    };
    if directed.len() > MAX_PAIRS {
        directed.select_nth_unstable_by(MAX_PAIRS, order);
        directed.truncate(MAX_PAIRS);
    }
    directed.sort_unstable_by(order);
    let pairs = directed
        .into_iter()
        .map(|(a, b, k, lift)| Pair {
            a: name(a).to_string(),
            b: name(b).to_string(),
            count: k as u64,
            support: k as f64 / t,
            confidence: k as f64 / n(a),
            lift,
        })
        .collect();
    (pairs, total)
}
