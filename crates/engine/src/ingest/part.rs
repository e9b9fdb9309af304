//! Reading a file in two parts at once, and joining them exactly.
//!
//! The first part is read by an ordinary [`Ingest`] up to a split point
//! just after a line end; the rest by [`Ingest::part`], on another thread
//! (the CLI) or in another worker (the browser). [`Ingest::join`] then adds
//! the second part's orders, customers, currencies, problems and line count
//! to the first, giving the same dataset as one read of the whole file,
//! bit for bit, or refuses (`Ok(false)`) and the caller reads the rest of
//! the file itself. It refuses when:
//! - the first part did not end at a record boundary (the split point was
//!   inside a quoted field, so the second part read garbage);
//! - an order continued across the split in a way whose row-by-row reading
//!   depends on its earlier rows: a problem reported on its later rows (the
//!   whole read might not have reported it), a different customer key, or
//!   amounts read with other minor digits than its currency's.
//!
//! An order continuing across the split (its line items on both sides, or
//! an unsorted file) is merged as the row-by-row read would have built it:
//! order-level fields from the first row that has them, line sums added,
//! status flags joined, the part's line items after its own. Customers,
//! currencies, products and categories new in the second part get
//! ids in the order the whole read would have given them, so every result
//! (down to the order of ties) is the same.

use super::builder::{
    Builder, Draft, BAD_AMOUNT, BAD_DATE, HAS_LINES, HAS_TOTAL, NO_CURRENCY, PROBLEM,
};
use super::lines::PartLines;
use super::{Ingest, MAX_PROBLEMS};
use crate::error::{Error, ErrorKind, Problem, ProblemKind};
use crate::mapping::Field;
use crate::money::currency_exponent;
use crate::store::{Keys, Line, NO_CUSTOMER};
use serde::{Deserialize, Serialize};

/// A later part of a file, read on its own, to be joined to the read of
/// the bytes before it. [`Part::to_bytes`] / [`Part::from_bytes`] carry it
/// between workers.
pub struct Part {
    small: Small,
    drafts: Vec<Draft>,
    /// Interned order ids; the `i`th is draft `order_drafts[i]`'s.
    order_ids: Keys,
    order_drafts: Vec<u32>,
    /// Order ids in the run form: (number, draft), after `Small::prefix`.
    run: Vec<(u64, u32)>,
    customers: Keys,
    /// Line items by part draft, products and categories by part id.
    lines: PartLines,
}

/// The part's small fields (JSON in the byte form).
#[derive(Serialize, Deserialize)]
struct Small {
    encoding: String,
    columns: usize,
    /// Line ends read.
    lines: u64,
    rows: u64,
    invalid_byte_sequences: u64,
    problems: Vec<Problem>,
    problem_counts: Vec<(ProblemKind, u64)>,
    currencies: Vec<String>,
    /// The first draft continues the order the part before ended with
    /// (rows with an empty order id under an order id column).
    leading: bool,
    /// The prefix of the run's order ids.
    prefix: Option<String>,
}

impl Ingest {
    /// Ends the read of a part started with [`Ingest::part`] and fed up to
    /// the end of the file.
    pub fn into_part(mut self) -> Result<Part, Error> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let Some(mut r) = self.reading.take() else {
            return Err(ErrorKind::Empty.into());
        };
        r.decode(&[], true);
        r.split_records(true);
        let lines = r.line - 1;
        let b = r.sink;
        let has_oid_column = b.col[Field::OrderId as usize].is_some();
        let mut problem_counts: Vec<(ProblemKind, u64)> = b.problem_counts.into_iter().collect();
        problem_counts.sort();
        Ok(Part {
            small: Small {
                encoding: b.info.encoding,
                columns: b.preview.headers.len(),
                lines,
                rows: b.info.rows,
                invalid_byte_sequences: b.info.invalid_byte_sequences,
                problems: b.info.problems,
                problem_counts,
                currencies: b.currencies,
                leading: has_oid_column
                    && !b.drafts.is_empty()
                    && b.order_ids.table_drafts.first() != Some(&0)
                    && b.order_ids.run.first().map(|e| e.1) != Some(0),
                prefix: b.order_ids.prefix,
            },
            drafts: b.drafts,
            order_ids: b.order_ids.table.keys,
            order_drafts: b.order_ids.table_drafts,
            run: b.order_ids.run,
            customers: b.customers.keys,
            lines: b.lines.into_part(),
        })
    }

    /// Joins `part`, read from exactly where this read stopped to the end
    /// of the file. `Ok(true)`: this read now holds the whole file, as if it
    /// had read it all; feed nothing more, [finish](Ingest::finish) it. `Ok(false)`: the part cannot be joined exactly (see
    /// the module notes) and nothing changed: feed the rest of the file
    /// here instead.
    pub fn join(&mut self, part: Part) -> Result<bool, Error> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let Some(r) = self.reading.as_mut() else {
            return Ok(false);
        };
        let b = &mut r.sink;
        if !r.text.is_empty()
            || part.small.encoding != b.info.encoding
            || part.small.columns != b.preview.headers.len()
        {
            return Ok(false);
        }
        let Some(plan) = b.plan(&part) else {
            return Ok(false);
        };
        let line_offset = r.line - 1;
        r.line += part.small.lines;
        b.apply(part, plan, line_offset);
        self.complete = true;
        Ok(true)
    }
}

/// How a part's drafts, customers and currencies map onto the builder's.
struct Plan {
    /// Per part draft: the builder's draft it continues, or `None` (new).
    target: Vec<Option<u32>>,
    /// Per part currency: used by the joined result.
    currency_used: Vec<bool>,
}

impl Builder {
    /// Checks that `part` joins exactly; where each of its drafts goes.
    fn plan(&self, part: &Part) -> Option<Plan> {
        let n = part.drafts.len();
        let ids = part.ids()?;
        let prefix = part.small.prefix.as_deref().unwrap_or_default();
        let mut text = String::new();
        let total_column = self.col[Field::OrderTotal as usize].is_some();
        let mut target = vec![None; n];
        let mut currency_used = vec![false; part.small.currencies.len()];
        let mut leading_target = None;
        for (j, b) in part.drafts.iter().enumerate() {
            let t = match ids[j] {
                Id::None if j == 0 && part.small.leading => {
                    leading_target = self.last_order;
                    self.last_order
                }
                Id::None => None,
                id => {
                    let t = match id {
                        Id::Run(n) => self.order_ids.find_number(prefix, n, &mut text),
                        Id::Interned(i) => self.order_ids.find(part.order_ids.get(i as usize)?),
                        Id::None => None,
                    };
                    // Two of the part's drafts continuing one order: rare
                    // enough to read those bytes again instead.
                    if t.is_some() && t == leading_target {
                        return None;
                    }
                    t
                }
            };
            let takes_currency = match t {
                Some(t) => {
                    let a = self.drafts.get(t as usize)?;
                    self.continues_exactly(a, b, part)?;
                    merge_drafts(a, b, total_column)?;
                    a.currency == NO_CURRENCY
                }
                None => true,
            };
            if takes_currency && b.currency != NO_CURRENCY {
                *currency_used.get_mut(b.currency as usize)? = true;
            }
            target[j] = t;
        }
        let new_currencies = part
            .small
            .currencies
            .iter()
            .zip(&currency_used)
            .filter(|(c, &used)| used && !self.currencies.contains(c))
            .count();
        // Far below the lumping limit (see `row`), so no index depends on
        // the order currencies were met in.
        if self.currencies.len() + new_currencies >= 200 {
            return None;
        }
        Some(Plan {
            target,
            currency_used,
        })
    }

    /// The checks of a continued order that need the builder's and the
    /// part's tables: `b` (in the part's numbering) continues `a`.
    fn continues_exactly(&self, a: &Draft, b: &Draft, part: &Part) -> Option<()> {
        if a.currency != NO_CURRENCY {
            // The later rows' amounts were read with the minor digits of
            // the sniffed currency, or of their own currency once met; the
            // whole read would have used those of the order's currency.
            let e = *self.currency_exponents.get(a.currency as usize)?;
            if e != self.preview.minor_exponent {
                return None;
            }
            if b.currency != NO_CURRENCY {
                let code = part.small.currencies.get(b.currency as usize)?;
                if currency_exponent(code) != e {
                    return None;
                }
            }
        }
        if a.customer != NO_CUSTOMER && b.customer != NO_CUSTOMER {
            // The whole read would not have looked at the later key.
            let key = part.customers.get(b.customer as usize)?;
            if self.customers.keys.get(a.customer as usize)? != key {
                return None;
            }
        }
        Some(())
    }

    /// Joins a planned part (see [`Builder::plan`]).
    fn apply(&mut self, part: Part, plan: Plan, line_offset: u64) {
        let total_column = self.col[Field::OrderTotal as usize].is_some();
        // Currencies in the part's order (the order changes no result;
        // see `plan`).
        let mut currency_map = vec![NO_CURRENCY; part.small.currencies.len()];
        for (i, code) in part.small.currencies.iter().enumerate() {
            if let Some(k) = self.currencies.iter().position(|c| c == code) {
                currency_map[i] = k as u8;
            } else if plan.currency_used[i] {
                self.currency_exponents.push(currency_exponent(code));
                self.currencies.push(code.clone());
                currency_map[i] = (self.currencies.len() - 1) as u8;
            }
        }
        // Customers new here get ids in the order they were first met, as
        // the whole read would have given them.
        let customer_of = self.customers.intern_all(&part.customers);
        self.drafts.reserve(part.drafts.len());
        let mut draft_map = Vec::with_capacity(part.drafts.len());
        for (j, mut b) in part.drafts.iter().copied().enumerate() {
            if b.customer != NO_CUSTOMER {
                b.customer = customer_of
                    .get(b.customer as usize)
                    .copied()
                    .unwrap_or(NO_CUSTOMER);
            }
            if b.currency != NO_CURRENCY {
                b.currency = currency_map
                    .get(b.currency as usize)
                    .copied()
                    .unwrap_or(NO_CURRENCY);
            }
            let target = plan.target.get(j).copied().flatten();
            match target.and_then(|t| self.drafts.get_mut(t as usize).map(|a| (t, a))) {
                Some((t, a)) => {
                    if let Some(m) = merge_drafts(a, &b, total_column) {
                        *a = m;
                    }
                    draft_map.push(t);
                }
                None => {
                    // The part's order ids are not added to the table: the
                    // file is read to its end, no later row looks them up.
                    draft_map.push(self.drafts.len() as u32);
                    self.drafts.push(b);
                }
            }
        }
        // Never `None`: a part's tables are checked when its bytes are read.
        let _ = self.lines.append(part.lines, &draft_map);
        let s = part.small;
        self.info.rows += s.rows;
        self.info.invalid_byte_sequences += s.invalid_byte_sequences;
        for (kind, n) in s.problem_counts {
            *self.problem_counts.entry(kind).or_insert(0) += n;
        }
        let room = MAX_PROBLEMS.saturating_sub(self.info.problems.len());
        self.info
            .problems
            .extend(s.problems.into_iter().take(room).map(|mut p| {
                p.line += line_offset;
                p
            }));
    }
}

/// A part's draft's order id.
#[derive(Clone, Copy)]
enum Id {
    None,
    Interned(u32),
    Run(u64),
}

impl Part {
    /// The order id of each draft; `None` if the part is inconsistent.
    fn ids(&self) -> Option<Vec<Id>> {
        let mut ids = vec![Id::None; self.drafts.len()];
        for (i, &d) in self.order_drafts.iter().enumerate() {
            *ids.get_mut(d as usize)? = Id::Interned(i as u32);
        }
        for &(n, d) in &self.run {
            *ids.get_mut(d as usize)? = Id::Run(n);
        }
        Some(ids)
    }
}

/// Draft `a` (earlier rows) continued by `b` (later rows of the same
/// order), as reading the rows one after the other builds it. Customer and
/// currency ids must be in one numbering. `None` when that reading cannot
/// be reproduced from the two drafts.
fn merge_drafts(a: &Draft, b: &Draft, total_column: bool) -> Option<Draft> {
    // A problem on a later row may depend on the earlier rows (a date is
    // not parsed once the order has one, a refund cell not read once it
    // has a refund), so the whole read might not have reported it.
    if b.state & PROBLEM != 0 {
        return None;
    }
    let mut d = *a;
    d.rows = a.rows.checked_add(b.rows)?;
    if a.currency == NO_CURRENCY {
        d.currency = b.currency;
    }
    if a.total().is_none() && !a.has_lines() {
        d.exponent = b.exponent;
    }
    if a.day().is_none() && a.flags & BAD_DATE == 0 {
        d.day = b.day;
        d.flags |= b.flags & BAD_DATE;
    }
    if a.flags & BAD_AMOUNT == 0 {
        if total_column {
            if a.total().is_none() {
                d.total = b.total;
                d.state |= b.state & HAS_TOTAL;
                d.flags |= b.flags & BAD_AMOUNT;
            }
        } else {
            // Saturated sums do not add up as the row-by-row sum does.
            let sum = a.line_sum.checked_add(b.line_sum)?;
            let saturated = |x: i64| x == i64::MAX || x == i64::MIN;
            if saturated(a.line_sum) || saturated(b.line_sum) || saturated(sum) {
                return None;
            }
            d.line_sum = sum;
            d.state |= b.state & HAS_LINES;
            d.flags |= b.flags & BAD_AMOUNT;
        }
    }
    if a.customer == NO_CUSTOMER {
        d.customer = b.customer;
    }
    d.flags |= b.flags & !(BAD_DATE | BAD_AMOUNT);
    if a.refunded == 0 {
        d.refunded = b.refunded;
    }
    Some(d)
}

/// The first bytes of [`Part::to_bytes`].
const MAGIC: &[u8; 8] = b"ltvpart2";

/// Where [`Part::write`] puts the byte form, piece by piece (a `Vec`, or
/// the browser's `Uint8Array`, so the bytes need not be in wasm memory
/// twice).
pub trait PartSink {
    fn put(&mut self, bytes: &[u8]);
}

impl PartSink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Where [`Part::read`] takes the byte form from, piece by piece.
pub trait PartSource {
    /// Fills `buf` with the next bytes; `false` if there are not enough.
    fn fill(&mut self, buf: &mut [u8]) -> bool;
    /// Bytes not read yet.
    fn remaining(&self) -> usize;
}

impl PartSource for &[u8] {
    fn fill(&mut self, buf: &mut [u8]) -> bool {
        if buf.len() > self.len() {
            return false;
        }
        let (head, rest) = self.split_at(buf.len());
        buf.copy_from_slice(head);
        *self = rest;
        true
    }
    fn remaining(&self) -> usize {
        self.len()
    }
}

/// Drafts, ends and ids are staged this many at a time.
const STAGE: usize = 4096;

impl Part {
    /// The part as bytes, to hand to another worker.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.byte_len());
        self.write(&mut out);
        out
    }

    /// Length of the byte form (what [`Part::write`] writes).
    pub fn byte_len(&self) -> usize {
        let small = serde_json::to_vec(&self.small).map_or(0, |v| v.len());
        let keys = |k: &Keys| 16 + k.raw().0.len() + k.raw().1.len() * 8;
        MAGIC.len()
            + 8
            + small
            + 8
            + self.drafts.len() * 40
            + keys(&self.order_ids)
            + 8
            + self.order_drafts.len() * 4
            + 8
            + self.run.len() * 12
            + keys(&self.customers)
            + keys(&self.lines.products)
            + 8
            + self.lines.product_categories.len() * 4
            + keys(&self.lines.categories)
            + 8
            + self.lines.drafts.len() * 4
            + 8
            + self.lines.lines.len() * 16
    }

    /// Writes the byte form to `out`.
    pub fn write(&self, out: &mut impl PartSink) {
        let small = serde_json::to_vec(&self.small).unwrap_or_default();
        out.put(MAGIC);
        put_u64(out, small.len() as u64);
        out.put(&small);
        let mut stage = Vec::with_capacity(STAGE * 40);
        put_items(out, &self.drafts, &mut stage, |d, w| {
            w.extend_from_slice(&d.total.to_le_bytes());
            w.extend_from_slice(&d.line_sum.to_le_bytes());
            w.extend_from_slice(&d.refunded.to_le_bytes());
            w.extend_from_slice(&d.day.to_le_bytes());
            w.extend_from_slice(&d.customer.to_le_bytes());
            w.extend_from_slice(&d.rows.to_le_bytes());
            w.extend_from_slice(&[d.flags, d.state, d.currency, d.exponent]);
        });
        put_keys(out, &self.order_ids, &mut stage);
        put_items(out, &self.order_drafts, &mut stage, |d, w| {
            w.extend_from_slice(&d.to_le_bytes())
        });
        put_items(out, &self.run, &mut stage, |(n, d), w| {
            w.extend_from_slice(&n.to_le_bytes());
            w.extend_from_slice(&d.to_le_bytes());
        });
        put_keys(out, &self.customers, &mut stage);
        let l = &self.lines;
        put_keys(out, &l.products, &mut stage);
        put_items(out, &l.product_categories, &mut stage, |c, w| {
            w.extend_from_slice(&c.to_le_bytes())
        });
        put_keys(out, &l.categories, &mut stage);
        put_items(out, &l.drafts, &mut stage, |d, w| {
            w.extend_from_slice(&d.to_le_bytes())
        });
        put_items(out, &l.lines, &mut stage, |l, w| {
            w.extend_from_slice(&l.product.to_le_bytes());
            w.extend_from_slice(&l.quantity.to_le_bytes());
            w.extend_from_slice(&l.amount.to_le_bytes());
        });
    }

    /// A part from [`Part::to_bytes`]; `None` (never a panic) for any
    /// other bytes: the caller then reads those bytes of the file itself.
    pub fn from_bytes(mut bytes: &[u8]) -> Option<Part> {
        Self::read(&mut bytes)
    }

    /// A part from its byte form in `src`; `None` for anything else.
    pub fn read(src: &mut impl PartSource) -> Option<Part> {
        let mut magic = [0u8; 8];
        if !src.fill(&mut magic) || &magic != MAGIC {
            return None;
        }
        let small_len = take_len(src, 1)?;
        let mut small = vec![0u8; small_len];
        src.fill(&mut small).then_some(())?;
        let small: Small = serde_json::from_slice(&small).ok()?;
        let mut stage = vec![0u8; STAGE * 40];
        let drafts = take_items(src, 40, &mut stage, |c| {
            let i64_at = |k: usize| Some(i64::from_le_bytes(c.get(k..k + 8)?.try_into().ok()?));
            let u32_at = |k: usize| Some(u32::from_le_bytes(c.get(k..k + 4)?.try_into().ok()?));
            Some(Draft {
                total: i64_at(0)?,
                line_sum: i64_at(8)?,
                refunded: i64_at(16)?,
                day: u32_at(24)? as i32,
                customer: u32_at(28)?,
                rows: u32_at(32)?,
                flags: c[36],
                state: c[37],
                currency: c[38],
                exponent: c[39],
            })
        })?;
        let order_ids = take_keys(src, &mut stage)?;
        let u32_item = |c: &[u8]| Some(u32::from_le_bytes(c.try_into().ok()?));
        let order_drafts = take_items(src, 4, &mut stage, u32_item)?;
        let run = take_items(src, 12, &mut stage, |c| {
            Some((
                u64::from_le_bytes(c.get(..8)?.try_into().ok()?),
                u32::from_le_bytes(c.get(8..)?.try_into().ok()?),
            ))
        })?;
        let customers = take_keys(src, &mut stage)?;
        let products = take_keys(src, &mut stage)?;
        let product_categories = take_items(src, 4, &mut stage, u32_item)?;
        let categories = take_keys(src, &mut stage)?;
        let line_drafts = take_items(src, 4, &mut stage, u32_item)?;
        let line_items = take_items(src, 16, &mut stage, |c| {
            Some(Line {
                product: u32::from_le_bytes(c.get(..4)?.try_into().ok()?),
                quantity: u32::from_le_bytes(c.get(4..8)?.try_into().ok()?),
                amount: i64::from_le_bytes(c.get(8..)?.try_into().ok()?),
            })
        })?;
        let lines = PartLines {
            products,
            product_categories,
            categories,
            drafts: line_drafts,
            lines: line_items,
        };
        let sound = src.remaining() == 0
            && lines.sound(drafts.len())
            && order_drafts.len() == order_ids.len()
            && order_drafts.iter().all(|&d| (d as usize) < drafts.len())
            && run.iter().all(|&(_, d)| (d as usize) < drafts.len())
            && drafts.iter().all(|d| {
                (d.customer == NO_CUSTOMER || (d.customer as usize) < customers.len())
                    && (d.currency == NO_CURRENCY || (d.currency as usize) < small.currencies.len())
            });
        sound.then_some(Part {
            small,
            drafts,
            order_ids,
            order_drafts,
            run,
            customers,
            lines,
        })
    }
}

fn put_u64(out: &mut impl PartSink, v: u64) {
    out.put(&v.to_le_bytes());
}

fn put_keys(out: &mut impl PartSink, keys: &Keys, stage: &mut Vec<u8>) {
    let (text, ends) = keys.raw();
    put_u64(out, text.len() as u64);
    out.put(text.as_bytes());
    put_items(out, ends, stage, |&e, w| {
        w.extend_from_slice(&(e as u64).to_le_bytes())
    });
}

/// Writes the count of `items`, then each as `encode` puts it, [`STAGE`]
/// at a time through `stage`.
fn put_items<T>(
    out: &mut impl PartSink,
    items: &[T],
    stage: &mut Vec<u8>,
    encode: impl Fn(&T, &mut Vec<u8>),
) {
    put_u64(out, items.len() as u64);
    for block in items.chunks(STAGE) {
        stage.clear();
        for item in block {
            encode(item, stage);
        }
        out.put(stage);
    }
}

/// Reads what [`put_items`] wrote for items of `size` bytes each.
fn take_items<T>(
    src: &mut impl PartSource,
    size: usize,
    stage: &mut [u8],
    decode: impl Fn(&[u8]) -> Option<T>,
) -> Option<Vec<T>> {
    let n = take_len(src, size)?;
    let mut items = Vec::with_capacity(n);
    while items.len() < n {
        let k = (n - items.len()).min(STAGE);
        let block = stage.get_mut(..k * size)?;
        src.fill(block).then_some(())?;
        for c in block.chunks_exact(size) {
            items.push(decode(c)?);
        }
    }
    Some(items)
}

/// A count of items of `size` bytes each, if that many bytes remain (so a
/// damaged count never allocates more than the input holds).
fn take_len(src: &mut impl PartSource, size: usize) -> Option<usize> {
    let mut w = [0u8; 8];
    src.fill(&mut w).then_some(())?;
    let n = usize::try_from(u64::from_le_bytes(w)).ok()?;
    (n.checked_mul(size)? <= src.remaining()).then_some(n)
}

fn take_keys(src: &mut impl PartSource, stage: &mut [u8]) -> Option<Keys> {
    let len = take_len(src, 1)?;
    let mut text = vec![0u8; len];
    src.fill(&mut text).then_some(())?;
    let text = String::from_utf8(text).ok()?;
    let ends = take_items(src, 8, stage, |c| {
        usize::try_from(u64::from_le_bytes(c.try_into().ok()?)).ok()
    })?;
    Keys::from_raw(text, ends)
}
