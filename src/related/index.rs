//! The inverted index over the articles' strongest terms, and the score of a candidate.

use super::terms::{
    input_hash, Count, FxMap, SyllableId, SyllableTable, TermCounts, TermKey, Terms, Tokenizer,
};
use crate::site::taxonomy::term_key;
use crate::site::{ArticleId, Site};
use crate::text::nfc;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashMap;

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
/// Articles tokenized together with one syllable table.
const CHUNK: usize = 512;

/// A document number: the position of a published article in `site.published`, so a lower
/// number is newer, ties by source path (the order ties are broken in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Doc(u32);

impl Doc {
    /// The document numbered `d`.
    pub(super) fn new(d: usize) -> Self {
        Doc(d as u32)
    }

    /// Its position in `site.published` and in the index's per-document tables.
    #[inline]
    pub(super) fn idx(self) -> usize {
        self.0 as usize
    }
}

/// A kept term's number: its place in the index's vocabulary, in order of its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TermId(u32);

impl TermId {
    #[inline]
    fn idx(self) -> usize {
        self.0 as usize
    }
}

/// A tag's number, in order of first use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TagId(u32);

/// A normalized TF-IDF vector: (term, weight), sorted by term.
type Vector = Vec<(TermId, f32)>;
/// The documents a term is in: (document, weight of the term there), heaviest first.
type Postings = Vec<(Doc, f32)>;

/// The kept terms: those that can link articles and say something.
struct Vocabulary {
    /// Term key → term id.
    ids: FxMap<TermKey, TermId>,
    /// Inverse document frequency, by term id.
    idf: Vec<f32>,
}

/// Everything scoring needs, by document number.
pub(super) struct Index {
    /// Article id → document number, for published articles.
    doc_of: Vec<Option<Doc>>,
    /// The strongest terms of each document.
    vectors: Vec<Vector>,
    /// Postings of each term (ties: lower document first).
    postings: Vec<Postings>,
    /// Tag ids of each document, sorted and deduplicated.
    tags: Vec<Vec<TagId>>,
    /// Publication time in days since the epoch.
    days: Vec<f64>,
}

/// Per-thread buffers for scoring one article.
pub(super) struct Scratch {
    /// Partial text score by document.
    acc: Vec<f32>,
    touched: Vec<Doc>,
    /// The vector of the article being scored, by term id.
    dense: Vec<f32>,
}

impl Scratch {
    /// Buffers sized for `index`.
    pub(super) fn new(index: &Index) -> Self {
        Scratch {
            acc: vec![0.0; index.vectors.len()],
            touched: Vec::new(),
            dense: vec![0.0; index.postings.len()],
        }
    }
}

/// Heaviest first, ties by the lower id: the order of postings, kept terms and candidates.
fn heaviest<T: Ord>(a: &(T, f32), b: &(T, f32)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

impl Index {
    /// The index of the published articles of `site`, with the terms of each (in
    /// `site.published` order), taken from `known` when it has them for the same texts.
    pub(super) fn build(site: &Site, known: &super::KnownTerms) -> (Index, Found) {
        let n = site.published.len();
        let mut doc_of = vec![None; site.articles.len()];
        for (d, &id) in site.published.iter().enumerate() {
            doc_of[id] = Some(Doc::new(d));
        }
        let found = terms_of(site, known);
        let keys = SiteKeys::new(&found.terms);
        let vocabulary = Vocabulary::new(&keys, n);
        let vectors: Vec<Vector> = (0..n)
            .into_par_iter()
            .map(|d| vocabulary.vector(keys.counts(d)))
            .collect();
        drop(keys);
        let postings = invert(&vectors, vocabulary.idf.len());
        let index = Index {
            doc_of,
            vectors,
            postings,
            tags: tag_ids(site),
            days: site
                .published
                .iter()
                .map(|&id| site.articles[id].date.timestamp() as f64 / 86_400.0)
                .collect(),
        };
        (index, found)
    }

    /// Whether article `id` is published (only published articles are listed).
    pub(super) fn is_published(&self, id: ArticleId) -> bool {
        self.doc_of[id].is_some()
    }

    /// The candidates of document `d` at or above the minimum score, best first
    /// (ties: lower `d`, that is newer, first), as (document, score).
    pub(super) fn scored(&self, site: &Site, d: Doc, scratch: &mut Scratch) -> Vec<(Doc, f64)> {
        let shortlist = self.shortlist(d, scratch);
        let dense = &mut scratch.dense;
        for &(t, w) in &self.vectors[d.idx()] {
            dense[t.idx()] = w;
        }
        let min_score = site.config.related.min_score;
        let mut scored: Vec<(Doc, f64)> = shortlist
            .into_iter()
            .map(|(e, _)| (e, self.score(site, d, e, dense)))
            .filter(|&(_, s)| s >= min_score)
            .collect();
        for &(t, _) in &self.vectors[d.idx()] {
            dense[t.idx()] = 0.0;
        }
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
    }

    /// The [`SHORTLIST`] documents with the best partial text score against `d`, from the
    /// heaviest postings of its terms, as (document, partial score); never `d` itself.
    fn shortlist(&self, d: Doc, scratch: &mut Scratch) -> Vec<(Doc, f32)> {
        let Scratch { acc, touched, .. } = scratch;
        for &(t, wa) in &self.vectors[d.idx()] {
            let list = &self.postings[t.idx()];
            for &(e, wb) in &list[..list.len().min(MAX_POSTINGS)] {
                let slot = &mut acc[e.idx()];
                if *slot == 0.0 {
                    touched.push(e);
                }
                *slot += wa * wb;
            }
        }
        let mut partial: Vec<(Doc, f32)> = touched
            .drain(..)
            .filter(|&e| e != d)
            .map(|e| (e, std::mem::take(&mut acc[e.idx()])))
            .collect();
        acc[d.idx()] = 0.0;
        if partial.len() > SHORTLIST {
            partial.select_nth_unstable_by(SHORTLIST - 1, heaviest);
            partial.truncate(SHORTLIST);
        }
        partial
    }

    /// The score of document `e` as related to `d`, whose vector is in `dense`: text
    /// similarity, shared tags, same category and closeness in time, weighted by the config.
    fn score(&self, site: &Site, d: Doc, e: Doc, dense: &[f32]) -> f64 {
        let cfg = &site.config.related;
        let id = site.published[d.idx()];
        let other = site.published[e.idx()];
        let text: f32 = self.vectors[e.idx()]
            .iter()
            .map(|&(t, w)| dense[t.idx()] * w)
            .sum();
        let text = f64::from(text);
        let tags = jaccard(&self.tags[d.idx()], &self.tags[e.idx()]);
        let same_category =
            site.category_of[id].is_some() && site.category_of[id] == site.category_of[other];
        let apart = (self.days[d.idx()] - self.days[e.idx()]).abs();
        let recency = if cfg.recency_days > 0.0 {
            0.5f64.powf(apart / cfg.recency_days)
        } else {
            0.0
        };
        cfg.text_weight * text
            + cfg.tags_weight * tags
            + if same_category {
                cfg.category_weight
            } else {
                0.0
            }
            + cfg.recency_weight * recency
    }
}

/// The terms of the published articles.
pub(super) struct Found {
    /// The terms of each, in `site.published` order.
    pub(super) terms: Vec<Terms>,
    /// How many were counted (the others were known).
    pub(super) counted: usize,
}

/// Step 1: the terms of each published article: those `known` has for the same texts, the
/// others tokenized in parallel, each chunk of articles with a syllable table of its own.
fn terms_of(site: &Site, known: &super::KnownTerms) -> Found {
    let mut terms: Vec<Result<Terms, u64>> = site
        .published
        .par_iter()
        .map(|&id| {
            let a = &site.articles[id];
            let input = input_hash(a, plain_text(site, id));
            known(&a.source).filter(|t| t.input == input).ok_or(input)
        })
        .collect();
    let unknown: Vec<(usize, u64)> = terms
        .iter()
        .enumerate()
        .filter_map(|(d, t)| t.as_ref().err().map(|&input| (d, input)))
        .collect();
    let counted: Vec<(usize, Terms)> = unknown
        .par_chunks(CHUNK)
        .flat_map_iter(|chunk| {
            let mut tok = Tokenizer::new();
            let counts: Vec<TermCounts> = chunk
                .iter()
                .map(|&(d, _)| {
                    let id = site.published[d];
                    tok.article(&site.articles[id], plain_text(site, id))
                })
                .collect();
            let table: SyllableTable = tok.into_syllables().into_iter().map(|(s, _)| s).collect();
            chunk.iter().zip(counts).map(move |(&(d, input), counts)| {
                let terms = Terms {
                    input,
                    syllables: table.clone(),
                    counts: counts.iter().map(|c| c.0).collect(),
                };
                (d, terms)
            })
        })
        .collect();
    let counted_len = counted.len();
    for (d, t) in counted {
        terms[d] = Ok(t);
    }
    Found {
        terms: terms
            .into_iter()
            .map(|t| t.expect("every unknown article was tokenized"))
            .collect(),
        counted: counted_len,
    }
}

/// The plain text of an article's body, as far as it was kept.
fn plain_text(site: &Site, id: ArticleId) -> Option<&str> {
    site.bodies[id].as_ref().map(|b| b.plain.as_str())
}

/// Step 2: the counts of each document read with keys of one syllable table for the site,
/// ids in byte order of the syllables, so that they never depend on which tables the counts
/// came from. Rewritten as they are read, so that the counts are never held twice.
struct SiteKeys<'a> {
    terms: &'a [Terms],
    /// For each document, the table its counts refer to.
    table_of: Vec<usize>,
    /// For each table: its syllable id → the site's id.
    globals: Vec<Vec<SyllableId>>,
}

impl<'a> SiteKeys<'a> {
    /// The site's keys for `terms` (a document's each).
    fn new(terms: &'a [Terms]) -> Self {
        let mut tables: Vec<&SyllableTable> = Vec::new();
        let mut table_at: HashMap<*const Box<str>, usize> = HashMap::new();
        let table_of = terms
            .iter()
            .map(|t| {
                *table_at.entry(t.syllables.as_ptr()).or_insert_with(|| {
                    tables.push(&t.syllables);
                    tables.len() - 1
                })
            })
            .collect();
        let globals = site_syllable_ids(&tables);
        SiteKeys {
            terms,
            table_of,
            globals,
        }
    }

    /// The counts of document `d`, with the site's keys (those whose syllables its table
    /// lacks, or beyond what a key can hold, left out).
    fn counts(&self, d: usize) -> impl Iterator<Item = Count> + '_ {
        let global = &self.globals[self.table_of[d]];
        self.terms[d].counts.iter().filter_map(move |&bits| {
            let c = Count(bits);
            let key = c.key().renumbered(|s| global.get(s.idx()).copied())?;
            Some(Count::new(key, c.tf()))
        })
    }

    /// The number of documents.
    fn len(&self) -> usize {
        self.terms.len()
    }
}

/// For each table: its syllable id → the site's id.
fn site_syllable_ids(tables: &[&SyllableTable]) -> Vec<Vec<SyllableId>> {
    let mut all: Vec<&str> = tables.iter().flat_map(|t| t.iter().map(|s| &**s)).collect();
    all.par_sort_unstable();
    all.dedup();
    let global_id: FxMap<&str, SyllableId> = all
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, SyllableId(i as u32)))
        .collect();
    tables
        .iter()
        .map(|table| table.iter().map(|s| global_id[&**s]).collect())
        .collect()
}

impl Vocabulary {
    /// Step 3: the terms of the `n` documents of `keys` that can link articles and
    /// say something, by document frequency, with their IDF.
    fn new(keys: &SiteKeys<'_>, n: usize) -> Self {
        let df = document_frequencies(keys);
        // Small sites keep more: there IDF alone tells common terms from rare ones.
        let max_df = ((n as f64 * MAX_DF_FRACTION) as u32).max(MIN_MAX_DF);
        let mut kept: Vec<(TermKey, u32)> = df
            .into_iter()
            .filter(|&(_, c)| c >= 2 && c <= max_df && (c as usize) < n)
            .collect();
        kept.sort_unstable_by_key(|&(k, _)| k);
        Vocabulary {
            ids: kept
                .iter()
                .enumerate()
                .map(|(i, &(k, _))| (k, TermId(i as u32)))
                .collect(),
            idf: kept
                .iter()
                .map(|&(_, c)| (n as f64 / f64::from(c)).ln() as f32)
                .collect(),
        }
    }

    /// Step 4: a document's strongest kept terms by TF-IDF, normalized, sorted by term.
    fn vector(&self, doc: impl Iterator<Item = Count>) -> Vector {
        let mut v: Vector = doc
            .filter_map(|c| {
                let t = *self.ids.get(&c.key())?;
                Some((t, c.tf() * self.idf[t.idx()]))
            })
            .collect();
        if v.len() > TOP_TERMS {
            v.select_nth_unstable_by(TOP_TERMS - 1, heaviest);
            v.truncate(TOP_TERMS);
        }
        // Sorted before the sum, so that the weights never depend on the order of the counts.
        v.sort_unstable_by_key(|&(t, _)| t);
        let norm = v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut v {
                *w /= norm;
            }
        }
        v
    }
}

/// The number of documents each term is in.
fn document_frequencies(keys: &SiteKeys<'_>) -> FxMap<TermKey, u32> {
    (0..keys.len())
        .into_par_iter()
        .fold(FxMap::default, |mut m: FxMap<TermKey, u32>, d| {
            for c in keys.counts(d) {
                *m.entry(c.key()).or_insert(0) += 1;
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
        })
}

/// Step 5: the inverted index of `vectors` over `terms` terms, heaviest postings first.
fn invert(vectors: &[Vector], terms: usize) -> Vec<Postings> {
    let mut postings: Vec<Postings> = vec![Vec::new(); terms];
    for (d, v) in vectors.iter().enumerate() {
        for &(t, w) in v {
            postings[t.idx()].push((Doc::new(d), w));
        }
    }
    postings.par_iter_mut().for_each(|p| {
        p.sort_unstable_by(heaviest);
    });
    postings
}

/// Step 6: the tag ids of each published article. Keys are made in parallel; ids are given
/// in order of first use, so they never depend on threads.
fn tag_ids(site: &Site) -> Vec<Vec<TagId>> {
    let tag_keys: Vec<Vec<String>> = site
        .published
        .par_iter()
        .map(|&id| {
            let tags = &site.articles[id].tags;
            tags.iter()
                .map(|tag| term_key(&nfc(tag)))
                .filter(|k| !k.is_empty())
                .collect()
        })
        .collect();
    let mut ids: HashMap<String, TagId> = HashMap::new();
    tag_keys
        .into_iter()
        .map(|keys| {
            let mut t: Vec<TagId> = keys
                .into_iter()
                .map(|k| {
                    let next = TagId(ids.len() as u32);
                    *ids.entry(k).or_insert(next)
                })
                .collect();
            t.sort_unstable();
            t.dedup();
            t
        })
        .collect()
}

/// Shared tags over all tags of the two (0 when neither has tags).
fn jaccard(a: &[TagId], b: &[TagId]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|t| b.binary_search(t).is_ok()).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
}

#[cfg(test)]
mod tests {
    use super::super::related_articles;
    use super::super::test_sites::*;
    use crate::config::Config;

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
}
