//! Order ids and customer keys as dense integers: an [`Interner`] for any
//! text, and [`OrderIds`] that keeps numbered ids met in increasing order
//! as a sorted run of numbers.

use crate::store::Keys;
use rustc_hash::FxHasher;
use std::hash::Hasher;

/// Strings interned to dense ids: the text in one [`Keys`] buffer, a hash
/// table of ids (4 bytes a key). Looking up a million keys allocates
/// nothing per key.
#[derive(Default)]
pub(super) struct Interner {
    pub(super) keys: Keys,
    pub(super) table: hashbrown::HashTable<u32>,
}

impl Interner {
    /// The Fx hash of rustc and Firefox (rustc-hash): SipHash, the
    /// standard one, resists hash flooding by an attacker, but here the keys
    /// come from the user's own file on the user's own machine, and SipHash
    /// was 7% of the ingest time.
    pub(super) fn hash(s: &str) -> u64 {
        let mut h = FxHasher::default();
        h.write(s.as_bytes());
        h.finish()
    }

    /// Room for `n` more keys without growing.
    pub(super) fn reserve(&mut self, n: usize) {
        let keys = &self.keys;
        self.table.reserve(n, |&id| Self::hash(&keys[id as usize]));
    }

    /// The ids of `keys` (another read's, joined to this one): keys new
    /// here get ids in their order, as reading them here would have given.
    pub(super) fn intern_all(&mut self, keys: &Keys) -> Vec<u32> {
        self.reserve(keys.len());
        keys.iter().map(|k| self.intern(k).0).collect()
    }

    /// The id of `s`, if interned.
    pub(super) fn find(&self, s: &str) -> Option<u32> {
        let keys = &self.keys;
        self.table
            .find(Self::hash(s), |&id| &keys[id as usize] == s)
            .copied()
    }

    /// The id of `s`, and whether it is new.
    pub(super) fn intern(&mut self, s: &str) -> (u32, bool) {
        let hash = Self::hash(s);
        let keys = &self.keys;
        if let Some(&id) = self.table.find(hash, |&id| &keys[id as usize] == s) {
            return (id, false);
        }
        let id = self.keys.push(s) as u32;
        let keys = &self.keys;
        self.table
            .insert_unique(hash, id, |&id| Self::hash(&keys[id as usize]));
        (id, true)
    }
}

/// The draft of each order id. Ids that are a fixed prefix and a number
/// without leading zeros (`#1001`, `1002`), met in increasing order (most
/// exports), are kept as numbers in a sorted run: a new one costs a
/// comparison, not a hash and a table insert (a tenth of the ingest), and
/// no copy of its text. Any other id is interned.
#[derive(Default)]
pub(super) struct OrderIds {
    /// The prefix of the run's ids.
    pub(super) prefix: Option<String>,
    /// (number, draft), numbers increasing.
    pub(super) run: Vec<(u64, u32)>,
    pub(super) table: Interner,
    /// Draft of each interned id.
    pub(super) table_drafts: Vec<u32>,
}

impl OrderIds {
    /// The number of an id in the run's form: the run's prefix (any, while
    /// there is none) and at most 18 digits, without leading zeros.
    pub(super) fn number<'s>(&self, oid: &'s str) -> Option<(&'s str, u64)> {
        let k = oid.find(|c: char| c.is_ascii_digit())?;
        let (prefix, digits) = oid.split_at(k);
        let canonical = digits.len() <= 18
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !(digits.len() > 1 && digits.starts_with('0'))
            && self.prefix.as_deref().is_none_or(|p| p == prefix);
        canonical.then(|| (prefix, digits.parse().unwrap_or(0)))
    }

    /// The draft of `oid`, and whether it is new (then it is `next`).
    pub(super) fn draft_or_add(&mut self, oid: &str, next: u32) -> (u32, bool) {
        if let Some((prefix, n)) = self.number(oid) {
            match self.run.last() {
                // Larger than every number in the run: never seen (an
                // interned id of this form was at most the run's last).
                Some(&(last, _)) if n > last => {
                    self.run.push((n, next));
                    return (next, true);
                }
                // The first such id (none is interned: it would have
                // started the run).
                None => {
                    self.prefix = Some(prefix.to_string());
                    self.run.push((n, next));
                    return (next, true);
                }
                Some(_) => {
                    if let Ok(i) = self.run.binary_search_by_key(&n, |e| e.0) {
                        return (self.run[i].1, false);
                    }
                }
            }
        }
        match self.table.intern(oid) {
            (i, false) => (
                self.table_drafts.get(i as usize).copied().unwrap_or(next),
                false,
            ),
            (_, true) => {
                self.table_drafts.push(next);
                (next, true)
            }
        }
    }

    /// Where an id in the run form with number `n` is: `Ok` its draft in
    /// the run, or `Ok(None)` if never seen (an interned id of that form is
    /// at most the run's last, see `draft_or_add`); `Err` if it can only be
    /// interned.
    pub(super) fn in_run(&self, n: u64) -> Result<Option<u32>, ()> {
        match self.run.last() {
            None => Ok(None),
            Some(&(last, _)) if n > last => Ok(None),
            Some(_) => match self.run.binary_search_by_key(&n, |e| e.0) {
                Ok(i) => Ok(Some(self.run[i].1)),
                Err(_) => Err(()),
            },
        }
    }

    pub(super) fn interned(&self, oid: &str) -> Option<u32> {
        self.table
            .find(oid)
            .and_then(|i| self.table_drafts.get(i as usize).copied())
    }

    /// The draft of the id `prefix` + `n` (in the run form), if seen;
    /// `text` is scratch space.
    pub(super) fn find_number(&self, prefix: &str, n: u64, text: &mut String) -> Option<u32> {
        if self.prefix.as_deref().is_none_or(|p| p == prefix) {
            if let Ok(found) = self.in_run(n) {
                return found;
            }
        }
        text.clear();
        text.push_str(prefix);
        text.push_str(&n.to_string());
        self.interned(text)
    }

    /// The draft of `oid`, if seen.
    pub(super) fn find(&self, oid: &str) -> Option<u32> {
        if let Some((_, n)) = self.number(oid) {
            if let Ok(found) = self.in_run(n) {
                return found;
            }
        }
        self.interned(oid)
    }
}

#[cfg(test)]
mod tests {
    use super::{Interner, OrderIds};
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// The run of numbered ids gives every id the draft plain interning
        /// gives it (one per distinct text, in order of first appearance),
        /// whatever the order, prefixes and leading zeros.
        #[test]
        fn order_ids_give_each_distinct_id_one_draft(
            ids in proptest::collection::vec(
                prop_oneof![
                    6 => (0u64..60).prop_map(|n| format!("#{n}")),
                    2 => (0u64..60).prop_map(|n| format!("#0{n}")),
                    2 => (0u64..60).prop_map(|n| n.to_string()),
                    1 => (0u64..60).prop_map(|n| format!("R-{n}")),
                    1 => "[a-z#]{1,4}",
                ],
                0..200,
            )
        ) {
            let mut ids_seen = OrderIds::default();
            let mut reference: HashMap<String, u32> = HashMap::new();
            for id in &ids {
                let next = reference.len() as u32;
                let expected = *reference.entry(id.clone()).or_insert(next);
                let (draft, new) = ids_seen.draft_or_add(id, next);
                prop_assert_eq!(draft, expected, "id {}", id);
                prop_assert_eq!(new, expected == next);
            }
            let mut text = String::new();
            for (id, &draft) in &reference {
                prop_assert_eq!(ids_seen.find(id), Some(draft));
                if let Some(k) = id.find(|c: char| c.is_ascii_digit()) {
                    let (prefix, digits) = id.split_at(k);
                    if let Ok(n) = digits.parse::<u64>() {
                        if n.to_string() == digits {
                            prop_assert_eq!(ids_seen.find_number(prefix, n, &mut text), Some(draft));
                        }
                    }
                }
            }
            prop_assert_eq!(ids_seen.find("#999"), None);
            prop_assert_eq!(ids_seen.find_number("#", 999, &mut text), None);
        }
    }

    #[test]
    fn interned_keys_alike_in_their_first_bytes_spread_over_the_low_bits() {
        // Hash tables index by the low bits: ids that differ only after
        // their first bytes ("#1001", "#1002") must not share buckets.
        let low: std::collections::HashSet<u64> = (1000..2000)
            .map(|i| Interner::hash(&format!("#{i}")) & 0xfff)
            .collect();
        assert!(
            low.len() > 700,
            "{} distinct low-bit buckets of 1000",
            low.len()
        );
        let mut keys = Interner::default();
        for i in 0..10_000u32 {
            assert_eq!(keys.intern(&format!("#{i}")), (i, true));
        }
        assert!((0..10_000u32).all(|i| keys.find(&format!("#{i}")) == Some(i)));
        assert_eq!(keys.intern("#42"), (42, false));
    }
}
