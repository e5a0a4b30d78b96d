//! The site in memory: articles with their URLs, categories and sections, rendered bodies.
//! Indexes hold [`ArticleId`]s into one `Vec<Article>`, never copies of articles.

pub mod documents;
pub mod links;
pub mod pictures;
mod stable_urls;
pub mod taxonomy;
mod translations;

use crate::config::Config;
use crate::content::{Article, Layout, Loaded};
use crate::error::{Error, Problem, ProblemKind, Result};
use crate::markdown::{self, Rendered};
use crate::routes::Routes;
use crate::text::slug::slugify;
use crate::text::{closest, search_key};
use chrono::{DateTime, FixedOffset};
use links::{LinkTable, LinkUse};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// An article or page: its position in [`Site::articles`] (and in every vector kept beside
/// it: `urls`, `bodies`, `category_of`, ...). Indexes hold these, never copies of articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(u32);

impl ArticleId {
    /// The id of the article at `index` in [`Site::articles`].
    pub fn new(index: usize) -> ArticleId {
        ArticleId(u32::try_from(index).expect("fewer than 4 billion articles"))
    }

    /// The position in [`Site::articles`].
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// Every id of a site of `len` articles, in order.
    pub fn all(len: usize) -> impl DoubleEndedIterator<Item = ArticleId> + ExactSizeIterator {
        (0..len).map(ArticleId::new)
    }
}

impl<T> std::ops::Index<ArticleId> for [T] {
    type Output = T;

    fn index(&self, id: ArticleId) -> &T {
        &self[id.index()]
    }
}

impl<T> std::ops::IndexMut<ArticleId> for [T] {
    fn index_mut(&mut self, id: ArticleId) -> &mut T {
        &mut self[id.index()]
    }
}

impl<T> std::ops::Index<ArticleId> for Vec<T> {
    type Output = T;

    fn index(&self, id: ArticleId) -> &T {
        &self[id.index()]
    }
}

impl<T> std::ops::IndexMut<ArticleId> for Vec<T> {
    fn index_mut(&mut self, id: ArticleId) -> &mut T {
        &mut self[id.index()]
    }
}

/// A file listed under an article's "Tệp đính kèm".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// URL path with base path (percent-encoded).
    pub url: String,
    /// The file's name (`QĐ 456.pdf`).
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
}

impl Attachment {
    /// The kind of file as readers know it: its ending in capitals (`PDF`, `DOCX`).
    pub fn kind(&self) -> String {
        self.name
            .rsplit_once('.')
            .map_or_else(String::new, |(_, ext)| ext.to_ascii_uppercase())
    }

    /// The size as readers read it, with a decimal comma: `850 KB`, `1,2 MB`.
    pub fn size_text(&self) -> String {
        const KB: u64 = 1000;
        match self.size {
            s if s < KB => format!("{s} B"),
            s if s < KB * KB => format!("{} KB", s.div_ceil(KB)),
            s => {
                let tenths = (s * 10).div_ceil(KB * KB);
                format!("{},{} MB", tenths / 10, tenths % 10)
            }
        }
    }
}

/// A category with its published articles, newest first.
#[derive(Debug, Clone)]
pub struct Category {
    /// Display name.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Index into [`Site::sections`], if the category belongs to a section.
    pub section: Option<usize>,
    /// Description for the listing page.
    pub description: Option<String>,
    /// Published articles, newest first.
    pub articles: Vec<ArticleId>,
}

/// A section ("Tin Hoạt động"): the parent of categories in the breadcrumb.
#[derive(Debug, Clone)]
pub struct Section {
    /// Display name.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Indexes into [`Site::categories`].
    pub categories: Vec<usize>,
    /// Published articles of all its categories, newest first.
    pub articles: Vec<ArticleId>,
}

/// How the site is assembled.
#[derive(Debug, Clone, Copy)]
pub struct AssembleOptions {
    /// Include drafts and future-dated articles.
    pub drafts: bool,
    /// The moment that decides which articles are in the future.
    pub now: DateTime<FixedOffset>,
    /// Bytes of each body's plain text to keep for the stages after assembly that read its
    /// lead (related articles); the whole text is kept when the site has search.
    pub plain_text_bytes: usize,
}

/// Everything the renderer needs, built once per build.
#[derive(Debug)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Every loaded article and page, sorted by source path.
    pub articles: Vec<Article>,
    /// URL path (with base path) of each article; empty when not published.
    pub urls: Vec<String>,
    /// Category index of each article (`None` for pages).
    pub category_of: Vec<Option<usize>>,
    /// Rendered body of each published article or page.
    pub bodies: Vec<Option<Arc<Rendered>>>,
    /// Published articles, newest first.
    pub published: Vec<ArticleId>,
    /// Published standalone pages, by source path (in every language).
    pub pages: Vec<ArticleId>,
    /// Published articles in another language than the site's own, newest first: listed
    /// on their language's home page (`/en/`), in no category, feed or archive.
    pub translated: Vec<ArticleId>,
    /// The translations of each article or page (other languages' versions, by
    /// `translation_key`), in the order of the site's languages.
    pub translations: Vec<Vec<ArticleId>>,
    /// Categories in display order.
    pub categories: Vec<Category>,
    /// Sections in display order.
    pub sections: Vec<Section>,
    /// Non-Markdown files to copy.
    pub assets: Vec<crate::content::Asset>,
    /// Number of drafts and future articles left out.
    pub held_back: usize,
    /// Warnings found while assembling.
    pub warnings: Vec<Problem>,
    /// The links of each body whose target depends on which articles and files exist, as
    /// they were resolved: what decides whether a kept body is still right.
    link_uses: Vec<Vec<LinkUse>>,
    /// What links in articles may point at.
    pub links: LinkTable,
    /// Bodies rendered by this assembly; the other published bodies came from the cache.
    pub bodies_rendered: usize,
    /// Related articles ("Tin liên quan") of each article, best first.
    pub related: Vec<Vec<ArticleId>>,
    /// The terms related articles were found by, for each published article (when the
    /// lists were made by this assembly): kept by the build cache.
    pub terms: Vec<Option<crate::related::Terms>>,
    /// Articles whose terms this assembly counted; the others' came from the cache.
    pub terms_counted: usize,
    /// Where every kind of page lives, under the base path.
    pub routes: Routes,
    /// The attachments ("Tệp đính kèm") of each article: the files its front matter lists
    /// under `attachments`, then the documents its body links to.
    pub attachments: Vec<Vec<Attachment>>,
    /// The featured image (`image:`) of each article as a URL: resolved like an image in the
    /// body (beside the article, or from `content/`), or an absolute URL as written. Once
    /// photos are processed ([`Site::process_pictures`]), a processed one is the URL of its
    /// fallback file at the article column's width.
    pub images: Vec<Option<String>>,
    /// The official documents ("Văn bản") to publish.
    pub documents: documents::Documents,
    /// The documents each article lists under "Văn bản liên quan" (indexes into
    /// `documents.list`).
    pub article_documents: Vec<Vec<usize>>,
    /// The processed photos (empty until [`Site::process_pictures`]).
    pub pictures: pictures::Pictures,
    /// The URLs earlier builds published (`published-urls.tsv`).
    pub published_before: crate::published::PublishedUrls,
    /// URLs (with base path) of articles earlier builds published that are gone now
    /// (deleted, or drafts again): each gets a "Bài viết đã được gỡ" page.
    pub gone: Vec<String>,
}

/// A rendered body kept between builds, with what it was made from.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CachedBody {
    /// The hash of the Markdown ([`Article::body_hash`]).
    pub body_hash: u64,
    /// Its links to articles and files, as they were resolved: the body is right for another
    /// build only if each resolves the same there.
    pub links: Vec<LinkUse>,
    /// The rendering.
    pub rendered: Arc<Rendered>,
}

/// Rendered bodies kept between builds (by `serve` in memory, by `build` through the build
/// cache, `crate::cache`), by source path.
#[derive(Debug, Default, Clone)]
pub struct BodyCache {
    entries: HashMap<String, CachedBody>,
    /// Related lists by source path, reused instead of recomputed when present (see
    /// [`BodyCache::keep_related`]).
    related: Option<HashMap<String, Vec<String>>>,
    /// The terms related articles were found by, by source path (see [`crate::related`]).
    terms: HashMap<String, crate::related::Terms>,
}

impl BodyCache {
    /// A cache of `entries` (source path → its body), without related lists.
    pub fn from_entries(entries: HashMap<String, CachedBody>) -> Self {
        BodyCache {
            entries,
            related: None,
            terms: HashMap::new(),
        }
    }

    /// The same, with the terms related articles were found by, by source path.
    pub fn with_terms(mut self, terms: HashMap<String, crate::related::Terms>) -> Self {
        self.terms = terms;
        self
    }

    /// The terms kept for the article at `source`.
    pub fn terms(&self, source: &str) -> Option<crate::related::Terms> {
        self.terms.get(source).cloned()
    }

    /// The bodies, by source path.
    pub fn into_entries(self) -> HashMap<String, CachedBody> {
        self.entries
    }

    /// Keeps `lists` (related lists of `site`, by article id) for the next assembly to
    /// reuse. `serve` computes fresh lists while it waits for changes, so an edit is shown
    /// without waiting for the related lists of the whole site; they follow with the next
    /// rebuild.
    pub fn keep_related(&mut self, site: &Site, lists: &[Vec<ArticleId>]) {
        self.related = Some(related_by_source(site, lists));
    }

    /// The related lists kept by [`BodyCache::keep_related`], for `site` (only published
    /// targets), or `None` when there are none to reuse.
    pub fn related_for(&self, site: &Site) -> Option<Vec<Vec<ArticleId>>> {
        self.related
            .as_ref()
            .map(|previous| reuse_related(site, previous))
    }

    /// Number of cached bodies.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Site {
    /// Checks the loaded content against the config and builds every index.
    /// All errors are gathered into one [`Error::Input`].
    pub fn assemble(config: Config, loaded: Loaded, options: AssembleOptions) -> Result<Site> {
        Site::assemble_cached(config, loaded, options, &BodyCache::default())
    }

    /// Like [`Site::assemble`], reusing rendered bodies from `cache` when neither the
    /// Markdown nor (for bodies with relative links) the site's link targets changed.
    pub fn assemble_cached(
        config: Config,
        loaded: Loaded,
        options: AssembleOptions,
        cache: &BodyCache,
    ) -> Result<Site> {
        let Loaded {
            mut articles,
            documents,
            assets,
            problems: mut errors,
            published: published_before,
        } = loaded;
        // What loading fixed in each file (control characters, fields cut to their limit).
        let mut warnings: Vec<Problem> = config.warnings.clone();
        warnings.extend(articles.iter().flat_map(|a| a.warnings.iter().cloned()));
        let (categories, category_of) = assign_categories(&config, &articles, &mut errors);
        let is_published: Vec<bool> = articles
            .iter()
            .map(|a| options.drafts || (!a.draft && a.date <= options.now))
            .collect();
        let held_back = articles
            .iter()
            .zip(&is_published)
            .filter(|(a, p)| !**p && a.layout == Layout::Article)
            .count();
        let routes = Routes::new(&config.base_path);
        let placement = stable_urls::Placement {
            articles: &articles,
            category_of: &category_of,
            categories: &categories,
            is_published: &is_published,
            record: &published_before,
            routes: &routes,
            language: &config.language,
        };
        let slugs = placement.unique_slugs(&mut warnings);
        let urls: Vec<String> = ArticleId::all(articles.len())
            .map(|id| {
                if !is_published[id] {
                    return String::new();
                }
                placement.url(id, &slugs[id])
            })
            .collect();
        let (moved, gone) = placement.old_urls(&urls);
        for (id, url) in moved {
            let old = crate::routes::OldAddress {
                path: url,
                query: None,
            };
            if !articles[id].aliases.contains(&old) {
                articles[id].aliases.push(old);
            }
        }

        let mut published: Vec<ArticleId> = ArticleId::all(articles.len())
            .filter(|&id| is_published[id] && articles[id].layout == Layout::Article)
            .filter(|&id| category_of[id].is_some())
            .collect();
        sort_newest_first(&mut published, &articles);
        let pages: Vec<ArticleId> = ArticleId::all(articles.len())
            .filter(|&id| is_published[id] && articles[id].layout == Layout::Page)
            .collect();
        let mut translated: Vec<ArticleId> = ArticleId::all(articles.len())
            .filter(|&id| is_published[id] && articles[id].layout == Layout::Article)
            .filter(|&id| articles[id].lang != config.language)
            .collect();
        sort_newest_first(&mut translated, &articles);
        let translations = translations::link(&config, &articles, &is_published, &mut errors);
        let mut categories = categories;
        for &id in &published {
            if let Some(c) = category_of[id] {
                categories[c].articles.push(id);
            }
        }
        let sections = build_sections(&config, &mut categories, &articles);

        let table = link_table(&config, &articles, &urls, &is_published, &assets);
        // Only the search index reads the whole text; related articles read its lead.
        let plain_limit = if config.search {
            usize::MAX
        } else {
            options.plain_text_bytes
        };
        let (bodies, link_uses, links, bodies_rendered) = render_bodies(
            table,
            &mut articles,
            &is_published,
            cache,
            markdown::RenderOptions {
                plain_limit,
                html: if config.trusted_html {
                    markdown::HtmlPolicy::Trusted
                } else {
                    markdown::HtmlPolicy::Sanitize
                },
            },
            &mut errors,
            &mut warnings,
        );
        let mut documents =
            documents::Documents::assemble(documents, options.drafts, &routes, &mut errors);
        documents.render_bodies(
            &links,
            if config.trusted_html {
                markdown::HtmlPolicy::Trusted
            } else {
                markdown::HtmlPolicy::Sanitize
            },
        );
        let article_documents = documents.of_articles(&articles, &mut errors);
        let images = featured_images(&articles, &is_published, &links, &mut warnings);
        let attachments = attachments(&articles, &bodies, &assets, &links, &mut errors);
        if let Some(problem) = missing_banner(&config, &assets) {
            errors.push(problem);
        }
        if errors.iter().any(Problem::is_error) {
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            return Err(Error::Input(errors));
        }
        warnings.extend(errors);
        let site = Site {
            config,
            articles,
            urls,
            category_of,
            bodies,
            published,
            pages,
            translated,
            translations,
            categories,
            sections,
            assets,
            held_back,
            warnings,
            link_uses,
            links,
            bodies_rendered,
            related: Vec::new(),
            terms: Vec::new(),
            terms_counted: 0,
            routes,
            images,
            attachments,
            documents,
            article_documents,
            pictures: pictures::Pictures::default(),
            published_before,
            gone,
        };
        Ok(site)
    }

    /// The URLs published so far, this site's included: what `build` records in
    /// `published-urls.tsv`.
    pub fn published_urls(&self) -> crate::published::PublishedUrls {
        let current = self
            .published
            .iter()
            .chain(&self.pages)
            .chain(&self.translated)
            .map(|&id| {
                let path = self.routes.site_path(&self.urls[id]).to_string();
                (path, self.articles[id].source.clone())
            });
        self.published_before.with(current)
    }

    /// The rendered bodies of this site, for the next [`Site::assemble_cached`].
    pub fn body_cache(&self) -> BodyCache {
        let entries = ArticleId::all(self.articles.len())
            .filter_map(|id| Some((self.articles[id].source.clone(), self.cached_body(id)?)))
            .collect();
        BodyCache {
            entries,
            related: Some(related_by_source(self, &self.related)),
            terms: HashMap::new(),
        }
    }

    /// The rendered body of article `id` as a cache keeps it (`None`: it has none).
    pub fn cached_body(&self, id: ArticleId) -> Option<CachedBody> {
        Some(CachedBody {
            body_hash: self.articles[id].body_hash,
            links: self.link_uses[id].clone(),
            rendered: self.bodies[id].clone()?,
        })
    }

    /// Whether `cached` is what [`Site::cached_body`] gives for article `id`: the very
    /// rendering, made from the same Markdown, with its links resolved the same.
    pub fn has_cached_body(&self, id: ArticleId, cached: Option<&CachedBody>) -> bool {
        match (&self.bodies[id], cached) {
            (None, None) => true,
            (Some(body), Some(cached)) => {
                cached.body_hash == self.articles[id].body_hash
                    && cached.links == self.link_uses[id]
                    && Arc::ptr_eq(body, &cached.rendered)
            }
            _ => false,
        }
    }

    /// The HTML of an article's body, rendered when the site was assembled, with its
    /// processed photos shown through `<picture>` (empty for an article left out of the
    /// build, which has no page).
    pub fn body_html(&self, id: ArticleId) -> std::borrow::Cow<'_, str> {
        let html = self.bodies[id].as_ref().map_or("", |body| &body.html);
        self.pictures.decorate(html)
    }

    /// Processes every photo that published articles show, with the image cache of the
    /// site at `root` (see [`pictures`]); their warnings (oversized photos) join
    /// [`Site::warnings`]. Fails with every image that cannot be processed (unsupported
    /// format, damaged file), each named with the article and line that shows it.
    pub fn process_pictures(&mut self, root: &std::path::Path) -> Result<()> {
        let warnings = pictures::process(self, root).map_err(Error::Input)?;
        self.warnings.extend(warnings);
        Ok(())
    }

    /// Frees the plain text of every body. Related articles and the search index read it;
    /// `build` calls this once both are made, so the text is not held while thousands of
    /// pages are rendered.
    pub fn release_plain_text(&mut self) {
        for body in self.bodies.iter_mut().flatten() {
            if let Some(body) = Arc::get_mut(body) {
                body.plain = String::new();
            }
        }
    }

    /// The category of an article.
    pub fn category(&self, id: ArticleId) -> Option<&Category> {
        self.category_of[id].map(|c| &self.categories[c])
    }

    /// The summary shown in lists: the front-matter summary or the first paragraph.
    pub fn summary(&self, id: ArticleId) -> &str {
        match (&self.articles[id].summary, &self.bodies[id]) {
            (Some(s), _) => s,
            (None, Some(body)) => &body.first_paragraph,
            (None, None) => "",
        }
    }
}

fn related_by_source(site: &Site, lists: &[Vec<ArticleId>]) -> HashMap<String, Vec<String>> {
    lists
        .iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty())
        .map(|(id, list)| {
            let sources = list
                .iter()
                .map(|&r| site.articles[r].source.clone())
                .collect();
            (site.articles[id].source.clone(), sources)
        })
        .collect()
}

/// Related lists carried over from an earlier assembly, keeping only published targets.
fn reuse_related(site: &Site, previous: &HashMap<String, Vec<String>>) -> Vec<Vec<ArticleId>> {
    let mut published: HashMap<&str, ArticleId> = HashMap::new();
    for &id in &site.published {
        published.insert(site.articles[id].source.as_str(), id);
    }
    site.articles
        .iter()
        .map(|a| {
            previous.get(&a.source).map_or_else(Vec::new, |list| {
                list.iter()
                    .filter_map(|s| published.get(s.as_str()).copied())
                    .collect()
            })
        })
        .collect()
}

/// Newest first; ties by source path, so the order never depends on the file system.
pub fn sort_newest_first(ids: &mut [ArticleId], articles: &[Article]) {
    ids.sort_by(|&a, &b| {
        articles[b]
            .date
            .cmp(&articles[a].date)
            .then_with(|| articles[a].source.cmp(&articles[b].source))
    });
}

fn assign_categories(
    config: &Config,
    articles: &[Article],
    errors: &mut Vec<Problem>,
) -> (Vec<Category>, Vec<Option<usize>>) {
    let mut categories: Vec<Category> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let declared = config.categories.is_some();
    for c in config.categories.iter().flatten() {
        let name = crate::text::nfc(c.name.trim()).into_owned();
        let slug = c
            .slug
            .as_deref()
            .map(slugify)
            .unwrap_or_else(|| slugify(&name));
        by_key.insert(name.to_lowercase(), categories.len());
        categories.push(Category {
            name,
            slug,
            section: None,
            description: c.description.clone(),
            articles: Vec::new(),
        });
    }
    let mut category_of = Vec::with_capacity(articles.len());
    for article in articles {
        if article.layout == Layout::Page || article.lang != config.language {
            category_of.push(None);
            continue;
        }
        let key = article.category.to_lowercase();
        if let Some(&c) = by_key.get(&key) {
            category_of.push(Some(c));
        } else if declared {
            let mut message = format!("`{}` is not a category in config.yaml", article.category);
            if let Some(near) = closest(
                &article.category,
                categories.iter().map(|c| c.name.as_str()),
            ) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            errors.push(
                Problem::error(article.display_path(), message)
                    .in_field("category")
                    .at_line(article.line_of("category")),
            );
            category_of.push(None);
        } else {
            let slug = slugify(&article.category);
            if slug.is_empty() {
                errors.push(
                    Problem::error(
                        article.display_path(),
                        format!(
                            "`{}` has no letters or digits to make a URL from",
                            article.category
                        ),
                    )
                    .in_field("category")
                    .at_line(article.line_of("category")),
                );
                category_of.push(None);
                continue;
            }
            let existing = categories.iter().position(|c| c.slug == slug);
            let c = existing.unwrap_or_else(|| {
                categories.push(Category {
                    name: article.category.clone(),
                    slug,
                    section: None,
                    description: None,
                    articles: Vec::new(),
                });
                categories.len() - 1
            });
            by_key.insert(key, c);
            category_of.push(Some(c));
        }
    }
    if !declared {
        // Categories found in articles are listed alphabetically, ignoring diacritics.
        let mut order: Vec<usize> = (0..categories.len()).collect();
        order.sort_by_key(|&c| (search_key(&categories[c].name), categories[c].name.clone()));
        let mut new_index = vec![0; categories.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut sorted: Vec<Option<Category>> = categories.into_iter().map(Some).collect();
        categories = order
            .iter()
            .map(|&old| sorted[old].take().expect("each once"))
            .collect();
        for c in category_of.iter_mut().flatten() {
            *c = new_index[*c];
        }
    }
    (categories, category_of)
}

fn build_sections(
    config: &Config,
    categories: &mut [Category],
    articles: &[Article],
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for (c, declared) in config.categories.iter().flatten().enumerate() {
        let Some(name) = declared
            .section
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let name = crate::text::nfc(name).into_owned();
        let s = match sections.iter().position(|s| s.name == name) {
            Some(s) => s,
            None => {
                sections.push(Section {
                    slug: slugify(&name),
                    name,
                    categories: Vec::new(),
                    articles: Vec::new(),
                });
                sections.len() - 1
            }
        };
        sections[s].categories.push(c);
        categories[c].section = Some(s);
    }
    for section in &mut sections {
        let mut merged: Vec<ArticleId> = section
            .categories
            .iter()
            .flat_map(|&c| categories[c].articles.iter().copied())
            .collect();
        sort_newest_first(&mut merged, articles);
        section.articles = merged;
    }
    sections
}

type Bodies = (
    Vec<Option<Arc<Rendered>>>,
    Vec<Vec<LinkUse>>,
    LinkTable,
    usize,
);

/// The attachments of each published article: the front matter's `attachments` (a missing
/// file is an error at that field), then the documents its body links to (a missing one
/// already failed as a broken link), each file once.
fn attachments(
    articles: &[Article],
    bodies: &[Option<Arc<Rendered>>],
    assets: &[crate::content::Asset],
    links: &LinkTable,
    errors: &mut Vec<Problem>,
) -> Vec<Vec<Attachment>> {
    let sizes: HashMap<&str, u64> = assets.iter().map(|a| (a.source.as_str(), a.size)).collect();
    articles
        .iter()
        .zip(bodies)
        .map(|(a, body)| {
            let Some(body) = body else {
                return Vec::new();
            };
            let mut list: Vec<Attachment> = Vec::new();
            for (written, listed) in a
                .attachments
                .iter()
                .map(|w| (w, true))
                .chain(body.documents.iter().map(|w| (w, false)))
            {
                match links.attachment(&a.source, written) {
                    Ok(source) => {
                        let url = links.url_of_asset(&source);
                        if list.iter().all(|known| known.url != url) {
                            list.push(Attachment {
                                url,
                                name: source.rsplit('/').next().unwrap_or(&source).to_string(),
                                size: sizes.get(source.as_str()).copied().unwrap_or(0),
                            });
                        }
                    }
                    Err(message) if listed => errors.push(
                        Problem::error(a.display_path(), message)
                            .in_field("attachments")
                            .at_line(a.line_of("attachments")),
                    ),
                    Err(_) => {}
                }
            }
            list
        })
        .collect()
}

/// The URL of each published article's featured image, resolved as an image of its body
/// would be; one that names a missing file is kept as written, with a warning.
fn featured_images(
    articles: &[Article],
    is_published: &[bool],
    links: &LinkTable,
    warnings: &mut Vec<Problem>,
) -> Vec<Option<String>> {
    articles
        .iter()
        .zip(is_published)
        .map(|(a, &published)| {
            let image = a.image.as_deref().filter(|_| published)?;
            Some(match links.resolve(&a.source, image, true) {
                markdown::LinkTarget::Rewrite(url) => url,
                markdown::LinkTarget::MissingFile(message) => {
                    warnings.push(
                        Problem::warning(a.display_path(), message)
                            .of_kind(ProblemKind::MissingFile)
                            .in_field("image")
                            .at_line(a.line_of("image")),
                    );
                    image.to_string()
                }
                _ => image.to_string(),
            })
        })
        .collect()
}

/// What links in articles may point at: every article (its URL, or why it has none) and
/// every other file under `content/`.
fn link_table(
    config: &Config,
    articles: &[Article],
    urls: &[String],
    is_published: &[bool],
    assets: &[crate::content::Asset],
) -> LinkTable {
    LinkTable {
        base_path: config.base_path.clone(),
        articles: articles
            .iter()
            .enumerate()
            .map(|(id, a)| {
                let state = if is_published[id] {
                    Ok(urls[id].clone())
                } else if a.draft {
                    Err("a draft")
                } else {
                    Err("scheduled for a later date")
                };
                (a.source.clone(), state)
            })
            .collect(),
        assets: assets.iter().map(|a| a.source.clone()).collect(),
    }
}

/// Renders the Markdown of every published article (reusing `cache`) with `options`; link
/// and raw HTML problems go to `errors` and `warnings`.
fn render_bodies(
    table: LinkTable,
    articles: &mut [Article],
    is_published: &[bool],
    cache: &BodyCache,
    options: markdown::RenderOptions,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Bodies {
    // Each Markdown body is let go as soon as it is rendered: the HTML and the text are
    // all the build needs of it from here on, and the site never holds both for long.
    let rendered_anew = std::sync::atomic::AtomicUsize::new(0);
    let unreadable = std::sync::Mutex::new(Vec::new());
    let rendered: Vec<Option<(Arc<Rendered>, Vec<LinkUse>)>> = articles
        .par_iter_mut()
        .enumerate()
        .map(|(id, a)| {
            if !is_published[id] {
                return None;
            }
            let kept = cache.entries.get(&a.source).filter(|kept| {
                kept.body_hash == a.body_hash
                    && kept
                        .links
                        .iter()
                        .all(|link| link.resolves_the_same(&table, &a.source))
            });
            let rendered = match kept {
                Some(kept) => (kept.rendered.clone(), kept.links.clone()),
                None => {
                    rendered_anew.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if a.unread_body.is_some() {
                        // Its rendering was in the cache, but a link now points elsewhere.
                        match crate::content::read_body(a) {
                            Ok(body) => a.body = body,
                            Err(message) => {
                                let problem = Problem::error(a.display_path(), message);
                                unreadable.lock().expect("problems").push(problem);
                                return None;
                            }
                        }
                        a.unread_body = None;
                    }
                    let uses = std::cell::RefCell::new(Vec::new());
                    let mut body = markdown::render_with(
                        &a.body,
                        &|dest, is_image| {
                            let target = table.resolve(&a.source, dest, is_image);
                            if LinkTable::depends_on_targets(dest) {
                                uses.borrow_mut().push(LinkUse {
                                    dest: dest.to_string(),
                                    is_image,
                                    target: target.clone(),
                                });
                            }
                            target
                        },
                        options,
                    );
                    body.plain.shrink_to_fit();
                    (Arc::new(body), uses.into_inner())
                }
            };
            a.body = String::new();
            Some(rendered)
        })
        .collect();
    errors.extend(unreadable.into_inner().expect("problems"));
    let mut link_uses = Vec::with_capacity(rendered.len());
    let mut bodies = Vec::with_capacity(rendered.len());
    for r in rendered {
        let (body, uses) = r.map_or((None, Vec::new()), |(body, uses)| (Some(body), uses));
        bodies.push(body);
        link_uses.push(uses);
    }
    for (id, body) in bodies.iter().enumerate() {
        for issue in body.iter().flat_map(|b| &b.issues) {
            let a = &articles[id];
            let line = Some(a.body_line + issue.body_line - 1);
            if issue.is_error {
                errors.push(Problem::error(a.display_path(), &issue.message).at_line(line));
            } else {
                let kind = if issue.missing_file {
                    ProblemKind::MissingFile
                } else {
                    ProblemKind::Input
                };
                let warning = Problem::warning(a.display_path(), &issue.message).at_line(line);
                warnings.push(warning.of_kind(kind));
            }
        }
    }
    (bodies, link_uses, table, rendered_anew.into_inner())
}

/// `theme_settings.banner` names a file that is not under `content/`.
fn missing_banner(config: &Config, assets: &[crate::content::Asset]) -> Option<Problem> {
    let banner = config.theme_settings.banner.as_ref()?;
    if assets.iter().any(|a| a.source == banner.source) {
        return None;
    }
    Some(
        Problem::error(
            crate::config::CONFIG_FILE,
            format!(
                "the banner `{}` is not there: put the picture at content/{}",
                banner.written, banner.source
            ),
        )
        .in_field("theme_settings.banner")
        .at_line(config.theme_settings.banner_line),
    )
}
