//! Terms: syllable ids, term keys (a syllable or a bigram of two), term counts packed in one
//! word, and the weighted, sublinear term frequency of an article.

use crate::content::Article;
use crate::text::nfc;
use crate::text::syllables::{is_stop_word, scan, Token};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// A title term counts as this many body occurrences; a summary term as `SUMMARY_WEIGHT`.
const TITLE_WEIGHT: f32 = 3.0;
const SUMMARY_WEIGHT: f32 = 1.5;
/// Body syllables read per article: the lead carries the topic, and this bounds very long bodies.
pub(super) const MAX_BODY_SYLLABLES: usize = 300;

/// Syllable ids are below this (24 bits), so a bigram key fits in 48 bits. A site would need
/// sixteen million distinct syllables to reach it; any beyond are not terms.
const MAX_SYLLABLES: u32 = 1 << 24;

/// Fast non-cryptographic hash for integer and short string keys (Fx-style, with a final
/// mix so keys that differ only in high bits spread). Deterministic: nothing is random, so
/// the order a map of bigrams is drained in, and with it every sum of weights, is the same
/// on every run. Measured (`cargo bench --bench related`, 10,000 articles): this step takes
/// about 0.51 CPU-s with it and 0.62–0.68 CPU-s with std's `DefaultHasher` (SipHash).
#[derive(Default, Clone, Copy)]
pub(super) struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A hash map with [`FxHasher`]: deterministic, and fast on integer and short string keys.
pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A well-mixed 64-bit hash of a syllable's bytes, eight at a time.
#[inline]
fn syllable_hash(s: &str) -> u64 {
    let mut h = FxHasher(s.len() as u64);
    h.write(s.as_bytes());
    h.finish()
}

/// A syllable's number in a syllable table: one chunk's while tokenizing, then the site's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SyllableId(pub(super) u32);

impl SyllableId {
    /// The syllable's position in its table.
    #[inline]
    pub(super) fn idx(self) -> usize {
        self.0 as usize
    }
}

/// A term as a 48-bit key: a syllable is its id, a bigram `(a + 1) << 24 | b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct TermKey(u64);

impl TermKey {
    /// The term of one syllable.
    #[inline]
    pub(super) fn unigram(s: SyllableId) -> Self {
        TermKey(u64::from(s.0))
    }

    /// The term of two syllables in a row.
    #[inline]
    pub(super) fn bigram(a: SyllableId, b: SyllableId) -> Self {
        TermKey(((u64::from(a.0) + 1) << 24) | u64::from(b.0))
    }

    /// The same term with each syllable's id `s` replaced by `new_id(s)`; `None` when one
    /// has no new id or the new id is beyond what a key can hold. The last syllable is
    /// renumbered first.
    #[inline]
    pub(super) fn renumbered(
        self,
        mut new_id: impl FnMut(SyllableId) -> Option<SyllableId>,
    ) -> Option<Self> {
        let k = self.0;
        let b = new_id(SyllableId((k & 0xff_ffff) as u32))?;
        let a = match (k >> 24).checked_sub(1) {
            Some(a) => Some(new_id(SyllableId(a as u32))?),
            None => None,
        };
        if b.0 >= MAX_SYLLABLES || a.is_some_and(|a| a.0 >= MAX_SYLLABLES - 1) {
            return None;
        }
        Some(a.map_or_else(|| Self::unigram(b), |a| Self::bigram(a, b)))
    }
}

/// A term key (48 bits) and its weighted tf in 1/256 steps (16 bits) in one word: half the
/// memory of (key, f32) pairs, which at 100,000 articles is hundreds of megabytes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Count(pub(super) u64);

impl Count {
    /// Packs `key` with `tf` (rounded to 1/256, at most 255.99).
    #[inline]
    pub(super) fn new(key: TermKey, tf: f32) -> Self {
        Count((key.0 << 16) | u64::from((tf * 256.0).round().clamp(0.0, 65535.0) as u16))
    }

    /// The term counted.
    #[inline]
    pub(super) fn key(self) -> TermKey {
        TermKey(self.0 >> 16)
    }

    /// Its weighted tf.
    #[inline]
    pub(super) fn tf(self) -> f32 {
        f32::from((self.0 & 0xffff) as u16) / 256.0
    }
}

/// A chunk's syllable table: local id → (syllable, is a stop word).
pub(super) type Syllables = Vec<(Box<str>, bool)>;

/// A syllable table shared by the term counts whose keys refer to it: a chunk's of one
/// build, or a build cache file's.
pub type SyllableTable = Arc<[Box<str>]>;

/// An article's term counts as the tokenizer made them, with the syllable table their keys
/// refer to: what the build cache keeps, so that an unchanged article is not tokenized again.
#[derive(Clone, Debug)]
pub struct Terms {
    /// The hash of the texts they were counted from (its title, summary and plain text):
    /// they are right for an article only when its texts hash the same.
    pub input: u64,
    /// The syllables their keys refer to.
    pub syllables: SyllableTable,
    /// The counts (a term key and its weighted tf packed in one word each).
    pub counts: Arc<[u64]>,
}

/// The hash of the texts an article's terms are counted from: its title, its summary and
/// its body's plain text (`plain`).
pub(super) fn input_hash(a: &Article, plain: Option<&str>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    // 0xff never occurs in UTF-8: the texts cannot run into each other.
    h.update(a.title.as_bytes());
    for text in [a.summary.as_deref(), plain] {
        h.update(&[0xff, u8::from(text.is_some())]);
        h.update(text.unwrap_or_default().as_bytes());
    }
    h.digest()
}

/// A syllable table made up as counts are moved onto it ([`TableBuilder::rebase`]): the one
/// table of a build cache file, holding only the syllables its records use.
#[derive(Default)]
pub struct TableBuilder {
    ids: FxMap<Box<str>, SyllableId>,
    syllables: Vec<Box<str>>,
    /// For each table rebased from: its syllable id → the id here, once known (a map, not
    /// a vector: a file's records come from many tables, each using a few of its syllables).
    from: Vec<(SyllableTable, FxMap<u32, SyllableId>)>,
}

impl TableBuilder {
    /// An empty table.
    pub fn new() -> Self {
        TableBuilder::default()
    }

    /// The counts of `terms`, their keys rewritten to refer to this table (syllables added
    /// as needed). Counts whose syllables the table cannot number are left out, as
    /// tokenizing leaves them out.
    pub fn rebase(&mut self, terms: &Terms) -> Vec<u64> {
        let at = match self
            .from
            .iter()
            .position(|(table, _)| Arc::ptr_eq(table, &terms.syllables))
        {
            Some(at) => at,
            None => {
                self.from.push((terms.syllables.clone(), FxMap::default()));
                self.from.len() - 1
            }
        };
        let (table, map) = &mut self.from[at];
        let (ids, syllables) = (&mut self.ids, &mut self.syllables);
        let mut id_of = |local: SyllableId| -> Option<SyllableId> {
            if let Some(&id) = map.get(&local.0) {
                return Some(id);
            }
            let syllable = table.get(local.idx())?;
            let id = match ids.get(syllable) {
                Some(&id) => id,
                None if (syllables.len() as u32) < MAX_SYLLABLES - 1 => {
                    let id = SyllableId(syllables.len() as u32);
                    syllables.push(syllable.clone());
                    ids.insert(syllable.clone(), id);
                    id
                }
                None => return None,
            };
            map.insert(local.0, id);
            Some(id)
        };
        terms
            .counts
            .iter()
            .filter_map(|&bits| {
                let count = Count(bits);
                let key = count.key().renumbered(&mut id_of)?;
                Some(Count::new(key, count.tf()).0)
            })
            .collect()
    }

    /// The table made.
    pub fn into_table(self) -> Vec<Box<str>> {
        self.syllables
    }
}
/// The terms of one article, in no particular order.
pub(super) type TermCounts = Vec<Count>;

/// Turns texts into weighted term counts, with syllable ids local to one chunk of articles.
pub(super) struct Tokenizer {
    /// Syllable hash → local id. 64-bit hashes of at most a few hundred thousand distinct
    /// syllables do not collide in practice, and comparing hashes is much faster than strings.
    ids: FxMap<u64, SyllableId>,
    /// Local id → syllable, and whether it is a stop word.
    syllables: Syllables,
    /// Weighted count of each syllable in the current article, by local id.
    unigrams: Vec<f32>,
    seen: Vec<SyllableId>,
    bigrams: FxMap<TermKey, f32>,
    buf: String,
}

impl Tokenizer {
    /// A tokenizer with an empty syllable table.
    pub(super) fn new() -> Self {
        Tokenizer {
            ids: FxMap::default(),
            syllables: Vec::new(),
            unigrams: Vec::new(),
            seen: Vec::new(),
            bigrams: FxMap::default(),
            buf: String::new(),
        }
    }

    /// The syllable table the keys of this tokenizer's counts refer to.
    pub(super) fn into_syllables(self) -> Syllables {
        self.syllables
    }

    /// The term counts of an article: its title weighted up, its summary, and the lead of
    /// its body's plain text (`plain`, NFC).
    pub(super) fn article(&mut self, a: &Article, plain: Option<&str>) -> TermCounts {
        self.add(&nfc(&a.title), TITLE_WEIGHT, usize::MAX);
        if let Some(s) = &a.summary {
            self.add(&nfc(s), SUMMARY_WEIGHT, usize::MAX);
        }
        if let Some(body) = plain {
            self.add(body, 1.0, MAX_BODY_SYLLABLES);
        }
        self.take()
    }

    /// Counts the terms of `text` (its first `limit` syllables), each occurrence as `weight`.
    fn add(&mut self, text: &str, weight: f32, limit: usize) {
        let Tokenizer {
            ids,
            syllables,
            unigrams,
            seen,
            bigrams,
            buf,
        } = self;
        let mut prev: Option<SyllableId> = None;
        scan(text, limit, buf, |t| {
            let Token::Syllable(s) = t else {
                prev = None;
                return;
            };
            if syllables.len() as u32 >= MAX_SYLLABLES - 1 && !ids.contains_key(&syllable_hash(s)) {
                prev = None;
                return;
            }
            let id = *ids.entry(syllable_hash(s)).or_insert_with(|| {
                syllables.push((s.into(), is_stop_word(s)));
                unigrams.push(0.0);
                SyllableId(syllables.len() as u32 - 1)
            });
            if syllables[id.idx()].1 {
                prev = None;
                return;
            }
            let count = &mut unigrams[id.idx()];
            if *count == 0.0 {
                seen.push(id);
            }
            *count += weight;
            if let Some(p) = prev {
                *bigrams.entry(TermKey::bigram(p, id)).or_insert(0.0) += weight;
            }
            prev = Some(id);
        });
    }

    /// The counts gathered since the last call, as [`Count`]s of (local key, sublinear tf).
    fn take(&mut self) -> TermCounts {
        let tf = |c: f32| if c > 1.0 { 1.0 + c.ln() } else { c };
        let mut out = Vec::with_capacity(self.seen.len() + self.bigrams.len());
        for id in self.seen.drain(..) {
            let c = std::mem::take(&mut self.unigrams[id.idx()]);
            out.push(Count::new(TermKey::unigram(id), tf(c)));
        }
        out.extend(self.bigrams.drain().map(|(k, c)| Count::new(k, tf(c))));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unigram(s: u32) -> TermKey {
        TermKey::unigram(SyllableId(s))
    }
    fn bigram(a: u32, b: u32) -> TermKey {
        TermKey::bigram(SyllableId(a), SyllableId(b))
    }

    #[test]
    fn a_count_packs_a_term_key_and_its_tf() {
        for key in [
            unigram(0),
            unigram(MAX_SYLLABLES - 1),
            bigram(MAX_SYLLABLES - 2, 7),
        ] {
            for tf in [0.0, 1.0, 1.5, 3.0 + 2.0f32.ln(), 200.0] {
                let c = Count::new(key, tf);
                assert_eq!(c.key(), key);
                assert!((c.tf() - tf).abs() <= 1.0 / 512.0, "{tf} -> {}", c.tf());
            }
        }
        assert_ne!(bigram(1, 2), bigram(2, 1));
        assert_ne!(unigram(5), bigram(0, 5));
    }

    #[test]
    fn hashes_keys_that_differ_only_in_high_bits_apart() {
        use std::hash::BuildHasher;
        let b = BuildHasherDefault::<FxHasher>::default();
        let low: std::collections::HashSet<u64> = (0..64u32)
            .map(|a| b.hash_one(bigram(a, 7)) & 0xff)
            .collect();
        assert!(low.len() > 32, "{}", low.len());
    }
}
