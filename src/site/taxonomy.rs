//! Tags, authors and date archives: groupings of published articles, newest first.

use super::{ArticleId, Site};
use crate::text::slug::slugify;
use chrono::Datelike;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A group of articles under one name: a tag or an author.
#[derive(Debug, Clone)]
pub struct Term {
    /// Display name: the most used spelling.
    pub name: String,
    /// URL slug, unique among terms of its kind.
    pub slug: String,
    /// Published articles, newest first.
    pub articles: Vec<ArticleId>,
}

/// One month of the archive.
#[derive(Debug, Clone)]
pub struct Month {
    /// 1–12.
    pub month: u32,
    /// Published articles, newest first.
    pub articles: Vec<ArticleId>,
}

/// One year of the archive, with its months (newest first).
#[derive(Debug, Clone)]
pub struct Year {
    /// The year in the site's time zone.
    pub year: i32,
    /// Published articles, newest first.
    pub articles: Vec<ArticleId>,
    /// Months that have articles, newest first.
    pub months: Vec<Month>,
}

/// The key under which spellings of a tag are merged: NFC (done on load), lowercase,
/// whitespace collapsed. Diacritics are kept: "ca" and "cá" are different words.
pub fn term_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    if key.is_ascii() {
        key.make_ascii_lowercase();
        key
    } else {
        key.to_lowercase()
    }
}

/// Groups published articles by the names `names_of` gives them.
pub fn group_terms<'a>(site: &'a Site, names_of: impl Fn(ArticleId) -> Vec<&'a str>) -> Vec<Term> {
    // key → (spelling → count), articles
    let mut groups: HashMap<String, (HashMap<&str, usize>, Vec<ArticleId>)> = HashMap::new();
    for &id in &site.published {
        let mut seen = HashSet::new();
        for name in names_of(id) {
            let key = term_key(name);
            if key.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            let group = groups.entry(key).or_default();
            *group.0.entry(name.trim()).or_default() += 1;
            group.1.push(id);
        }
    }
    let mut keys: Vec<String> = groups.keys().cloned().collect();
    keys.sort();
    let mut used_slugs: HashSet<String> = HashSet::new();
    let mut terms = Vec::with_capacity(keys.len());
    for key in keys {
        let (spellings, articles) = groups.remove(&key).expect("key exists");
        let name = spellings
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(s, _)| s.to_string())
            .unwrap_or(key);
        let base = match slugify(&name) {
            s if s.is_empty() => "khac".to_string(),
            s => s,
        };
        let mut slug = base.clone();
        let mut n = 1;
        while !used_slugs.insert(slug.clone()) {
            n += 1;
            slug = format!("{base}-{n}");
        }
        terms.push(Term {
            name,
            slug,
            articles,
        });
    }
    terms
}

/// The tags of the site, merged across spellings, sorted by key.
pub fn tags(site: &Site) -> Vec<Term> {
    group_terms(site, |id| {
        site.articles[id].tags.iter().map(String::as_str).collect()
    })
}

/// The authors of the site.
pub fn authors(site: &Site) -> Vec<Term> {
    group_terms(site, |id| {
        site.articles[id].author.as_deref().into_iter().collect()
    })
}

/// The archive: years and months in the site's time zone, newest first.
pub fn archive(site: &Site) -> Vec<Year> {
    let mut years: BTreeMap<i32, BTreeMap<u32, Vec<ArticleId>>> = BTreeMap::new();
    for &id in &site.published {
        let local = site.articles[id].date.with_timezone(&site.config.timezone);
        years
            .entry(local.year())
            .or_default()
            .entry(local.month())
            .or_default()
            .push(id);
    }
    years
        .into_iter()
        .rev()
        .map(|(year, months)| {
            let months: Vec<Month> = months
                .into_iter()
                .rev()
                .map(|(month, articles)| Month { month, articles })
                .collect();
            Year {
                year,
                articles: months
                    .iter()
                    .flat_map(|m| m.articles.iter().copied())
                    .collect(),
                months,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_keys_ignore_case_spacing_but_not_diacritics() {
        assert_eq!(term_key("Khoa học"), term_key(" khoa   học "));
        assert_eq!(term_key("KHOA HỌC"), term_key("khoa học"));
        assert_ne!(term_key("ca"), term_key("cá"));
    }
}
