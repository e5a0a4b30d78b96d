//! Related articles ("Tin liên quan"): content similarity over an inverted index.
//!
//! Each published article becomes a TF-IDF vector over Vietnamese syllables and syllable
//! bigrams (most Vietnamese words have two syllables: "khoa học", "sở hữu trí tuệ"), built from
//! its title (weighted up), summary and body. Only its strongest terms are kept, and an inverted
//! index over them finds the candidates, so the work grows with the number of articles, not its
//! square. The score blends text similarity, shared tags, same category and closeness in time;
//! pinned articles (`related:` in front matter) come first.
//!
//! The steps, one file each: `terms` counts the terms of each article (syllables from
//! `text::syllables`, and their bigrams), `index` builds the inverted index and scores
//! candidates, `pins` resolves pinned paths. Counting is most of the work, and only the
//! article's own texts decide it: `build` keeps each article's counts in the build cache
//! (`crate::cache`) and counts again only those whose texts changed
//! ([`related_articles_reusing`]); the rest (weights, index, scores) depends on the whole
//! site and is done every time.

mod index;
mod pins;
mod terms;
#[cfg(test)]
mod test_sites;

use crate::error::Problem;
use crate::site::{ArticleId, Site};
use index::{Doc, Index, Scratch};
use rayon::prelude::*;
pub use terms::{SyllableTable, TableBuilder, Terms};

/// The terms an earlier build counted for the article at a source path, if any (used only
/// when counted from the same texts).
pub type KnownTerms<'a> = dyn Fn(&str) -> Option<Terms> + Sync + 'a;

/// What [`related_articles_reusing`] makes: the related lists, and the terms of each
/// article for the next build to reuse.
pub struct Related {
    /// For each article id, its related articles, best first (see [`related_articles`]).
    pub lists: Vec<Vec<ArticleId>>,
    /// For each article id, the terms counted for it (`None` for unpublished articles and
    /// pages, and when no lists were made).
    pub terms: Vec<Option<Terms>>,
    /// Articles whose terms were counted; the others' were known.
    pub counted: usize,
}

/// Bytes of a body's plain text kept for the body syllables read per article: a Vietnamese
/// syllable with its space averages under 6 bytes (the longest, `nghiêng `, takes 9), so 8 a
/// syllable covers the limit in ordinary text, and the site need not keep more of every
/// article's text in memory.
pub const PLAIN_TEXT_NEEDED: usize = terms::MAX_BODY_SYLLABLES * 8;

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
    related_articles_reusing(site, &|_| None).map(|related| related.lists)
}

/// Like [`related_articles`], with the terms of articles whose title, summary and text are
/// those `known` has terms for taken from it instead of counted again.
pub fn related_articles_reusing(site: &Site, known: &KnownTerms) -> Result<Related, Vec<Problem>> {
    let pins = pins::resolve_pins(site)?;
    let mut out = vec![Vec::new(); site.articles.len()];
    let mut terms = vec![None; site.articles.len()];
    if site.config.related.count == 0 || site.published.is_empty() {
        return Ok(Related {
            lists: out,
            terms,
            counted: 0,
        });
    }
    let (index, found) = Index::build(site, known);
    let counted = found.counted;
    for (&id, t) in site.published.iter().zip(found.terms) {
        terms[id] = Some(t);
    }
    let lists: Vec<Vec<ArticleId>> = (0..site.published.len())
        .into_par_iter()
        .map_init(
            || Scratch::new(&index),
            |scratch, d| list(site, &index, &pins, Doc::new(d), scratch),
        )
        .collect();
    for (d, list) in lists.into_iter().enumerate() {
        out[site.published[d]] = list;
    }
    Ok(Related {
        lists: out,
        terms,
        counted,
    })
}

/// The related list of document `d`: its published pins, then its best scored candidates.
fn list(
    site: &Site,
    index: &Index,
    pins: &[Vec<ArticleId>],
    d: Doc,
    scratch: &mut Scratch,
) -> Vec<ArticleId> {
    let count = site.config.related.count;
    let id = site.published[d.idx()];
    let mut list: Vec<ArticleId> = Vec::with_capacity(count);
    for &p in &pins[id] {
        if list.len() < count && p != id && index.is_published(p) && !list.contains(&p) {
            list.push(p);
        }
    }
    if list.len() < count {
        for (e, _) in index.scored(site, d, scratch) {
            let other = site.published[e.idx()];
            if list.len() == count {
                break;
            }
            if !list.contains(&other) {
                list.push(other);
            }
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::test_sites::*;
    use super::*;
    use crate::config::Config;

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
        for (a, list) in ArticleId::all(related.len()).zip(&related) {
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
