//! URLs that stay with their articles (see [`crate::published`]): which slug each published
//! article gets when slugs clash, the redirects a moved article leaves behind, and the
//! URLs of removed articles.

use super::{ArticleId, Category};
use crate::content::Article;
use crate::error::Problem;
use crate::published::PublishedUrls;
use crate::routes::Routes;
use std::collections::{HashMap, HashSet};

/// What places an article at a URL.
pub(super) struct Placement<'a> {
    pub articles: &'a [Article],
    pub category_of: &'a [Option<usize>],
    pub categories: &'a [Category],
    pub is_published: &'a [bool],
    pub record: &'a PublishedUrls,
    pub routes: &'a Routes,
    /// The site's own language: articles in another live under `/{lang}/`.
    pub language: &'a str,
}

impl Placement<'_> {
    /// The path under the base path (`chung/doi-moi/`) that article `id` gets with `slug`.
    fn path(&self, id: ArticleId, slug: &str) -> String {
        let url = self.url(id, slug);
        self.routes.site_path(&url).to_string()
    }

    /// The URL (with base path) that article `id` gets with `slug`.
    pub(super) fn url(&self, id: ArticleId, slug: &str) -> String {
        let lang = self.articles[id].lang.as_str();
        match self.category_of[id] {
            _ if lang != self.language => self.routes.translated(lang, slug),
            Some(c) => self.routes.article(&self.categories[c].slug, slug),
            None => self.routes.page(slug),
        }
    }

    /// The slug of each article. A published article keeps the URL an earlier build gave
    /// it (`doi-moi-2` included); a URL published by an article that still exists is never
    /// given to another one. Among the rest, the oldest article of a clash keeps the slug
    /// and the others get `-2`, `-3`, ... with a warning.
    pub(super) fn unique_slugs(&self, warnings: &mut Vec<Problem>) -> Vec<String> {
        let articles = self.articles;
        let mut slugs: Vec<String> = articles.iter().map(|a| a.slug.clone()).collect();
        let existing: HashSet<&str> = articles.iter().map(|a| a.source.as_str()).collect();
        let mut owned: HashMap<&str, Vec<&str>> = HashMap::new();
        for (path, source) in self.record.iter() {
            owned.entry(source).or_default().push(path);
        }
        let published: Vec<ArticleId> = ArticleId::all(articles.len())
            .filter(|&id| self.is_published[id])
            .collect();
        // The numbered slug an article was published with stays its slug.
        let mut holds = vec![false; articles.len()];
        for &id in &published {
            let natural = &articles[id].slug;
            let mine = owned.get(articles[id].source.as_str());
            if let Some(slug) = mine.and_then(|paths| self.published_slug(id, natural, paths)) {
                slugs[id] = slug;
                holds[id.index()] = true;
            }
        }
        let mut order = published;
        order.sort_by(|&a, &b| {
            (!holds[a.index()], articles[a].date, &articles[a].source).cmp(&(
                !holds[b.index()],
                articles[b].date,
                &articles[b].source,
            ))
        });
        // Slugs clash within one folder: a category, or the pages of one language.
        let mut taken: HashMap<((Option<usize>, &str), String), ArticleId> = HashMap::new();
        for id in order {
            let source = articles[id].source.as_str();
            let cat = (self.category_of[id], articles[id].lang.as_str());
            let owner_of = |slug: &str| {
                self.record
                    .owner(&self.path(id, slug))
                    .filter(|&owner| owner != source && existing.contains(owner))
            };
            let wanted = slugs[id].clone();
            if !taken.contains_key(&(cat, wanted.clone())) && owner_of(&wanted).is_none() {
                taken.insert((cat, wanted), id);
                continue;
            }
            let natural = &articles[id].slug;
            let slug = (2..)
                .map(|n| format!("{natural}-{n}"))
                .find(|s| !taken.contains_key(&(cat, s.clone())) && owner_of(s).is_none())
                .expect("some number is free");
            let holder = match taken.get(&(cat, wanted.clone())) {
                Some(&other) => articles[other].display_path(),
                None => crate::content::article::display_path(owner_of(&wanted).unwrap_or("")),
            };
            let where_ = cat.0.map_or(String::new(), |c| {
                format!(" in category `{}`", self.categories[c].name)
            });
            warnings.push(
                Problem::warning(
                    articles[id].display_path(),
                    format!(
                        "slug `{wanted}` is already used{where_} by {holder}; this article \
                         gets `{slug}` (set `slug:` to choose another)",
                    ),
                )
                .at_line(articles[id].line_of("slug")),
            );
            taken.insert((cat, slug.clone()), id);
            slugs[id] = slug;
        }
        slugs
    }

    /// Of the paths `paths` that article `id` published, the slug of the one it would have
    /// now with its `natural` slug or a numbered form of it (`doi-moi-2`).
    fn published_slug(&self, id: ArticleId, natural: &str, paths: &[&str]) -> Option<String> {
        let plain = self.path(id, natural);
        if paths.contains(&plain.as_str()) {
            return Some(natural.to_string());
        }
        let stem = format!("{}-", plain.trim_end_matches('/'));
        paths.iter().find_map(|path| {
            let number = path.strip_prefix(&stem)?.strip_suffix('/')?;
            (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
                .then(|| format!("{natural}-{number}"))
        })
    }

    /// The URLs (with base path) earlier builds published that no page has now: for an
    /// article still published elsewhere, an old address to redirect to it; for one removed
    /// (or no longer published), the URL of a "removed" page.
    pub(super) fn old_urls(&self, urls: &[String]) -> (Vec<(ArticleId, String)>, Vec<String>) {
        let current: HashSet<&str> = urls
            .iter()
            .filter(|u| !u.is_empty())
            .map(|u| self.routes.site_path(u))
            .collect();
        let by_source: HashMap<&str, ArticleId> = ArticleId::all(self.articles.len())
            .filter(|&id| self.is_published[id])
            .map(|id| (self.articles[id].source.as_str(), id))
            .collect();
        let mut moved = Vec::new();
        let mut gone = Vec::new();
        for (path, source) in self.record.iter() {
            if current.contains(path) {
                continue;
            }
            match by_source.get(source) {
                Some(&id) => moved.push((id, self.routes.under_base(path))),
                None => gone.push(self.routes.under_base(path)),
            }
        }
        (moved, gone)
    }
}
