//! A small, fast, deterministic hasher (FxHash) for name-keyed maps (globals, attributes).
//! Dict and set contents keep the default hasher: their keys may come from end users.

use std::hash::{BuildHasherDefault, Hasher};

use indexmap::IndexMap;

/// The rustc FxHash function.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        // Whole words, then a half word and single bytes: fixed-size reads only (a copy of
        // a variable-length tail into a buffer is a call to memcpy on every hash).
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            self.add(u64::from_le_bytes(*word));
            rest = tail;
        }
        if let Some((half, tail)) = rest.split_first_chunk::<4>() {
            self.add(u64::from(u32::from_le_bytes(*half)));
            rest = tail;
        }
        for &b in rest {
            self.add(u64::from(b));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Builds [`FxHasher`]s.
pub type FxBuild = BuildHasherDefault<FxHasher>;

/// An insertion-ordered map keyed by names.
pub type NameMap<V> = IndexMap<crate::path::Name, V, FxBuild>;

/// Looks `name` up in a name map; small maps are scanned linearly (faster than hashing).
#[inline]
pub fn get_small<'a, V>(m: &'a NameMap<V>, name: &str) -> Option<&'a V> {
    if m.len() <= 16 {
        m.iter()
            .find(|(k, _)| k.len() == name.len() && &***k == name)
            .map(|(_, v)| v)
    } else {
        m.get(name)
    }
}
