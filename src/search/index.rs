//! The inverted index: for every term, the documents that hold it and how strongly, cut into
//! shard files `t/{shard:x}.json` of `{"term":[docDelta,weight,...],...}`.
//!
//! Documents are cut into a few contiguous runs, one rayon task each. A task folds the words of
//! its run into a vocabulary of its own (terms are allocated once per run, not per word) and
//! appends `(doc, weight)` to each term's list, so every list comes out in ascending doc
//! order. The runs' lists are then merged and serialized bucket by bucket (a fixed split by
//! hash), in parallel and in run order, and whole buckets are joined into shards.

use crate::text::tokens::scan;
use rayon::prelude::*;

/// What is indexed of one document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Text<'a> {
    /// The title: each occurrence of a term weighs [`TITLE_WEIGHT`].
    pub title: &'a str,
    /// The summary written apart (front matter): [`SUMMARY_WEIGHT`].
    pub summary: &'a str,
    /// The plain text of the body: 1 per occurrence, up to [`BODY_CAP`].
    pub body: &'a str,
}

/// Weight of one occurrence of a term in the title.
pub const TITLE_WEIGHT: u32 = 3;
/// Weight of one occurrence of a term in the summary.
pub const SUMMARY_WEIGHT: u32 = 2;
/// Occurrences in the body count 1 each, up to this many: a long text that keeps repeating a
/// common word (`lượng` in every "chất lượng") must not outrank an article with the word in
/// its title.
pub const BODY_CAP: u32 = 5;
/// The highest weight of a term in a document.
pub const MAX_WEIGHT: u32 = 30;

/// Uncompressed size an average shard should stay under (it ends up between half and all of
/// it).
pub const SHARD_BYTES: usize = 32 * 1024;

/// Postings are packed as `doc << 8 | weight`.
const WEIGHT_BITS: u32 = 8;
/// The most documents the packing allows.
pub const MAX_DOCS: usize = 1 << (32 - WEIGHT_BITS);

/// The terms met by one task, each stored once; looked up by open addressing on the FNV-1a
/// hash the shards need anyway.
#[derive(Default)]
struct Vocabulary {
    /// (hash, term index + 1) in each slot (index 0: empty); the length is a power of two.
    slots: Vec<(u32, u32)>,
    terms: Vec<Term>,
    text: Vec<u8>,
}

/// A term of a [`Vocabulary`]: its bytes are `text[start..start + len]`; `head` packs the
/// first 8, so that comparing most terms (Vietnamese syllables are short) reads no text.
struct Term {
    hash: u32,
    start: u32,
    len: u32,
    head: u64,
}

fn head(term: &[u8]) -> u64 {
    let mut head = [0; 8];
    let n = term.len().min(8);
    head[..n].copy_from_slice(&term[..n]);
    u64::from_le_bytes(head)
}

impl Vocabulary {
    fn term(&self, id: usize) -> &[u8] {
        let t = &self.terms[id];
        &self.text[t.start as usize..(t.start + t.len) as usize]
    }

    fn hash(&self, id: usize) -> u32 {
        self.terms[id].hash
    }

    /// The index of `term`, added when new.
    fn id(&mut self, term: &[u8], hash: u32) -> usize {
        if self.terms.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut slot = spread(hash) & mask;
        let head = head(term);
        loop {
            match self.slots[slot] {
                (_, 0) => break,
                (h, found) if h == hash => {
                    let id = found as usize - 1;
                    let t = &self.terms[id];
                    if t.head == head
                        && t.len as usize == term.len()
                        && (term.len() <= 8 || self.term(id) == term)
                    {
                        return id;
                    }
                }
                _ => {}
            }
            slot = (slot + 1) & mask;
        }
        self.terms.push(Term {
            hash,
            start: self.text.len() as u32,
            len: term.len() as u32,
            head,
        });
        self.text.extend_from_slice(term);
        self.slots[slot] = (hash, self.terms.len() as u32);
        self.terms.len() - 1
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        self.slots = vec![(0, 0); size];
        for (i, t) in self.terms.iter().enumerate() {
            let mut slot = spread(t.hash) & (size - 1);
            while self.slots[slot].1 != 0 {
                slot = (slot + 1) & (size - 1);
            }
            self.slots[slot] = (t.hash, i as u32 + 1);
        }
    }
}

/// FNV-1a's low bits are its weakest: mix them before picking a slot.
fn spread(hash: u32) -> usize {
    (hash.wrapping_mul(0x9e37_79b9) ^ (hash >> 15)) as usize
}

/// The postings of one run of documents.
struct Run {
    vocabulary: Vocabulary,
    /// Packed postings of each term, ascending doc ids.
    postings: Vec<Vec<u32>>,
    /// Term ids grouped by bucket (counting sort): the terms of bucket `b` are
    /// `by_bucket[starts[b]..starts[b + 1]]`.
    by_bucket: Vec<u32>,
    starts: Vec<u32>,
}

fn index_run(first: usize, texts: &[Text]) -> Run {
    let mut vocabulary = Vocabulary::default();
    let mut postings: Vec<Vec<u32>> = Vec::new();
    // Per term of the current document: weight from the title and summary, body occurrences.
    let mut weights: Vec<(u32, u32)> = Vec::new();
    let mut touched: Vec<usize> = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let doc = (first + i) as u32;
        // The body's occurrences are counted apart (`None`), to be capped.
        for (part, weight) in [
            (text.title, Some(TITLE_WEIGHT)),
            (text.summary, Some(SUMMARY_WEIGHT)),
            (text.body, None),
        ] {
            scan(part, |term, hash| {
                let id = vocabulary.id(term, hash);
                if id == postings.len() {
                    postings.push(Vec::new());
                    weights.push((0, 0));
                }
                let w = &mut weights[id];
                if *w == (0, 0) {
                    touched.push(id);
                }
                match weight {
                    Some(weight) => w.0 += weight,
                    None => w.1 += 1,
                }
            });
        }
        for &id in &touched {
            let (heading, body) = weights[id];
            let weight = (heading + body.min(BODY_CAP)).min(MAX_WEIGHT);
            postings[id].push(doc << WEIGHT_BITS | weight);
            weights[id] = (0, 0);
        }
        touched.clear();
    }
    Run {
        vocabulary,
        postings,
        by_bucket: Vec::new(),
        starts: Vec::new(),
    }
}

impl Run {
    fn group_by_bucket(&mut self) {
        let bucket = |id: usize| (self.vocabulary.hash(id) & (BUCKETS - 1)) as usize;
        let mut starts = vec![0u32; BUCKETS as usize + 1];
        for id in 0..self.postings.len() {
            starts[bucket(id) + 1] += 1;
        }
        for b in 0..BUCKETS as usize {
            starts[b + 1] += starts[b];
        }
        let mut next = starts.clone();
        let mut by_bucket = vec![0u32; self.postings.len()];
        for id in 0..self.postings.len() {
            let b = bucket(id);
            by_bucket[next[b] as usize] = id as u32;
            next[b] += 1;
        }
        self.by_bucket = by_bucket;
        self.starts = starts;
    }

    fn bucket(&self, b: usize) -> impl Iterator<Item = (&[u8], &[u32])> {
        self.by_bucket[self.starts[b] as usize..self.starts[b + 1] as usize]
            .iter()
            .map(|&id| {
                (
                    self.vocabulary.term(id as usize),
                    &self.postings[id as usize][..],
                )
            })
    }
}

/// The number of shards for about `bytes` of postings: a power of two, at least 16, so that
/// an average shard holds at most [`SHARD_BYTES`].
pub fn shard_count(bytes: usize) -> u32 {
    (bytes.div_ceil(SHARD_BYTES).next_power_of_two().max(16)) as u32
}

/// Terms are first grouped by the low bits of their hash into this many buckets, serialized,
/// and then the buckets of each shard are joined: a shard count is a power of two no larger,
/// so a shard is a set of whole buckets. The output depends on neither the thread count nor
/// how documents were cut into runs.
const BUCKETS: u32 = 1 << 16;

/// The shard files of `texts` (document `i` is `texts[i]`): the number of shards and the
/// content of each, in shard order.
pub fn shards(texts: &[Text]) -> (u32, Vec<Vec<u8>>) {
    assert!(texts.len() < MAX_DOCS, "too many documents to index");
    let tasks = rayon::current_num_threads() * 4;
    let run_len = texts.len().div_ceil(tasks).max(64);
    let mut runs: Vec<Run> = texts
        .par_chunks(run_len)
        .enumerate()
        .map(|(i, chunk)| index_run(i * run_len, chunk))
        .collect();
    runs.par_iter_mut().for_each(Run::group_by_bucket);
    let buckets: Vec<Vec<u8>> = (0..BUCKETS as usize)
        .into_par_iter()
        .map(|b| bucket_entries(&runs, b))
        .collect();
    drop(runs);
    let shards = shard_count(buckets.iter().map(Vec::len).sum()).min(BUCKETS);
    let files = (0..shards as usize)
        .into_par_iter()
        .map(|s| {
            let mine = || buckets[s..].iter().step_by(shards as usize);
            let mut file = Vec::with_capacity(mine().map(|b| b.len() + 1).sum::<usize>() + 2);
            file.push(b'{');
            for bucket in mine().filter(|b| !b.is_empty()) {
                if file.len() > 1 {
                    file.push(b',');
                }
                file.extend_from_slice(bucket);
            }
            file.push(b'}');
            file
        })
        .collect();
    (shards, files)
}

/// `"term":[docDelta,weight,...],...` for the terms of bucket `b`, sorted, each list in
/// ascending doc order.
fn bucket_entries(runs: &[Run], b: usize) -> Vec<u8> {
    // (term, run): sorting keeps each term's runs in order, so its docs ascend.
    let mut entries: Vec<(&[u8], usize, &[u32])> = runs
        .iter()
        .enumerate()
        .flat_map(|(r, run)| run.bucket(b).map(move |(term, list)| (term, r, list)))
        .collect();
    if entries.is_empty() {
        return Vec::new();
    }
    entries.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.2.len() * 6).sum::<usize>() + 2);
    let mut i = 0;
    while i < entries.len() {
        let term = entries[i].0;
        if i > 0 {
            out.push(b',');
        }
        let text = std::str::from_utf8(term).expect("terms are made of whole characters");
        super::json::push_str(&mut out, text);
        out.extend_from_slice(b":[");
        let mut previous = 0;
        let mut first = true;
        while i < entries.len() && entries[i].0 == term {
            for &p in entries[i].2 {
                let doc = p >> WEIGHT_BITS;
                if !first {
                    out.push(b',');
                }
                first = false;
                super::json::push_u32(&mut out, doc - previous);
                out.push(b',');
                super::json::push_u32(&mut out, p & 0xff);
                previous = doc;
            }
            i += 1;
        }
        out.push(b']');
    }
    out
}

/// Reads a postings list back: `(doc, weight)` pairs from `[docDelta, weight, ...]` (what
/// `search.js` does).
pub fn decode(list: &[u32]) -> Vec<(u32, u32)> {
    let mut doc = 0;
    list.chunks(2)
        .map(|pair| {
            doc += pair[0];
            (doc, pair[1])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::fnv1a;
    use std::collections::BTreeMap;

    fn text<'a>(title: &'a str, body: &'a str) -> Text<'a> {
        Text {
            title,
            summary: "",
            body,
        }
    }

    /// The shards of `texts`, parsed into term → delta-encoded list.
    fn parsed(texts: &[Text]) -> (u32, BTreeMap<String, Vec<u32>>) {
        let (shards, files) = shards(texts);
        let mut all = BTreeMap::new();
        for (s, file) in files.iter().enumerate() {
            let file = String::from_utf8(file.clone()).unwrap();
            let inner = &file[1..file.len() - 1];
            for entry in inner.split("],").filter(|e| !e.is_empty()) {
                let (term, list) = entry.split_once(":[").unwrap();
                let term = term.trim_matches('"').to_string();
                assert_eq!(crate::text::tokens::shard_of(&term, shards), s as u32);
                let list = list.trim_end_matches(']');
                let list = list.split(',').map(|n| n.parse().unwrap()).collect();
                all.insert(term, list);
            }
        }
        (shards, all)
    }

    #[test]
    fn postings_are_delta_encoded_and_weighted() {
        let texts = [
            text("Đo lường", "Kiểm tra đo lường xăng dầu."),
            text("Hội thảo", "Khoa học."),
            Text {
                title: "Khoa học",
                summary: "khoa học và đo lường",
                body: "Học, học nữa, học mãi. Học. Học. Học. Học.",
            },
        ];
        let (shards, index) = parsed(&texts);
        assert_eq!(shards, 16);
        assert_eq!(decode(&index["do"]), [(0, 4), (2, 2)]);
        assert_eq!(index["do"], [0, 4, 2, 2], "the second doc id is a delta");
        assert_eq!(decode(&index["hoc"]), [(1, 1), (2, 3 + 2 + BODY_CAP)]);
        assert_eq!(decode(&index["xang"]), [(0, 1)]);
        assert!(!index.contains_key("đo"), "only folded terms");
    }

    #[test]
    fn runs_merge_in_doc_order_and_weights_are_capped() {
        // More documents than one run holds, so lists span several runs.
        let many = "hoc ".repeat(100);
        let texts: Vec<Text> = (0..1000)
            .map(|i| match i % 4 {
                0 => text("a", "hoc hoc"),
                1 => text("b", "x"),
                2 => text("c", &many),
                _ => text(&many, &many),
            })
            .collect();
        let (_, index) = parsed(&texts);
        let hoc = decode(&index["hoc"]);
        let expected: Vec<(u32, u32)> = (0..1000u32)
            .filter(|i| i % 4 != 1)
            .map(|i| (i, [2, 0, BODY_CAP, MAX_WEIGHT][i as usize % 4]))
            .collect();
        assert_eq!(hoc, expected);
        assert_eq!(decode(&index["x"]).len(), 250);
    }

    #[test]
    fn the_shards_do_not_depend_on_the_number_of_threads() {
        let bodies: Vec<String> = (0..20_000)
            .map(|i| format!("văn bản {i} số {} đo lường {}", i % 7, i % 101))
            .collect();
        let texts: Vec<Text> = bodies.iter().map(|b| text("Tiêu đề", b)).collect();
        let with = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| shards(&texts))
        };
        let one = with(1);
        assert!(one.0 > 16, "several shards: {}", one.0);
        assert_eq!(with(3), one);
    }

    #[test]
    fn the_shard_count_keeps_shards_small() {
        assert_eq!(shard_count(0), 16);
        assert_eq!(shard_count(16 * SHARD_BYTES), 16);
        assert_eq!(shard_count(16 * SHARD_BYTES + 1), 32);
        let bytes = 30_000_000;
        let average = bytes / shard_count(bytes) as usize;
        assert!(
            (SHARD_BYTES / 2..=SHARD_BYTES).contains(&average),
            "{average}"
        );
    }

    #[test]
    fn the_vocabulary_keeps_every_term_once() {
        let mut v = Vocabulary::default();
        let mut words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        words.extend((0..100).map(|i| format!("longer-than-eight-{i}")));
        for w in &words {
            v.id(w.as_bytes(), fnv1a(w.as_bytes()));
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.id(w.as_bytes(), fnv1a(w.as_bytes())), i);
            assert_eq!(v.term(i), w.as_bytes());
        }
        assert_eq!(v.terms.len(), words.len());
    }

    #[test]
    fn an_empty_site_has_empty_shards() {
        let (shards, files) = shards(&[]);
        assert_eq!(shards, 16);
        assert!(files.iter().all(|f| f == b"{}"));
    }
}
