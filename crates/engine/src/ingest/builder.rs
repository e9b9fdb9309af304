//! The order builder: line-item rows assembled into orders (rows sharing
//! an order id are one order; order-level fields from the first row that
//! has them), customer keys interned, amounts read in minor units, and the
//! exclusion rules applied. Rows with a product cell are also kept as the
//! orders' line items (`lines.rs`).

use super::ids::{Interner, OrderIds};
use super::lines::StagedLines;
use super::read::RecordSink;
use super::{ExclusionRules, IngestOptions, Preview, MAX_PROBLEMS};
use crate::date::{parse_date, to_day};
use crate::error::{Error, ErrorKind, Problem, ProblemKind};
use crate::mapping::{push_key_part, Field, StatusClass, KEY_PART_SEPARATOR};
use crate::money::{currency_exponent, parse_amount_with, to_minor, ParsedAmount};
use crate::split::Record;
use crate::store::{
    CurrencyCount, Dataset, Exclusion, ExclusionReason, Line, Order, ReadInfo, NO_CUSTOMER,
};
use std::collections::HashMap;

// A draft's status flags (`Draft::flags`).
const CANCELLED: u8 = 1;
const VOIDED: u8 = 2;
const REFUNDED: u8 = 4;
const PARTIAL: u8 = 8;
pub(super) const BAD_DATE: u8 = 16;
pub(super) const BAD_AMOUNT: u8 = 32;
const FAILED: u8 = 64;
const TEST: u8 = 128;

/// Draft currency of an order without a currency cell.
pub(super) const NO_CURRENCY: u8 = u8::MAX;

/// An order being assembled from its rows: 40 bytes (a 10M-row file
/// holds six million of them while it is read).
#[derive(Clone, Copy)]
pub(super) struct Draft {
    /// Order total, if [`HAS_TOTAL`].
    pub(super) total: i64,
    pub(super) line_sum: i64,
    pub(super) refunded: i64,
    /// Day of the order, or [`NO_DAY`].
    pub(super) day: i32,
    pub(super) customer: u32,
    pub(super) rows: u32,
    pub(super) flags: u8,
    /// [`HAS_TOTAL`], [`HAS_LINES`].
    pub(super) state: u8,
    /// Index into `Builder::currencies`, or [`NO_CURRENCY`].
    pub(super) currency: u8,
    /// Minor digits its amounts were read with.
    pub(super) exponent: u8,
}

const NO_DAY: i32 = i32::MIN;
pub(super) const HAS_TOTAL: u8 = 1;
pub(super) const HAS_LINES: u8 = 2;
/// A problem was reported on one of the order's rows.
pub(super) const PROBLEM: u8 = 4;

impl Draft {
    pub(super) const NEW: Draft = Draft {
        total: 0,
        line_sum: 0,
        refunded: 0,
        day: NO_DAY,
        customer: NO_CUSTOMER,
        rows: 0,
        flags: 0,
        state: 0,
        currency: NO_CURRENCY,
        exponent: 0,
    };
    pub(super) fn day(&self) -> Option<i32> {
        (self.day != NO_DAY).then_some(self.day)
    }
    pub(super) fn total(&self) -> Option<i64> {
        (self.state & HAS_TOTAL != 0).then_some(self.total)
    }
    pub(super) fn has_lines(&self) -> bool {
        self.state & HAS_LINES != 0
    }
}

const _: () = assert!(std::mem::size_of::<Draft>() == 40);

pub(super) struct Builder {
    pub(super) header_seen: bool,
    /// Currency codes seen (upper case), indexed by `Draft::currency`.
    pub(super) currencies: Vec<String>,
    /// Their minor digits, in the same order.
    pub(super) currency_exponents: Vec<u8>,
    /// Status cells seen and their class (few distinct values: classifying
    /// each row's cell again was 5% of the ingest).
    pub(super) statuses: Vec<(Box<str>, StatusClass)>,
    /// The currency the user chose to analyse, if any.
    pub(super) wanted_currency: Option<String>,
    /// Minor digits of the row being read.
    pub(super) row_exponent: u8,
    pub(super) preview: Preview,
    pub(super) rules: ExclusionRules,
    pub(super) col: [Option<usize>; Field::ALL.len()],
    pub(super) key_field: Option<Field>,
    /// Extra columns joined to the key (see `ColumnMapping::key_extra`).
    pub(super) key_extra: Vec<usize>,
    pub(super) drafts: Vec<Draft>,
    /// The draft of each order id seen.
    pub(super) order_ids: OrderIds,
    pub(super) last_order: Option<u32>,
    pub(super) last_oid: String,
    pub(super) customers: Interner,
    pub(super) key_buf: String,
    pub(super) info: ReadInfo,
    pub(super) problem_counts: HashMap<ProblemKind, u64>,
    /// A problem was reported on the row being read.
    pub(super) row_problem: bool,
    /// The line items read (rows with a product cell).
    pub(super) lines: StagedLines,
}

impl Builder {
    pub(super) fn new(preview: Preview, opts: &IngestOptions) -> Result<Self, Error> {
        let m = &preview.guess.mapping;
        let mut col = [None; Field::ALL.len()];
        for (i, f) in Field::ALL.iter().enumerate() {
            let c = m.get(*f);
            if let Some(c) = c {
                if c >= preview.headers.len() {
                    return Err(ErrorKind::BadMapping {
                        field: Some(*f),
                        column: c + 1,
                        columns: preview.headers.len(),
                    }
                    .into());
                }
            }
            col[i] = c;
        }
        if let Some(&c) = m.key_extra.iter().find(|&&c| c >= preview.headers.len()) {
            return Err(ErrorKind::BadMapping {
                field: None,
                column: c + 1,
                columns: preview.headers.len(),
            }
            .into());
        }
        let info = ReadInfo {
            encoding: preview.encoding.to_string(),
            delimiter: preview.delimiter,
            platform: Some(preview.guess.platform),
            currency: preview.currency.clone(),
            minor_exponent: preview.minor_exponent,
            date_order: preview.date_order,
            date_order_ambiguous: preview.date_order_ambiguous,
            headers: preview.headers.clone(),
            mapping: preview.guess.mapping.clone(),
            note: preview.guess.note.clone(),
            from_content: preview.guess.from_content.clone(),
            decimal_mark: preview.decimal_mark,
            ..ReadInfo::default()
        };
        Ok(Builder {
            header_seen: false,
            currencies: Vec::new(),
            currency_exponents: Vec::new(),
            statuses: Vec::new(),
            wanted_currency: opts.currency.clone(),
            row_exponent: preview.minor_exponent,
            key_field: m.customer_key,
            key_extra: m.key_extra.clone(),
            preview,
            rules: opts.rules,
            col,
            drafts: Vec::new(),
            order_ids: OrderIds::default(),
            last_order: None,
            last_oid: String::new(),
            customers: Interner::default(),
            key_buf: String::new(),
            info,
            problem_counts: HashMap::new(),
            row_problem: false,
            lines: StagedLines::default(),
        })
    }

    pub(super) fn cell<'r>(&self, rec: &'r Record, f: Field) -> Option<&'r str> {
        self.col[f as usize]
            .and_then(|i| rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub(super) fn problem(
        &mut self,
        line: u64,
        column: Option<usize>,
        value: &str,
        kind: ProblemKind,
    ) {
        self.row_problem = true;
        *self.problem_counts.entry(kind).or_insert(0) += 1;
        if self.info.problems.len() < MAX_PROBLEMS {
            let column = column
                .and_then(|c| self.preview.headers.get(c))
                .cloned()
                .unwrap_or_default();
            self.info.problems.push(Problem {
                line,
                column,
                value: value.chars().take(60).collect(),
                kind,
            });
        }
    }

    pub(super) fn order_for(&mut self, rec: &Record) -> u32 {
        let new = |b: &mut Builder| {
            b.drafts.push(Draft::NEW);
            (b.drafts.len() - 1) as u32
        };
        let Some(oid) = self.cell(rec, Field::OrderId) else {
            // No order id column: each row is an order. An empty id on a
            // later row continues the order above (line items).
            if self.col[Field::OrderId as usize].is_some() {
                if let Some(o) = self.last_order {
                    return o;
                }
            }
            let o = new(self);
            self.last_order = Some(o);
            return o;
        };
        if let Some(o) = self.last_order {
            if self.last_oid == oid {
                return o;
            }
        }
        let next = self.drafts.len() as u32;
        let (o, is_new) = self.order_ids.draft_or_add(oid, next);
        if is_new {
            new(self);
        }
        self.last_oid.clear();
        self.last_oid.push_str(oid);
        self.last_order = Some(o);
        o
    }

    pub(super) fn amount(&mut self, rec: &Record, f: Field, line: u64) -> Result<Option<i64>, ()> {
        let Some(c) = self.cell(rec, f) else {
            return Ok(None);
        };
        match parse_amount_with(c, self.preview.decimal_mark) {
            ParsedAmount::Missing => Ok(None),
            ParsedAmount::Invalid => {
                self.problem(line, self.col[f as usize], c, ProblemKind::InvalidAmount);
                Err(())
            }
            ParsedAmount::Value(d) => match to_minor(d, self.row_exponent) {
                Some((v, rounded)) => {
                    if rounded {
                        self.problem(line, self.col[f as usize], c, ProblemKind::RoundedAmount);
                    }
                    Ok(Some(v))
                }
                None => {
                    self.problem(line, self.col[f as usize], c, ProblemKind::InvalidAmount);
                    Err(())
                }
            },
        }
    }

    /// An amount cell in minor units, `None` if empty or unreadable,
    /// reporting nothing (a line's price where the order's amount is its
    /// total).
    fn quiet_amount(&self, rec: &Record, f: Field) -> Option<i64> {
        match parse_amount_with(self.cell(rec, f)?, self.preview.decimal_mark) {
            ParsedAmount::Value(d) => to_minor(d, self.row_exponent).map(|(v, _)| v),
            ParsedAmount::Missing | ParsedAmount::Invalid => None,
        }
    }

    /// A line's quantity cell as a number; 1 if empty or not a whole
    /// number.
    fn quantity(&self, rec: &Record) -> i64 {
        self.cell(rec, Field::LineQuantity)
            .and_then(|q| q.parse::<i64>().ok())
            .unwrap_or(1)
    }

    /// The class of a status cell, remembered per distinct cell.
    pub(super) fn status_class(&mut self, cell: &str) -> StatusClass {
        if let Some((_, class)) = self.statuses.iter().find(|(s, _)| &**s == cell) {
            return *class;
        }
        let class = self.preview.guess.platform.status_class(cell);
        if self.statuses.len() < 64 {
            self.statuses.push((cell.into(), class));
        }
        class
    }

    pub(super) fn customer(&mut self, rec: &Record, raw: &str) -> Option<u32> {
        self.key_buf.clear();
        match self.key_field {
            Some(Field::Email) => {
                let raw = raw.trim();
                if raw.is_ascii() {
                    self.key_buf.push_str(raw);
                    self.key_buf.make_ascii_lowercase();
                } else {
                    for c in raw.chars() {
                        self.key_buf.extend(c.to_lowercase());
                    }
                }
            }
            Some(Field::Phone) => {
                self.key_buf.extend(
                    raw.chars()
                        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}')),
                );
            }
            _ => self.key_buf.push_str(raw.trim()),
        }
        if self.key_buf.is_empty() {
            return None;
        }
        // Extra key parts (Rakuten: phone + name, as e-mails are masked).
        for &c in &self.key_extra {
            self.key_buf.push(KEY_PART_SEPARATOR);
            push_key_part(rec.get(c).unwrap_or_default(), &mut self.key_buf);
        }
        Some(self.customers.intern(&self.key_buf).0)
    }

    pub(super) fn row(&mut self, rec: &Record, line: u64) {
        if !self.header_seen {
            self.header_seen = true;
            return;
        }
        if rec.is_blank() {
            return;
        }
        self.info.rows += 1;
        self.row_problem = false;
        if rec.len() < self.preview.headers.len() {
            let needed = self.col.iter().flatten().any(|&c| c >= rec.len());
            if needed {
                self.problem(
                    line,
                    None,
                    &format!("{}/{}", rec.len(), self.preview.headers.len()),
                    ProblemKind::ShortRow,
                );
            }
        }
        let o = self.order_for(rec) as usize;
        let mut d = self.drafts[o];
        d.rows += 1;
        if d.currency == NO_CURRENCY {
            if let Some(c) = self.cell(rec, Field::Currency) {
                d.currency = match self
                    .currencies
                    .iter()
                    .position(|k| k.eq_ignore_ascii_case(c))
                {
                    Some(i) => i as u8,
                    None if self.currencies.len() < NO_CURRENCY as usize => {
                        self.currency_exponents.push(currency_exponent(c));
                        self.currencies.push(c.to_ascii_uppercase());
                        (self.currencies.len() - 1) as u8
                    }
                    None => NO_CURRENCY - 1, // absurdly many codes: lump the rest
                };
            }
        }
        // Amounts are read with the minor digits of the row's own currency
        // (else the sniffed one's) and rescaled at the end if needed.
        self.row_exponent = match self.currency_exponents.get(d.currency as usize) {
            Some(&e) => e,
            None => self.preview.minor_exponent,
        };
        if d.total().is_none() && !d.has_lines() {
            d.exponent = self.row_exponent;
        }
        if d.day().is_none() && d.flags & BAD_DATE == 0 {
            if let Some(c) = self.cell(rec, Field::OrderDate) {
                match parse_date(c, self.preview.date_order) {
                    Some(day) => d.day = to_day(day),
                    None => {
                        self.problem(
                            line,
                            self.col[Field::OrderDate as usize],
                            c,
                            ProblemKind::InvalidDate,
                        );
                        d.flags |= BAD_DATE;
                    }
                }
            }
        }
        if d.total().is_none()
            && d.flags & BAD_AMOUNT == 0
            && self.col[Field::OrderTotal as usize].is_some()
        {
            match self.amount(rec, Field::OrderTotal, line) {
                Ok(Some(v)) => {
                    d.total = v;
                    d.state |= HAS_TOTAL;
                }
                Ok(None) => {}
                Err(()) => d.flags |= BAD_AMOUNT,
            }
        }
        // The line price if the order's amount read it (problems reported).
        let mut price = None;
        if self.col[Field::OrderTotal as usize].is_none() && d.flags & BAD_AMOUNT == 0 {
            let read = self.amount(rec, Field::LinePrice, line);
            match read {
                Ok(Some(p)) => {
                    d.line_sum = d
                        .line_sum
                        .saturating_add(p.saturating_mul(self.quantity(rec)));
                    d.state |= HAS_LINES;
                }
                Ok(None) => {}
                Err(()) => d.flags |= BAD_AMOUNT,
            }
            price = Some(read.ok().flatten());
        }
        if let Some(product) = self.cell(rec, Field::Product) {
            // The line's amount is the price times the quantity as the
            // order's sum reads it (so without an order total the lines
            // add up to the order); its quantity is that number if
            // positive, else 1.
            let q = self.quantity(rec);
            let price = price.unwrap_or_else(|| self.quiet_amount(rec, Field::LinePrice));
            let line = Line {
                product: 0,
                quantity: u32::try_from(q).ok().filter(|&q| q > 0).unwrap_or(1),
                amount: price.map_or(0, |p| p.saturating_mul(q)),
            };
            let category = self.cell(rec, Field::Category);
            self.lines.push(o as u32, product, category, line);
        }
        if d.customer == NO_CUSTOMER {
            if let Some(k) = self.key_field.and_then(|f| self.cell(rec, f)) {
                if let Some(id) = self.customer(rec, k) {
                    d.customer = id;
                }
            }
        }
        if let Some(s) = self.cell(rec, Field::Status) {
            d.flags |= status_flags(self.status_class(s));
        }
        if self.cell(rec, Field::CancelledAt).is_some() {
            d.flags |= CANCELLED;
        }
        if d.refunded == 0 {
            if let Ok(Some(r)) = self.amount(rec, Field::RefundedAmount, line) {
                d.refunded = r;
            }
        }
        if self.row_problem {
            d.state |= PROBLEM;
        }
        self.drafts[o] = d;
    }

    pub(super) fn reason(&self, d: &Draft, currency: u8) -> Option<ExclusionReason> {
        let r = self.rules;
        if r.exclude_cancelled && d.flags & CANCELLED != 0 {
            return Some(ExclusionReason::Cancelled);
        }
        if r.exclude_cancelled && d.flags & VOIDED != 0 {
            return Some(ExclusionReason::Voided);
        }
        if r.exclude_refunded && d.flags & REFUNDED != 0 {
            return Some(ExclusionReason::Refunded);
        }
        if r.exclude_failed && d.flags & FAILED != 0 {
            return Some(ExclusionReason::Failed);
        }
        if r.exclude_test && d.flags & TEST != 0 {
            return Some(ExclusionReason::Test);
        }
        if d.day().is_none() {
            return Some(if d.flags & BAD_DATE != 0 {
                ExclusionReason::InvalidDate
            } else {
                ExclusionReason::MissingDate
            });
        }
        if d.flags & BAD_AMOUNT != 0 {
            return Some(ExclusionReason::InvalidAmount);
        }
        if d.total().is_none() && !d.has_lines() {
            return Some(ExclusionReason::MissingAmount);
        }
        if d.currency != NO_CURRENCY && d.currency != currency {
            return Some(ExclusionReason::OtherCurrency);
        }
        None
    }

    /// Orders per currency (most first), and the currency analysed: the
    /// user's choice if the file has it, else the one with most orders.
    pub(super) fn choose_currency(&mut self) -> u8 {
        let mut counts = vec![0u64; self.currencies.len()];
        for d in &self.drafts {
            if let Some(c) = counts.get_mut(d.currency as usize) {
                *c += 1;
            }
        }
        let mut by_count: Vec<(String, u64)> =
            self.currencies.iter().cloned().zip(counts).collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let chosen = self
            .wanted_currency
            .as_ref()
            .and_then(|w| by_count.iter().find(|(c, _)| c.eq_ignore_ascii_case(w)))
            .or(by_count.first())
            .map(|(c, _)| c.clone());
        self.info.currencies = by_count
            .into_iter()
            .map(|(code, orders)| CurrencyCount { code, orders })
            .collect();
        let Some(code) = chosen else {
            return NO_CURRENCY;
        };
        let exponent = currency_exponent(&code);
        self.info.currency = Some(code.clone());
        self.info.minor_exponent = exponent;
        self.currencies
            .iter()
            .position(|c| *c == code)
            .map_or(NO_CURRENCY, |i| i as u8)
    }

    pub(super) fn finish(mut self) -> Result<Dataset, Error> {
        let currency = self.choose_currency();
        // Amounts were read with the sniffed currency's minor digits; the
        // analysed currency may have others (JPY 0, USD 2, KWD 3).
        let to = self.info.minor_exponent as i32;
        let rescale = |a: i64, from: i32| -> i64 {
            if to >= from {
                a.saturating_mul(10i64.pow((to - from) as u32))
            } else {
                let div = 10i64.pow((from - to) as u32);
                let (q, r) = (a / div, a % div);
                if r.abs() * 2 >= div {
                    q + a.signum()
                } else {
                    q
                }
            }
        };
        let mut excluded: HashMap<ExclusionReason, (u64, u64)> = HashMap::new();
        let with_lines = self.col[Field::Product as usize].is_some();
        let mut orders = Vec::with_capacity(self.drafts.len());
        // With line items: each order's draft (the orders are then sorted
        // with their drafts, ties in draft order).
        let mut order_drafts = Vec::with_capacity(if with_lines { self.drafts.len() } else { 0 });
        for (k, d) in self.drafts.iter().enumerate() {
            if let Some(reason) = self.reason(d, currency) {
                let e = excluded.entry(reason).or_insert((0, 0));
                e.0 += 1;
                e.1 += d.rows as u64;
                continue;
            }
            let mut amount = d.total().unwrap_or(d.line_sum);
            if self.rules.subtract_refunds && d.flags & REFUNDED == 0 {
                amount -= d.refunded;
            }
            // ok-panic: reason() returned None only when the day is set
            let day = d.day().unwrap_or_default();
            orders.push(Order {
                customer: d.customer,
                day,
                amount: if d.exponent as i32 == to {
                    amount
                } else {
                    rescale(amount, d.exponent as i32)
                },
            });
            if with_lines {
                order_drafts.push(k as u32);
            }
        }
        let lines = if with_lines {
            let mut keyed: Vec<(Order, u32)> = orders.into_iter().zip(order_drafts).collect();
            keyed.sort_unstable_by_key(|&(o, k)| (o.day, o.customer, k));
            let mut rank = vec![u32::MAX; self.drafts.len()];
            for (i, &(_, k)) in keyed.iter().enumerate() {
                if let Some(r) = rank.get_mut(k as usize) {
                    *r = i as u32;
                }
            }
            orders = keyed.into_iter().map(|(o, _)| o).collect();
            let drafts = &self.drafts;
            let staged = std::mem::take(&mut self.lines);
            Some(staged.into_store(
                &rank,
                orders.len(),
                |k, amount| match drafts.get(k as usize) {
                    Some(d) if d.exponent as i32 != to => rescale(amount, d.exponent as i32),
                    _ => amount,
                },
            ))
        } else {
            orders.sort_unstable_by_key(|o| (o.day, o.customer));
            None
        };
        self.info.orders_read = self.drafts.len() as u64;
        self.info.exclusions = ExclusionReason::ALL
            .iter()
            .filter_map(|r| {
                excluded.get(r).map(|&(orders, rows)| Exclusion {
                    reason: *r,
                    orders,
                    rows,
                })
            })
            .collect();
        self.info.orders_without_customer =
            orders.iter().filter(|o| o.customer == NO_CUSTOMER).count() as u64;
        let mut pc: Vec<(ProblemKind, u64)> = self.problem_counts.into_iter().collect();
        pc.sort();
        self.info.problem_counts = pc;
        if orders.is_empty() {
            return Err(ErrorKind::NoOrders.into());
        }
        let mut data = Dataset {
            orders,
            customer_keys: self.customers.keys,
            info: self.info,
            ..Dataset::default()
        };
        if let Some(l) = lines {
            data.lines = l.lines;
            data.line_starts = l.line_starts;
            data.products = l.products;
            data.product_categories = l.product_categories;
            data.categories = l.categories;
        }
        Ok(data)
    }
}

impl RecordSink for Builder {
    fn record(&mut self, rec: &Record, line: u64) {
        self.row(rec, line);
    }
    fn invalid_byte_sequence(&mut self) {
        self.info.invalid_byte_sequences += 1;
    }
}

/// The draft flags of a status class.
fn status_flags(class: StatusClass) -> u8 {
    match class {
        StatusClass::Cancelled => CANCELLED,
        StatusClass::Voided => VOIDED,
        StatusClass::Refunded => REFUNDED,
        StatusClass::PartiallyRefunded => PARTIAL,
        StatusClass::Failed => FAILED,
        StatusClass::Test => TEST,
        StatusClass::Completed | StatusClass::Pending | StatusClass::Unknown => 0,
    }
}
