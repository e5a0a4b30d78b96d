//! Related articles ("Tin liên quan"): content similarity over an inverted index.
//!
//! Each published article becomes a TF-IDF vector over Vietnamese syllables and syllable
//! bigrams (most Vietnamese words have two syllables: "khoa học", "sở hữu trí tuệ"), built from
//! its title (weighted up), summary and body. Only its strongest terms are kept, and an inverted
//! index over them finds the candidates, so the work grows with the number of articles, not its
//! square. The score blends text similarity, shared tags, same category and closeness in time;
//! pinned articles (`related:` in front matter) come first.

use super::taxonomy::term_key;
use super::{ArticleId, Site};
use crate::error::Problem;
use crate::text::nfc;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Terms kept per article: its strongest by TF-IDF. More finds weaker links, costs more.
const TOP_TERMS: usize = 24;
/// Terms in more than this share of the published articles carry no signal and are dropped.
const MAX_DF_FRACTION: f64 = 0.2;
/// ... but a term in up to this many articles is always kept.
const MIN_MAX_DF: u32 = 10;
/// Postings read per term when gathering candidates: the articles where the term weighs most
/// (a "champion list"). This bounds the work per article, so the whole step grows linearly.
const MAX_POSTINGS: usize = 100;
/// Candidates (by partial text score) given the exact score.
const SHORTLIST: usize = 30;
/// A title term counts as this many body occurrences; a summary term as `SUMMARY_WEIGHT`.
const TITLE_WEIGHT: f32 = 3.0;
const SUMMARY_WEIGHT: f32 = 1.5;
/// Body syllables read per article: the lead carries the topic, and this bounds very long bodies.
const MAX_BODY_SYLLABLES: usize = 300;
/// Bytes of a body's plain text kept for [`MAX_BODY_SYLLABLES`] syllables: a Vietnamese
/// syllable with its space averages under 6 bytes (the longest, `nghiêng `, takes 9), so 8 a
/// syllable covers the limit in ordinary text, and the site need not keep more of every
/// article's text in memory.
pub const PLAIN_TEXT_NEEDED: usize = MAX_BODY_SYLLABLES * 8;
/// Articles tokenized together with one syllable table.
const CHUNK: usize = 512;

/// Vietnamese function words: they are not terms and break syllable bigrams.
/// Sorted (byte order), for binary search.
const STOP_WORDS: &[&str] = &[
    "ai", "bà", "bị", "bởi", "chiếc", "cho", "chúng", "chỉ", "các", "cái", "có", "cùng", "cũng",
    "cả", "của", "do", "gì", "hay", "hoặc", "hơn", "hết", "họ", "khi", "không", "kia", "là", "lên",
    "lại", "mà", "mình", "mọi", "mỗi", "một", "nhau", "nhiều", "như", "nhưng", "nhất", "nhằm",
    "những", "nào", "này", "nên", "nó", "nếu", "qua", "ra", "rất", "rằng", "sau", "sẽ", "sự", "ta",
    "thì", "thế", "trong", "trên", "trước", "tôi", "tại", "tất", "từ", "việc", "và", "vào", "vì",
    "vẫn", "vậy", "về", "với", "ông", "đang", "đây", "đã", "đó", "được", "đến", "đều", "để", "ấy",
    "ở",
];

/// For each article id (len == `site.articles.len()`): its related articles, best first.
///
/// Empty for unpublished articles and pages. Pinned articles (`related:` in front matter,
/// resolved against the article's folder, then against `content/`) come first, then the best
/// scored ones, at most `related.count` in all; candidates scoring below `related.min_score`
/// are left out rather than used as filler. Only published articles are listed, never the
/// article itself, and the same content always gives the same lists.
///
/// Errors: a pinned path of a published article that names no file under `content/`.
pub fn related_articles(site: &Site) -> Result<Vec<Vec<ArticleId>>, Vec<Problem>> {
    let pins = resolve_pins(site)?;
    let cfg = &site.config.related;
    let mut out = vec![Vec::new(); site.articles.len()];
    if cfg.count == 0 || site.published.is_empty() {
        return Ok(out);
    }
    let index = Index::build(site);
    let lists: Vec<Vec<ArticleId>> = (0..site.published.len())
        .into_par_iter()
        .map_init(
            || Scratch::new(&index),
            |scratch, d| {
                let id = site.published[d];
                let mut list: Vec<ArticleId> = Vec::with_capacity(cfg.count);
                for &p in &pins[id] {
                    if list.len() < cfg.count
                        && p != id
                        && index.doc_of[p].is_some()
                        && !list.contains(&p)
                    {
                        list.push(p);
                    }
                }
                if list.len() < cfg.count {
                    for (e, _) in index.scored(site, d, scratch) {
                        let other = site.published[e];
                        if list.len() == cfg.count {
                            break;
                        }
                        if !list.contains(&other) {
                            list.push(other);
                        }
                    }
                }
                list
            },
        )
        .collect();
    for (d, list) in lists.into_iter().enumerate() {
        out[site.published[d]] = list;
    }
    Ok(out)
}

/// The pinned targets of each article (ids, as written, unpublished ones included).
fn resolve_pins(site: &Site) -> Result<Vec<Vec<ArticleId>>, Vec<Problem>> {
    let by_source: HashMap<&str, ArticleId> = site
        .articles
        .iter()
        .enumerate()
        .map(|(id, a)| (a.source.as_str(), id))
        .collect();
    let mut pins = vec![Vec::new(); site.articles.len()];
    let mut problems = Vec::new();
    for &id in &site.published {
        let a = &site.articles[id];
        for written in &a.related {
            let path = nfc(written.trim()).into_owned();
            // Beside the article first, then from content/; `/x.md` only from content/.
            let mut tried: Vec<String> = Vec::with_capacity(2);
            match path.strip_prefix('/') {
                Some(rooted) => tried.push(rooted.to_string()),
                None => {
                    tried.extend(super::links::join(&a.source, &path));
                    if !tried.contains(&path) {
                        tried.push(path.clone());
                    }
                }
            }
            match tried.iter().find_map(|p| by_source.get(p.as_str())) {
                Some(&target) => pins[id].push(target),
                None => {
                    let paths: Vec<String> = tried.iter().map(|p| format!("content/{p}")).collect();
                    problems.push(
                        Problem::error(
                            a.display_path(),
                            format!(
                                "related article `{written}` does not exist: there is no {}",
                                paths.join(" nor ")
                            ),
                        )
                        .in_field("related")
                        .at_line(a.line_of("related")),
                    );
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(pins)
    } else {
        Err(problems)
    }
}

// ---------------------------------------------------------------------------------------------
// Tokenization
// ---------------------------------------------------------------------------------------------

/// One step of a text scan: a lowercase syllable, or a break that no bigram may cross.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Syllable(&'a str),
    Break,
}

/// Splits `text` into lowercase syllables. Letters and digits form syllables; spaces and
/// hyphens separate them; other punctuation and line ends are breaks. Numbers are not terms,
/// and stand as breaks. Diacritics are kept: "ca", "cá", "cà" are different syllables.
/// `text` must be NFC (all loaded text is). Returns after `limit` syllables.
fn scan(text: &str, limit: usize, buf: &mut String, mut f: impl FnMut(Token<'_>)) {
    let bytes = text.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 && !b.is_ascii_alphanumeric() {
            if !matches!(b, b' ' | b'\t' | b'-' | b'\'' | b'*' | b'_') {
                f(Token::Break);
            }
            i += 1;
            continue;
        }
        if b >= 0x80 {
            let c = text[i..].chars().next().expect("inside the text");
            if !is_letter(c) {
                // Non-breaking and thin spaces, hyphens inside names separate like spaces.
                if !matches!(
                    c,
                    '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{2010}' | '\u{2011}'
                ) {
                    f(Token::Break);
                }
                i += c.len_utf8();
                continue;
            }
        }
        // A syllable: copied into `buf` only from its first uppercase letter on.
        let start = i;
        let mut has_letter = false;
        let mut copied = false;
        while i < bytes.len() {
            let b = bytes[i];
            let (c, len) = if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                (b as char, 1)
            } else {
                let c = text[i..].chars().next().expect("inside the text");
                if !is_letter(c) {
                    break;
                }
                (c, c.len_utf8())
            };
            has_letter |= !c.is_ascii_digit();
            let l = lowercase(c);
            if l != c && !copied {
                buf.clear();
                buf.push_str(&text[start..i]);
                copied = true;
            }
            if copied {
                buf.push(l);
            }
            i += len;
        }
        if !has_letter {
            f(Token::Break);
            continue;
        }
        f(Token::Syllable(if copied { buf } else { &text[start..i] }));
        seen += 1;
        if seen >= limit {
            return;
        }
    }
}

/// Whether a non-ASCII character is part of a syllable; Vietnamese letters without a table look-up.
#[inline]
fn is_letter(c: char) -> bool {
    match c as u32 {
        0xd7 | 0xf7 => false,
        0xc0..=0x24f | 0x1e00..=0x1eff | 0x300..=0x36f => true,
        _ => c.is_alphanumeric(),
    }
}

/// The lowercase of a letter; Vietnamese letters without a table look-up.
#[inline]
fn lowercase(c: char) -> char {
    let u = c as u32;
    let lower = match u {
        0x41..=0x5a => u + 0x20,
        0..=0x7f => u,
        0xc0..=0xde if u != 0xd7 => u + 0x20,
        0xdf..=0xff => u,
        0x100..=0x137 | 0x14a..=0x177 | 0x1e00..=0x1e95 | 0x1ea0..=0x1eff => u | 1,
        0x1a0 => 0x1a1,
        0x1af => 0x1b0,
        0x1a1 | 0x1b0 => u,
        _ => return c.to_lowercase().next().unwrap_or(c),
    };
    char::from_u32(lower).unwrap_or(c)
}

fn is_stop_word(syllable: &str) -> bool {
    STOP_WORDS.binary_search(&syllable).is_ok()
}

/// The terms of `text` as strings: syllables and bigrams (`"khoa học"`), stop words left out.
/// For tests and for explaining lists; the index uses [`Tokenizer`].
#[cfg(test)]
fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev: Option<String> = None;
    let mut buf = String::new();
    scan(&nfc(text), usize::MAX, &mut buf, |t| match t {
        Token::Syllable(s) if !is_stop_word(s) => {
            if let Some(p) = &prev {
                out.push(format!("{p} {s}"));
            }
            out.push(s.to_string());
            prev = Some(s.to_string());
        }
        _ => prev = None,
    });
    out
}

/// Fast non-cryptographic hash for integer and short string keys (Fx-style, with a final
/// mix so keys that differ only in high bits spread). Deterministic: nothing is random.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

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

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A hasher for keys that already are well-mixed hashes.
#[derive(Default, Clone, Copy)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys are hashed");
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A well-mixed 64-bit hash of a syllable's bytes, eight at a time.
#[inline]
fn syllable_hash(s: &str) -> u64 {
    let mut h = FxHasher(s.len() as u64);
    h.write(s.as_bytes());
    h.finish()
}

/// A chunk's syllable table: local id → (syllable, is a stop word).
type Syllables = Vec<(Box<str>, bool)>;
/// The terms of one article, in no particular order, each packed as [`count`] makes it: half
/// the memory of (key, f32) pairs, which at 100,000 articles is hundreds of megabytes.
type TermCounts = Vec<u64>;

/// Syllable ids are below this (24 bits), so a bigram key fits in 48 bits. A site would need
/// sixteen million distinct syllables to reach it; any beyond are not terms.
const MAX_SYLLABLES: u32 = 1 << 24;

/// A term key from syllable ids: a syllable is its id, a bigram `(a + 1) << 24 | b`.
fn unigram(s: u32) -> u64 {
    u64::from(s)
}
fn bigram(a: u32, b: u32) -> u64 {
    ((u64::from(a) + 1) << 24) | u64::from(b)
}

/// A term key (48 bits) and its weighted tf in 1/256 steps (16 bits) in one word.
fn count(key: u64, tf: f32) -> u64 {
    (key << 16) | u64::from((tf * 256.0).round().clamp(0.0, 65535.0) as u16)
}
fn key_of(count: u64) -> u64 {
    count >> 16
}
fn tf_of(count: u64) -> f32 {
    f32::from((count & 0xffff) as u16) / 256.0
}

/// Turns texts into weighted term counts, with syllable ids local to one chunk of articles.
struct Tokenizer {
    /// Syllable hash → local id. 64-bit hashes of at most a few hundred thousand distinct
    /// syllables do not collide in practice, and comparing hashes is much faster than strings.
    ids: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    /// Local id → syllable, and whether it is a stop word.
    syllables: Vec<(Box<str>, bool)>,
    /// Weighted count of each syllable in the current article, by local id.
    unigrams: Vec<f32>,
    seen: Vec<u32>,
    bigrams: FxMap<u64, f32>,
    buf: String,
}

impl Tokenizer {
    fn new() -> Self {
        Tokenizer {
            ids: HashMap::default(),
            syllables: Vec::new(),
            unigrams: Vec::new(),
            seen: Vec::new(),
            bigrams: FxMap::default(),
            buf: String::new(),
        }
    }

    fn add(&mut self, text: &str, weight: f32, limit: usize) {
        let Tokenizer {
            ids,
            syllables,
            unigrams,
            seen,
            bigrams,
            buf,
        } = self;
        let mut prev: Option<u32> = None;
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
                syllables.len() as u32 - 1
            });
            if syllables[id as usize].1 {
                prev = None;
                return;
            }
            let count = &mut unigrams[id as usize];
            if *count == 0.0 {
                seen.push(id);
            }
            *count += weight;
            if let Some(p) = prev {
                *bigrams.entry(bigram(p, id)).or_insert(0.0) += weight;
            }
            prev = Some(id);
        });
    }

    /// The counts gathered since the last call, as [`count`]s of (local key, sublinear tf).
    fn take(&mut self) -> TermCounts {
        let tf = |c: f32| if c > 1.0 { 1.0 + c.ln() } else { c };
        let mut out = Vec::with_capacity(self.seen.len() + self.bigrams.len());
        for id in self.seen.drain(..) {
            let c = std::mem::take(&mut self.unigrams[id as usize]);
            out.push(count(unigram(id), tf(c)));
        }
        out.extend(self.bigrams.drain().map(|(k, c)| count(k, tf(c))));
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------------------------

/// Everything scoring needs, by document number `d` (the position in `site.published`, so a
/// lower `d` is newer, ties by source path: the order ties are broken in).
struct Index {
    /// Article id → document number, for published articles.
    doc_of: Vec<Option<usize>>,
    /// Normalized TF-IDF vectors over the strongest terms, sorted by term id.
    vectors: Vec<Vec<(u32, f32)>>,
    /// Term id → (d, weight), heaviest first (ties: lower d first).
    postings: Vec<Vec<(u32, f32)>>,
    /// Tag ids of each document, sorted and deduplicated.
    tags: Vec<Vec<u32>>,
    /// Publication time in days since the epoch.
    days: Vec<f64>,
}

/// Per-thread buffers for scoring one article.
struct Scratch {
    /// Partial text score by document.
    acc: Vec<f32>,
    touched: Vec<u32>,
    /// The vector of the article being scored, by term id.
    dense: Vec<f32>,
}

impl Scratch {
    fn new(index: &Index) -> Self {
        Scratch {
            acc: vec![0.0; index.vectors.len()],
            touched: Vec::new(),
            dense: vec![0.0; index.postings.len()],
        }
    }
}

impl Index {
    fn build(site: &Site) -> Index {
        let published = &site.published;
        let n = published.len();
        let mut doc_of = vec![None; site.articles.len()];
        for (d, &id) in published.iter().enumerate() {
            doc_of[id] = Some(d);
        }

        // 1. Tokenize in parallel, each chunk with its own syllable table.
        let chunks: Vec<(Syllables, Vec<TermCounts>)> = published
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut tok = Tokenizer::new();
                let docs = chunk
                    .iter()
                    .map(|&id| {
                        let a = &site.articles[id];
                        tok.add(&nfc(&a.title), TITLE_WEIGHT, usize::MAX);
                        if let Some(s) = &a.summary {
                            tok.add(&nfc(s), SUMMARY_WEIGHT, usize::MAX);
                        }
                        if let Some(body) = &site.bodies[id] {
                            tok.add(&body.plain, 1.0, MAX_BODY_SYLLABLES);
                        }
                        tok.take()
                    })
                    .collect();
                (tok.syllables, docs)
            })
            .collect();

        // 2. One syllable table for the site, ids in byte order of the syllables so they never
        //    depend on how the work was split; local keys are mapped to it.
        let mut all: Vec<&str> = chunks
            .iter()
            .flat_map(|(s, _)| s.iter().map(|(s, _)| &**s))
            .collect();
        all.par_sort_unstable();
        all.dedup();
        let global_id: FxMap<&str, u32> = all
            .iter()
            .enumerate()
            .map(|(i, &s)| (s, i as u32))
            .collect();
        let globals: Vec<Vec<u32>> = chunks
            .iter()
            .map(|(syllables, _)| syllables.iter().map(|(s, _)| global_id[&**s]).collect())
            .collect();
        drop(global_id);
        drop(all);
        // Keys are rewritten in place, chunk by chunk, so the counts are never held twice.
        let docs: Vec<TermCounts> = chunks
            .into_par_iter()
            .zip(globals)
            .flat_map_iter(|((_, docs), global)| {
                docs.into_iter().map(move |mut doc| {
                    doc.retain_mut(|c| {
                        let k = key_of(*c);
                        let b = global[(k & 0xff_ffff) as usize];
                        let a = (k >> 24).checked_sub(1).map(|a| global[a as usize]);
                        if b >= MAX_SYLLABLES || a.is_some_and(|a| a >= MAX_SYLLABLES - 1) {
                            return false;
                        }
                        let key = a.map_or_else(|| unigram(b), |a| bigram(a, b));
                        *c = count(key, tf_of(*c));
                        true
                    });
                    doc
                })
            })
            .collect();

        // 3. Document frequencies; keep the terms that can link articles and say something.
        let df: FxMap<u64, u32> = docs
            .par_iter()
            .fold(FxMap::default, |mut m: FxMap<u64, u32>, doc| {
                for &c in doc {
                    *m.entry(key_of(c)).or_insert(0) += 1;
                }
                m
            })
            .reduce(FxMap::default, |mut a, b| {
                let (mut a, b) = if a.len() >= b.len() {
                    (a, b)
                } else {
                    (b, std::mem::take(&mut a))
                };
                for (k, c) in b {
                    *a.entry(k).or_insert(0) += c;
                }
                a
            });
        // Small sites keep more: there IDF alone tells common terms from rare ones.
        let max_df = ((n as f64 * MAX_DF_FRACTION) as u32).max(MIN_MAX_DF);
        let mut kept: Vec<(u64, u32)> = df
            .into_iter()
            .filter(|&(_, c)| c >= 2 && c <= max_df && (c as usize) < n)
            .collect();
        kept.sort_unstable_by_key(|&(k, _)| k);
        let term_id: FxMap<u64, u32> = kept
            .iter()
            .enumerate()
            .map(|(i, &(k, _))| (k, i as u32))
            .collect();
        let idf: Vec<f32> = kept
            .iter()
            .map(|&(_, c)| (n as f64 / f64::from(c)).ln() as f32)
            .collect();

        // 4. Each document's strongest terms, normalized.
        let vectors: Vec<Vec<(u32, f32)>> = docs
            .into_par_iter()
            .map(|doc| {
                let mut v: Vec<(u32, f32)> = doc
                    .iter()
                    .filter_map(|&c| {
                        let t = *term_id.get(&key_of(c))?;
                        Some((t, tf_of(c) * idf[t as usize]))
                    })
                    .collect();
                let heaviest =
                    |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                if v.len() > TOP_TERMS {
                    v.select_nth_unstable_by(TOP_TERMS - 1, heaviest);
                    v.truncate(TOP_TERMS);
                }
                let norm = v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
                if norm > 0.0 {
                    for (_, w) in &mut v {
                        *w /= norm;
                    }
                }
                v.sort_unstable_by_key(|&(t, _)| t);
                v
            })
            .collect();

        // 5. The inverted index, heaviest postings first.
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); kept.len()];
        for (d, v) in vectors.iter().enumerate() {
            for &(t, w) in v {
                postings[t as usize].push((d as u32, w));
            }
        }
        postings.par_iter_mut().for_each(|p| {
            p.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        });

        // Tag keys in parallel; ids in order of first use, so they never depend on threads.
        let tag_keys: Vec<Vec<String>> = published
            .par_iter()
            .map(|&id| {
                let tags = &site.articles[id].tags;
                tags.iter()
                    .map(|tag| term_key(&nfc(tag)))
                    .filter(|k| !k.is_empty())
                    .collect()
            })
            .collect();
        let mut tag_ids: HashMap<String, u32> = HashMap::new();
        let tags = tag_keys
            .into_iter()
            .map(|keys| {
                let mut t: Vec<u32> = keys
                    .into_iter()
                    .map(|k| {
                        let next = tag_ids.len() as u32;
                        *tag_ids.entry(k).or_insert(next)
                    })
                    .collect();
                t.sort_unstable();
                t.dedup();
                t
            })
            .collect();
        let days = published
            .iter()
            .map(|&id| site.articles[id].date.timestamp() as f64 / 86_400.0)
            .collect();
        Index {
            doc_of,
            vectors,
            postings,
            tags,
            days,
        }
    }

    /// The candidates of document `d` at or above the minimum score, best first
    /// (ties: lower `d`, that is newer, first), as (document, score).
    fn scored(&self, site: &Site, d: usize, scratch: &mut Scratch) -> Vec<(usize, f64)> {
        let Scratch {
            acc,
            touched,
            dense,
        } = scratch;
        for &(t, wa) in &self.vectors[d] {
            let list = &self.postings[t as usize];
            for &(e, wb) in &list[..list.len().min(MAX_POSTINGS)] {
                let slot = &mut acc[e as usize];
                if *slot == 0.0 {
                    touched.push(e);
                }
                *slot += wa * wb;
            }
        }
        let mut partial: Vec<(u32, f32)> = touched
            .drain(..)
            .filter(|&e| e as usize != d)
            .map(|e| (e, std::mem::take(&mut acc[e as usize])))
            .collect();
        acc[d] = 0.0;
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if partial.len() > SHORTLIST {
            partial.select_nth_unstable_by(SHORTLIST - 1, by_score);
            partial.truncate(SHORTLIST);
        }
        let cfg = &site.config.related;
        let id = site.published[d];
        for &(t, w) in &self.vectors[d] {
            dense[t as usize] = w;
        }
        let mut scored: Vec<(usize, f64)> = partial
            .into_iter()
            .map(|(e, _)| {
                let e = e as usize;
                let other = site.published[e];
                let text: f32 = self.vectors[e]
                    .iter()
                    .map(|&(t, w)| dense[t as usize] * w)
                    .sum();
                let text = f64::from(text);
                let tags = jaccard(&self.tags[d], &self.tags[e]);
                let same_category = site.category_of[id].is_some()
                    && site.category_of[id] == site.category_of[other];
                let apart = (self.days[d] - self.days[e]).abs();
                let recency = if cfg.recency_days > 0.0 {
                    0.5f64.powf(apart / cfg.recency_days)
                } else {
                    0.0
                };
                let score = cfg.text_weight * text
                    + cfg.tags_weight * tags
                    + if same_category {
                        cfg.category_weight
                    } else {
                        0.0
                    }
                    + cfg.recency_weight * recency;
                (e, score)
            })
            .filter(|&(_, s)| s >= cfg.min_score)
            .collect();
        for &(t, _) in &self.vectors[d] {
            dense[t as usize] = 0.0;
        }
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
    }
}

/// Shared tags over all tags of the two (0 when neither has tags).
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|t| b.binary_search(t).is_ok()).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::{parse_article, Loaded};
    use crate::site::AssembleOptions;
    use chrono::DateTime;

    /// One test article: (source, date, category, tags, title, body, extra front matter).
    struct A<'a>(
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
    );

    fn site_with(config: Config, articles: &[A<'_>]) -> Site {
        try_site(config, articles).expect("site assembles")
    }

    fn try_site(config: Config, articles: &[A<'_>]) -> crate::Result<Site> {
        let mut loaded = Loaded::default();
        for A(source, date, category, tags, title, body, extra) in articles {
            let text = format!(
                "---\ntitle: \"{title}\"\ndate: {date}\ncategory: \"{category}\"\ntags: [{tags}]\n{extra}---\n{body}\n"
            );
            loaded
                .articles
                .push(parse_article(source, &text, &config).expect("valid article"));
        }
        loaded.articles.sort_by(|a, b| a.source.cmp(&b.source));
        let now = DateTime::parse_from_rfc3339("2030-01-01T00:00:00+07:00").unwrap();
        Site::assemble(config, loaded, AssembleOptions { drafts: false, now })
    }

    fn site(articles: &[A<'_>]) -> Site {
        site_with(Config::default(), articles)
    }

    fn id(site: &Site, source: &str) -> ArticleId {
        site.articles
            .iter()
            .position(|a| a.source == source)
            .expect("article exists")
    }

    fn sources(site: &Site, ids: &[ArticleId]) -> Vec<String> {
        ids.iter()
            .map(|&i| site.articles[i].source.clone())
            .collect()
    }

    const TEA: &str = "Nghiên cứu nhân giống chè Shan tuyết bằng phương pháp giâm hom, vùng chè Shan tuyết cổ thụ.";
    const FISH: &str =
        "Mô hình nuôi cá lồng trên hồ thủy điện, cá rô phi đơn tính cho năng suất cao.";
    const XRAY: &str =
        "Cấp giấy phép tiến hành công việc bức xạ cho thiết bị X-quang chẩn đoán y tế.";

    fn three_topics() -> Vec<A<'static>> {
        vec![
            A(
                "2024/01/che-1.md",
                "2024-01-10",
                "KH",
                "",
                "Nhân giống chè Shan tuyết",
                TEA,
                "",
            ),
            A(
                "2024/02/che-2.md",
                "2024-02-10",
                "KH",
                "",
                "Mở rộng vùng chè Shan tuyết",
                TEA,
                "",
            ),
            A(
                "2024/03/ca-1.md",
                "2024-03-10",
                "KH",
                "",
                "Nuôi cá lồng",
                FISH,
                "",
            ),
            A(
                "2024/04/ca-2.md",
                "2024-04-10",
                "KH",
                "",
                "Nuôi cá rô phi",
                FISH,
                "",
            ),
            A(
                "2024/05/xq-1.md",
                "2024-05-10",
                "KH",
                "",
                "Cấp phép X-quang",
                XRAY,
                "",
            ),
            A(
                "2024/06/xq-2.md",
                "2024-06-10",
                "KH",
                "",
                "Kiểm tra X-quang y tế",
                XRAY,
                "",
            ),
        ]
    }

    #[test]
    fn splits_syllables_and_bigrams_without_stop_words() {
        assert_eq!(
            terms("Khoa học và công nghệ"),
            ["khoa", "khoa học", "học", "công", "công nghệ", "nghệ"]
        );
        let t = terms("sở hữu trí tuệ");
        assert!(
            t.contains(&"sở hữu".to_string()) && t.contains(&"trí tuệ".to_string()),
            "{t:?}"
        );
        assert!(t.contains(&"hữu trí".to_string()), "{t:?}");
    }

    #[test]
    fn punctuation_and_numbers_break_bigrams_and_are_not_terms() {
        assert_eq!(terms("chè, cá"), ["chè", "cá"]);
        assert_eq!(terms("Năm 2024 tỉnh"), ["năm", "tỉnh"]);
        assert_eq!(terms("tăng 12,5% (so với) kỳ trước."), ["tăng", "so", "kỳ"]);
        assert_eq!(terms("X-quang"), ["x", "x quang", "quang"]);
        assert_eq!(terms("ISO 9001"), ["iso"]);
        assert_eq!(terms("virus H5N1"), ["virus", "virus h5n1", "h5n1"]);
        assert_eq!(
            terms("dòng một\ndòng hai"),
            ["dòng", "dòng", "dòng hai", "hai"]
        );
    }

    #[test]
    fn keeps_diacritics_and_lowercases() {
        assert_eq!(terms("Ca CÁ cà"), ["ca", "ca cá", "cá", "cá cà", "cà"]);
        assert_eq!(terms("ĐO LƯỜNG"), ["đo", "đo lường", "lường"]);
    }

    #[test]
    fn fast_lowercase_agrees_with_unicode() {
        for u in (0..0x250).chain(0x1e00..0x1f00) {
            let Some(c) = char::from_u32(u) else { continue };
            let mut l = c.to_lowercase();
            if l.len() == 1 && (c.is_alphanumeric() || u < 0x80) {
                assert_eq!(lowercase(c), l.next().unwrap(), "U+{u:04X}");
            }
            if u >= 0x80 {
                assert_eq!(
                    is_letter(c),
                    c.is_alphanumeric() || (0x300..0x370).contains(&u),
                    "U+{u:04X}"
                );
            }
        }
    }

    #[test]
    fn nfd_text_gives_the_same_terms_as_nfc() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Chỉ dẫn địa lý cam sành".nfd().collect();
        assert_eq!(terms(&nfd), terms("Chỉ dẫn địa lý cam sành"));
        assert!(terms(&nfd).contains(&"địa lý".to_string()));
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS);
        assert!(is_stop_word("của") && is_stop_word("được") && !is_stop_word("khoa"));
    }

    #[test]
    fn a_count_packs_a_term_key_and_its_tf() {
        for key in [
            unigram(0),
            unigram(MAX_SYLLABLES - 1),
            bigram(MAX_SYLLABLES - 2, 7),
        ] {
            for tf in [0.0, 1.0, 1.5, 3.0 + 2.0f32.ln(), 200.0] {
                let c = count(key, tf);
                assert_eq!(key_of(c), key);
                assert!((tf_of(c) - tf).abs() <= 1.0 / 512.0, "{tf} -> {}", tf_of(c));
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

    #[test]
    fn lists_articles_on_the_same_subject_first() {
        let s = site(&three_topics());
        let related = related_articles(&s).unwrap();
        for (a, b) in [
            ("2024/01/che-1.md", "2024/02/che-2.md"),
            ("2024/03/ca-1.md", "2024/04/ca-2.md"),
            ("2024/06/xq-2.md", "2024/05/xq-1.md"),
        ] {
            let list = sources(&s, &related[id(&s, a)]);
            assert_eq!(list.first().map(String::as_str), Some(b), "{a}: {list:?}");
        }
    }

    #[test]
    fn never_lists_the_article_itself_nor_unpublished_ones() {
        let mut articles = three_topics();
        articles.push(A(
            "2024/07/che-nhap.md",
            "2024-07-10",
            "KH",
            "",
            "Chè Shan tuyết (nháp)",
            TEA,
            "draft: true\n",
        ));
        articles.push(A(
            "2029/01/che-sau.md",
            "2029-06-10",
            "KH",
            "",
            "Chè Shan tuyết sau này",
            TEA,
            "",
        ));
        articles.push(A(
            "gioi-thieu.md",
            "2024-01-01",
            "KH",
            "",
            "Chè Shan tuyết",
            TEA,
            "layout: page\n",
        ));
        let mut s = site(&articles);
        // Published only up to 2030; make the 2029 one a future article by moving it.
        let future = id(&s, "2029/01/che-sau.md");
        s.published.retain(|&p| p != future);
        let related = related_articles(&s).unwrap();
        assert_eq!(related.len(), s.articles.len());
        for (a, list) in related.iter().enumerate() {
            assert!(!list.contains(&a));
            for b in list {
                assert!(s.published.contains(b), "{}", s.articles[*b].source);
            }
        }
        assert!(related[id(&s, "2024/07/che-nhap.md")].is_empty());
        assert!(related[id(&s, "gioi-thieu.md")].is_empty());
        assert!(related[future].is_empty());
    }

    #[test]
    fn pinned_articles_come_first_resolved_beside_the_article_then_from_content() {
        let mut articles = three_topics();
        articles[0].6 = "related: [../04/ca-2.md, 2024/05/xq-1.md, /2024/06/xq-2.md, nhap.md]\n";
        articles.push(A(
            "2024/01/nhap.md",
            "2024-01-11",
            "KH",
            "",
            "Nháp",
            TEA,
            "draft: true\n",
        ));
        let s = site(&articles);
        let related = related_articles(&s).unwrap();
        let list = sources(&s, &related[id(&s, "2024/01/che-1.md")]);
        assert_eq!(
            &list[..3],
            ["2024/04/ca-2.md", "2024/05/xq-1.md", "2024/06/xq-2.md"]
        );
        assert_eq!(list[3], "2024/02/che-2.md", "{list:?}");
    }

    #[test]
    fn a_missing_pinned_path_is_an_error_naming_both_files_and_the_line() {
        let mut articles = three_topics();
        articles[1].6 = "related: [khong-co.md]\n";
        // Assembling the site computes the related lists, so the error surfaces there.
        let err = try_site(Config::default(), &articles).unwrap_err();
        let problems = err.problems();
        assert_eq!(problems.len(), 1);
        let text = problems[0].to_string();
        assert!(
            text.starts_with("content/2024/02/che-2.md:6: field `related`:"),
            "{text}"
        );
        assert!(
            text.contains("khong-co.md") && text.contains("content/2024/02/khong-co.md"),
            "{text}"
        );
    }

    #[test]
    fn honours_the_minimum_score_and_count() {
        let s = site(&three_topics());
        let related = related_articles(&s).unwrap();
        // With the defaults, unrelated subjects are not used as filler.
        let list = sources(&s, &related[id(&s, "2024/01/che-1.md")]);
        assert_eq!(list, ["2024/02/che-2.md"]);

        let mut config = Config::default();
        config.related.min_score = 0.0;
        config.related.count = 3;
        let s = site_with(config.clone(), &three_topics());
        let related = related_articles(&s).unwrap();
        assert!(related.iter().all(|l| l.len() <= 3));
        config.related.min_score = 10.0;
        let s = site_with(config, &three_topics());
        assert!(related_articles(&s).unwrap().iter().all(Vec::is_empty));
    }

    #[test]
    fn ties_go_to_the_newest_then_by_source_path() {
        let articles = vec![
            A(
                "2024/01/a.md",
                "2024-01-01",
                "KH",
                "",
                "Chè Shan tuyết",
                TEA,
                "",
            ),
            A(
                "2024/01/c.md",
                "2024-01-01",
                "KH",
                "",
                "Chè Shan tuyết",
                TEA,
                "",
            ),
            A(
                "2024/01/b.md",
                "2024-01-01",
                "KH",
                "",
                "Chè Shan tuyết",
                TEA,
                "",
            ),
            A(
                "2023/01/d.md",
                "2023-01-01",
                "KH",
                "",
                "Chè Shan tuyết",
                TEA,
                "",
            ),
            A(
                "2025/01/e.md",
                "2025-01-01",
                "KH",
                "",
                "Nuôi cá lồng",
                FISH,
                "",
            ),
            A(
                "2025/02/f.md",
                "2025-02-01",
                "KH",
                "",
                "Nuôi cá rô phi",
                FISH,
                "",
            ),
        ];
        let mut config = Config::default();
        config.related.recency_weight = 0.0;
        let s = site_with(config, &articles);
        let related = related_articles(&s).unwrap();
        assert_eq!(
            sources(&s, &related[id(&s, "2024/01/c.md")]),
            ["2024/01/a.md", "2024/01/b.md", "2023/01/d.md"]
        );
    }

    #[test]
    fn shared_tags_match_across_spellings_and_same_category_helps() {
        let body = "Hội nghị tổng kết công tác năm của ngành.";
        let articles = vec![
            A(
                "2024/01/a.md",
                "2024-01-01",
                "KH",
                "\"Chuyển đổi số\"",
                "Hội nghị tổng kết",
                body,
                "",
            ),
            A(
                "2024/01/b.md",
                "2024-01-02",
                "TC",
                "\" chuyển  ĐỔI số \"",
                "Hội nghị tổng kết",
                body,
                "",
            ),
            A(
                "2024/01/c.md",
                "2024-01-02",
                "TC",
                "",
                "Hội nghị tổng kết",
                body,
                "",
            ),
            A(
                "2024/01/d.md",
                "2024-01-03",
                "KH",
                "",
                "Hội nghị tổng kết",
                body,
                "",
            ),
            A(
                "2024/01/e.md",
                "2024-01-03",
                "TC",
                "",
                "Nuôi cá lồng",
                FISH,
                "",
            ),
            A(
                "2024/01/f.md",
                "2024-01-03",
                "TC",
                "",
                "Nuôi cá rô phi",
                FISH,
                "",
            ),
            A("2024/01/g.md", "2024-01-03", "TC", "", "Chè", TEA, ""),
            A("2024/01/h.md", "2024-01-03", "TC", "", "Chè", TEA, ""),
        ];
        let s = site(&articles);
        let related = related_articles(&s).unwrap();
        // b shares the tag, d the category; c only the text (and is as new as b).
        assert_eq!(
            sources(&s, &related[id(&s, "2024/01/a.md")])[..3],
            ["2024/01/b.md", "2024/01/d.md", "2024/01/c.md"]
        );
    }

    #[test]
    fn the_same_content_gives_the_same_lists() {
        let mut articles = three_topics();
        for i in 0..40 {
            let (title, body) = match i % 3 {
                0 => ("Chè", TEA),
                1 => ("Cá", FISH),
                _ => ("X-quang", XRAY),
            };
            let source: &'static str =
                Box::leak(format!("2023/{:02}/bai-{i}.md", i % 12 + 1).into_boxed_str());
            let date: &'static str =
                Box::leak(format!("2023-{:02}-{:02}", i % 12 + 1, i % 28 + 1).into_boxed_str());
            articles.push(A(
                source,
                date,
                if i % 2 == 0 { "KH" } else { "TC" },
                "",
                title,
                body,
                "",
            ));
        }
        let first = related_articles(&site(&articles)).unwrap();
        for _ in 0..3 {
            assert_eq!(related_articles(&site(&articles)).unwrap(), first);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(
            pool.install(|| related_articles(&site(&articles)).unwrap()),
            first
        );
    }

    #[test]
    fn an_empty_site_and_a_zero_count_give_empty_lists() {
        assert!(related_articles(&site(&[])).unwrap().is_empty());
        let mut config = Config::default();
        config.related.count = 0;
        let s = site_with(config, &three_topics());
        assert!(related_articles(&s).unwrap().iter().all(Vec::is_empty));
    }
}
