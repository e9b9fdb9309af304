//! Line items (明細行) staged while the rows are read, then laid out in
//! the order store's order.
//!
//! Each row with a product cell becomes one line of its row's order: the
//! product name as written (trimmed) and its category interned (one text
//! buffer and a hash table each, nothing allocated per row), the line kept
//! as its draft's index and a 16-byte [`Line`] in row order. At the end
//! [`StagedLines::into_store`] places them by a counting sort on the final
//! index of their order: the lines of an order stay in row order, those of
//! excluded orders are dropped. Products and categories met only on
//! excluded orders stay interned (no line refers to them; harmless, and
//! the ids then do not depend on the exclusion rules).
//!
//! A product's category is the first non-empty category cell on its rows.
//! Every category cell on a product row is interned, so categories are
//! numbered in order of first appearance, as products and customers are:
//! a file read in two parts and joined gives the same ids (see
//! [`StagedLines::append`]).

use super::ids::Interner;
use crate::store::{Keys, Line, NO_CATEGORY};

/// Line items read so far, in row order.
#[derive(Default)]
pub(super) struct StagedLines {
    pub(super) products: Interner,
    pub(super) categories: Interner,
    /// Per product: its category, or [`NO_CATEGORY`].
    pub(super) product_categories: Vec<u32>,
    /// Per line: the draft (order being read) it belongs to.
    pub(super) drafts: Vec<u32>,
    pub(super) lines: Vec<Line>,
}

/// The store's line items (see [`crate::store::Dataset::lines`]).
pub(super) struct StoreLines {
    pub(super) lines: Vec<Line>,
    pub(super) line_starts: Vec<u32>,
    pub(super) products: Keys,
    pub(super) product_categories: Vec<u32>,
    pub(super) categories: Keys,
}

impl StagedLines {
    /// Records a line of `draft`: `product` (not empty) in `category`.
    /// Past `u32::MAX` lines (the store's line index) the rest are not
    /// kept.
    pub(super) fn push(&mut self, draft: u32, product: &str, category: Option<&str>, line: Line) {
        if self.lines.len() >= u32::MAX as usize {
            return;
        }
        let category = category.map_or(NO_CATEGORY, |c| self.categories.intern(c).0);
        let (id, new) = self.products.intern(product);
        if new {
            self.product_categories.push(category);
        } else if let Some(c) = self.product_categories.get_mut(id as usize) {
            if *c == NO_CATEGORY {
                *c = category;
            }
        }
        self.drafts.push(draft);
        self.lines.push(Line {
            product: id,
            ..line
        });
    }

    /// Appends the lines of a later part of the file, as reading its rows
    /// here would have recorded them: products and categories new here get
    /// ids in the order the part met them, a product without a category
    /// takes the part's, and each line goes to `draft_map[its draft]` (an
    /// order continued across the split gets the part's lines after its
    /// own). `None` if the part refers outside its tables (checked when its
    /// bytes are read, so never in practice).
    pub(super) fn append(&mut self, part: PartLines, draft_map: &[u32]) -> Option<()> {
        let category_of = self.categories.intern_all(&part.categories);
        self.products.reserve(part.products.len());
        let mut product_of = Vec::with_capacity(part.products.len());
        for (name, &c) in part.products.iter().zip(&part.product_categories) {
            let category = match c {
                NO_CATEGORY => NO_CATEGORY,
                c => *category_of.get(c as usize)?,
            };
            let (id, new) = self.products.intern(name);
            if new {
                self.product_categories.push(category);
            } else {
                let own = self.product_categories.get_mut(id as usize)?;
                if *own == NO_CATEGORY {
                    *own = category;
                }
            }
            product_of.push(id);
        }
        let room = (u32::MAX as usize).saturating_sub(self.lines.len());
        self.drafts.reserve(part.lines.len().min(room));
        self.lines.reserve(part.lines.len().min(room));
        for (&d, l) in part.drafts.iter().zip(&part.lines).take(room) {
            self.drafts.push(*draft_map.get(d as usize)?);
            self.lines.push(Line {
                product: *product_of.get(l.product as usize)?,
                ..*l
            });
        }
        Some(())
    }

    /// The lines laid out for the store. `rank[d]` is the index in the
    /// store of draft `d`'s order, or `u32::MAX` if it was excluded;
    /// `orders` is the number of orders; `amount` turns a line's amount as
    /// read for draft `d` into the analysed currency's minor units.
    pub(super) fn into_store(
        self,
        rank: &[u32],
        orders: usize,
        amount: impl Fn(u32, i64) -> i64,
    ) -> StoreLines {
        let rank_of = |d: u32| rank.get(d as usize).copied().filter(|&r| r != u32::MAX);
        // Counting sort: lines per order, their starts, then each line in
        // row order at its order's next free place.
        let mut line_starts = vec![0u32; orders + 1];
        for &d in &self.drafts {
            if let Some(n) = rank_of(d).and_then(|r| line_starts.get_mut(r as usize + 1)) {
                *n += 1;
            }
        }
        let mut total = 0u32;
        for s in line_starts.iter_mut() {
            // At most `u32::MAX` lines are staged (see `push`).
            total = total.saturating_add(*s);
            *s = total;
        }
        let mut next = line_starts.clone();
        let mut lines = vec![
            Line {
                product: 0,
                quantity: 0,
                amount: 0,
            };
            total as usize
        ];
        for (&d, l) in self.drafts.iter().zip(&self.lines) {
            let Some(r) = rank_of(d) else { continue };
            let Some(at) = next.get_mut(r as usize) else {
                continue;
            };
            // `next[r]` counts up to `line_starts[r + 1]`: inside `lines`.
            if let Some(slot) = lines.get_mut(*at as usize) {
                *slot = Line {
                    amount: amount(d, l.amount),
                    ..*l
                };
                *at += 1;
            }
        }
        StoreLines {
            lines,
            line_starts,
            products: self.products.keys,
            product_categories: self.product_categories,
            categories: self.categories.keys,
        }
    }

    /// The part's form of these lines (see [`super::Part`]).
    pub(super) fn into_part(self) -> PartLines {
        PartLines {
            products: self.products.keys,
            product_categories: self.product_categories,
            categories: self.categories.keys,
            drafts: self.drafts,
            lines: self.lines,
        }
    }
}

/// A part's staged lines, its interners reduced to their keys.
#[derive(Default)]
pub(super) struct PartLines {
    pub(super) products: Keys,
    pub(super) product_categories: Vec<u32>,
    pub(super) categories: Keys,
    pub(super) drafts: Vec<u32>,
    pub(super) lines: Vec<Line>,
}

impl PartLines {
    /// Every index inside its table: `drafts` below the part's `drafts`.
    pub(super) fn sound(&self, drafts: usize) -> bool {
        self.product_categories.len() == self.products.len()
            && self.drafts.len() == self.lines.len()
            && self
                .product_categories
                .iter()
                .all(|&c| c == NO_CATEGORY || (c as usize) < self.categories.len())
            && self.drafts.iter().all(|&d| (d as usize) < drafts)
            && self
                .lines
                .iter()
                .all(|l| (l.product as usize) < self.products.len())
    }
}
