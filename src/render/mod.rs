//! Plans every HTML page of the site as a job, then renders the jobs in parallel.

pub mod assets;
mod documents;
pub mod filters;
pub mod inputs;
mod languages;
pub mod reads;
pub mod templates;
pub mod values;

use crate::labels::Labels;
use crate::plan::{
    older_pages, page_items, Job, Listing, ListingKind, Plan, GONE_TEMPLATE, LATEST_TEMPLATE,
    NOT_FOUND_TEMPLATE,
};

use crate::error::Result;
use crate::routes::{page_url, TermKind};
use crate::site::taxonomy::{self, Term};
use crate::site::{ArticleId, Site};
use inputs::Inputs;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use templates::{template_error, StaticSource, Theme};
use tera::{Context, Value};
use values::{list, opt, Obj, SharedValues};

/// A site ready to render: the plan, the shared template values and the engine.
/// `build` renders every page; `serve` renders pages on request.
pub struct Rendering {
    /// The site.
    pub site: Site,
    /// Every page.
    pub plan: Plan,
    /// Static files of the theme: output path → source.
    pub static_files: BTreeMap<String, StaticSource>,
    shared: SharedValues,
    tera: tera::Tera,
    template_paths: BTreeMap<String, String>,
    tags_by_key: HashMap<String, usize>,
    tag_values: Vec<Value>,
    position_in_category: Vec<usize>,
    by_path: HashMap<String, usize>,
    /// The title of page 2 and later of a listing (`labels.page_n`).
    page_n_label: String,
    /// What the pages of each template, language and sidebar are made from besides their
    /// own values: the theme, the program, the global values and the language's values the
    /// template reads (see [`inputs`]).
    shared_inputs: SharedInputs,
    /// What each template can read (see [`reads`]).
    reads: BTreeMap<String, Option<reads::Reads>>,
    /// What the pages of each language get (labels, `site`, the shared sidebar
    /// ([`SHARED_SIDEBAR`]) rendered once for the whole build), by language code.
    localized: BTreeMap<String, languages::Localized>,
    /// The category shown by articles of each other language (see
    /// [`languages::news_category`]).
    news_categories: BTreeMap<String, Value>,
}

/// Where [`Rendering::render_all`] puts pages: the pipeline's sinks.
pub trait PageOutput: Sync {
    /// Puts the page `html` at `path`; `inputs` is what it was made from, when the output
    /// keeps that (see [`PageOutput::keeps_inputs`]).
    fn write_page(&self, path: &str, html: &[u8], inputs: Option<Inputs>) -> Result<()>;

    /// Whether the output remembers what each page was made from, so that a page made from
    /// the same inputs as last time can be kept instead of rendered again.
    fn keeps_inputs(&self) -> bool {
        false
    }

    /// Keeps the page the last build put at `path` when it was made from these `inputs`;
    /// `false` when it cannot (then the page is rendered and written).
    fn keep_page(&self, _path: &str, _inputs: Inputs) -> Result<bool> {
        Ok(false)
    }
}

/// The sidebar partial. Its content is the same on nearly every page (latest articles,
/// categories, blocks from the config), so it is rendered once per build and handed to the
/// pages as `shared_sidebar` (HTML), which the theme's `base.html` prints instead of
/// including the partial again: about 6% of a build's work on a large site.
pub const SHARED_SIDEBAR: &str = "partials/sidebar.html";

impl Rendering {
    /// Plans the site's pages and prepares the values every template shares.
    /// Fails when two pages would share an output path.
    pub fn new(site: Site, theme: Theme) -> Result<Rendering> {
        let Theme {
            mut tera,
            static_files,
            template_paths,
            labels,
            inputs: theme_inputs,
            reads,
            other_labels,
        } = theme;
        let mut plan = Plan::new(&site, &labels)?;
        let shared = SharedValues::new(&site, &plan.urls);
        fill_listing_values(&site, &shared, &mut plan);
        add_prepared_pages(
            &site,
            &shared,
            &labels,
            template_paths.contains_key(LATEST_TEMPLATE),
            &mut plan,
        );
        let gone_template = match template_paths.contains_key(GONE_TEMPLATE) {
            true => GONE_TEMPLATE,
            false => NOT_FOUND_TEMPLATE,
        };
        for code in other_labels.keys() {
            add_language_home(&site, &shared, code, &mut plan);
        }
        if template_paths.contains_key(documents::LISTING_TEMPLATE) {
            documents::add_pages(&site, &labels, &mut plan);
        }
        add_gone_pages(&site, &labels, gone_template, &mut plan);
        plan.check_outputs(&site)?;
        let latest = shared.summaries_of(&site.published[..site.published.len().min(10)]);
        let global_inputs = reads
            .iter()
            .map(|(template, reads)| {
                let mut feed = inputs::Feed::new();
                feed.update(&theme_inputs.to_le_bytes());
                inputs::hash_named("site", &shared.site, reads.as_ref(), &mut feed);
                inputs::hash_named("latest", &latest, reads.as_ref(), &mut feed);
                (template.clone(), feed.digest())
            })
            .collect();
        tera.global_context()
            .insert_value("site", shared.site.clone());
        tera.global_context().insert_value("latest", latest);
        let tags_by_key = plan
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| (taxonomy::term_key(&t.name), i))
            .collect();
        let tag_values = plan
            .tags
            .iter()
            .map(|t| term_value(&site, t, TermKind::Tag))
            .collect();
        let by_path = plan
            .jobs
            .iter()
            .enumerate()
            .map(|(i, (path, _))| (path.clone(), i))
            .collect();
        let labels_values = languages::labels_values(&site.config.language, &labels, &other_labels);
        let mut localized = BTreeMap::new();
        for (code, labels) in labels_values {
            let site_value = (code != site.config.language)
                .then(|| languages::site_value(&site, &shared, &code));
            let sidebar =
                render_shared_sidebar(&site, &tera, &template_paths, &labels, site_value.as_ref())?;
            localized.insert(
                code,
                languages::Localized {
                    labels,
                    site: site_value,
                    sidebar,
                },
            );
        }
        let news_categories = other_labels
            .iter()
            .map(|(code, l)| (code.clone(), languages::news_category(&site, l, code)))
            .collect();
        let shared_inputs = shared_inputs(&reads, &global_inputs, &localized);
        Ok(Rendering {
            shared_inputs,
            reads,
            page_n_label: labels.page_n,
            position_in_category: position_in_category(&site),
            site,
            plan,
            static_files,
            shared,
            tera,
            template_paths,
            tags_by_key,
            tag_values,
            by_path,
            localized,
            news_categories,
        })
    }

    /// The index of the page written at `output_path` (`chung/x/index.html`).
    pub fn find_page(&self, output_path: &str) -> Option<usize> {
        self.by_path.get(output_path).copied()
    }

    /// Renders page `index` of the plan.
    pub fn render_page(&self, index: usize) -> Result<String> {
        let bytes = self.render_page_bytes(index)?;
        Ok(String::from_utf8(bytes).expect("Tera writes UTF-8"))
    }

    /// Renders the theme's or site's template `name` with the values `values` makes (and
    /// the values every template sees), or `None` when there is no such template: how
    /// `robots.txt`, feeds and sitemaps can be replaced by templates while the built-in
    /// writers stay the default. `values` is called only when the template exists.
    pub fn render_optional(
        &self,
        name: &str,
        values: impl FnOnce() -> Vec<(&'static str, Value)>,
    ) -> Option<Result<Vec<u8>>> {
        if !self.template_paths.contains_key(name) {
            return None;
        }
        let mut context = Context::new();
        for (key, value) in values() {
            context.insert_value(key, value);
        }
        let mut out = Vec::new();
        Some(
            self.tera
                .render_to(name, &context, &mut out)
                .map(|()| out)
                .map_err(|e| template_error(e, &self.template_paths)),
        )
    }

    /// Renders page `index` of the plan as HTML bytes. Rendering into bytes skips a UTF-8
    /// check of every page, which `build` would otherwise pay for each of its pages.
    pub fn render_page_bytes(&self, index: usize) -> Result<Vec<u8>> {
        let (template, values, _) = self.page_values(index);
        self.render_values(template, values)
    }

    /// The template of page `index`, everything it gets but the globals, and where in that
    /// the values of its language start (see [`Localized::values`](languages::Localized)).
    fn page_values(&self, index: usize) -> (&'static str, PageValues, LanguageValues<'_>) {
        let job = &self.plan.jobs[index].1;
        let (template, mut values) = self.values(job);
        let code = values
            .0
            .iter()
            .find(|(key, _)| *key == "page")
            .and_then(|(_, page)| page.get_from_path("lang").and_then(Value::as_str))
            .filter(|code| self.localized.contains_key(*code))
            .unwrap_or(&self.site.config.language);
        // The first page of a category marks that category as current in the sidebar, so it
        // includes the partial instead of printing the shared one.
        let with_sidebar = !matches!(job, Job::Listing { listing, page: 0 }
            if self.plan.listings[*listing].kind == ListingKind::Category);
        let own = values.0.len();
        let (code, localized) = self
            .localized
            .get_key_value(code)
            .expect("every page's language has its values");
        values.0.extend(localized.values(with_sidebar));
        (
            template,
            values,
            LanguageValues {
                own,
                code,
                with_sidebar,
            },
        )
    }

    fn render_values(&self, template: &str, values: PageValues) -> Result<Vec<u8>> {
        let mut context = Context::new();
        for (key, value) in values.0 {
            context.insert_value(key, value);
        }
        let mut html = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(template, &context, &mut html)
            .map_err(|e| template_error(e, &self.template_paths))?;
        Ok(html)
    }

    /// What a page is made from (see [`inputs`]), given its template and values: its own
    /// values, and the hash of its template's globals and language's values made once.
    /// `feed` is the render thread's (see [`inputs::ThreadFeeds`]).
    fn page_inputs(
        &self,
        template: &str,
        values: &PageValues,
        language: &LanguageValues,
        feed: &mut inputs::Feed,
    ) -> Inputs {
        // A template the theme lacks has no entry: its pages fail to render anyway.
        let shared = self
            .shared_inputs
            .get(template)
            .and_then(|languages| languages.get(language.code))
            .map_or(0, |by_sidebar| {
                by_sidebar[usize::from(language.with_sidebar)]
            });
        feed.update(&shared.to_le_bytes());
        feed.update(template.as_bytes());
        let reads = self.reads.get(template).and_then(Option::as_ref);
        for (key, value) in &values.0[..language.own] {
            inputs::hash_named(key, value, reads, feed);
        }
        feed.digest()
    }

    /// What each template of the plan gets (see [`TemplateContract`]): the theme's README
    /// documents it, and a test keeps the two in step.
    pub fn template_contract(&self) -> TemplateContract {
        let mut contract = TemplateContract::new();
        let globals = contract.entry("*".to_string()).or_default();
        for (name, value) in [
            ("site", &self.shared.site),
            (
                "latest",
                &self
                    .shared
                    .summaries_of(&self.site.published[..1.min(self.site.published.len())]),
            ),
        ] {
            globals.insert(name.to_string(), keys_of(value));
        }
        globals.insert("shared_sidebar".to_string(), Vec::new());
        // Every label of the page's language: listed in the theme's labels.yaml.
        globals.insert("labels".to_string(), Vec::new());
        for (_, job) in &self.plan.jobs {
            let (template, values) = self.values(job);
            contract.entry(template.to_string()).or_insert_with(|| {
                values
                    .0
                    .iter()
                    .map(|(key, value)| (key.to_string(), keys_of(value)))
                    .collect()
            });
        }
        contract
    }

    /// Renders every page in parallel into `output`. When the output remembers what each
    /// page was made from, a page made from the same inputs as in the last build is kept as
    /// it is, not rendered again: after one new article, most pages of a large site.
    /// Returns how many pages were rendered.
    pub fn render_all(&self, output: &dyn PageOutput) -> Result<usize> {
        let keeps_inputs = output.keeps_inputs();
        let pinned = match keeps_inputs {
            true => self.pinned_values(),
            false => inputs::Pinned::default(),
        };
        let feeds = inputs::ThreadFeeds::new(&pinned);
        let rendered = AtomicUsize::new(0);
        (0..self.plan.jobs.len())
            .into_par_iter()
            .try_for_each(|i| {
                let path = &self.plan.jobs[i].0;
                let (template, values, language) = self.page_values(i);
                let inputs = keeps_inputs.then(|| {
                    feeds.with(|feed| self.page_inputs(template, &values, &language, feed))
                });
                if let Some(inputs) = inputs {
                    if output.keep_page(path, inputs)? {
                        return Ok(());
                    }
                }
                rendered.fetch_add(1, Ordering::Relaxed);
                let html = self.render_values(template, values)?;
                output.write_page(path, &html, inputs)
            })?;
        Ok(rendered.into_inner())
    }

    /// The values pages share that live as long as the `Rendering`: every map in them can
    /// have its sub-digest remembered while pages are hashed (see [`inputs::Pinned`]).
    fn pinned_values(&self) -> inputs::Pinned<'_> {
        let shared = &self.shared;
        let prepared = self
            .plan
            .jobs
            .iter()
            .filter_map(|(_, job)| match job {
                Job::Prepared { page, values, .. } => Some((page, values)),
                _ => None,
            })
            .flat_map(|(page, values)| {
                std::iter::once(page).chain(values.iter().map(|(_, value)| value))
            });
        inputs::Pinned::new(
            std::iter::once(&shared.site)
                .chain(&shared.categories)
                .chain(&shared.summaries)
                .chain(&self.tag_values)
                .chain(self.news_categories.values())
                .chain(self.plan.listings.iter().map(|listing| &listing.value))
                .chain(prepared),
        )
    }
}

/// Renders [`SHARED_SIDEBAR`] as a page that is no particular page would (`page.url` and
/// `page.kind` empty), when the theme has it.
fn render_shared_sidebar(
    site: &Site,
    tera: &tera::Tera,
    template_paths: &BTreeMap<String, String>,
    labels: &Value,
    site_value: Option<&Value>,
) -> Result<Option<Value>> {
    if !template_paths.contains_key(SHARED_SIDEBAR) {
        return Ok(None);
    }
    let mut ctx = Context::new();
    ctx.insert_value("page", page_value(site, "", "", "", "", None));
    ctx.insert_value("feed", Value::none());
    ctx.insert_value("labels", labels.clone());
    if let Some(value) = site_value {
        ctx.insert_value("site", value.clone());
        for (key, value) in languages::other_globals() {
            ctx.insert_value(key, value);
        }
    }
    let html = tera
        .render(SHARED_SIDEBAR, &ctx)
        .map_err(|e| template_error(e, template_paths))?;
    Ok(Some(Value::safe_string(&html)))
}

fn position_in_category(site: &Site) -> Vec<usize> {
    let mut position = vec![0; site.articles.len()];
    for category in &site.categories {
        for (i, &id) in category.articles.iter().enumerate() {
            position[id] = i;
        }
    }
    position
}

/// `{name, slug, url, count}` of a tag or author.
fn term_value(site: &Site, term: &Term, kind: TermKind) -> Value {
    Obj::new()
        .set("name", term.name.as_str())
        .set("slug", term.slug.as_str())
        .set("url", site.routes.term(kind, &term.slug))
        .set("count", term.articles.len())
        .build()
}

fn fill_listing_values(site: &Site, shared: &SharedValues, plan: &mut Plan) {
    let mut tag = plan.tags.iter();
    let mut author = plan.authors.iter();
    let mut section = site.sections.iter();
    let mut category = shared.categories.iter();
    for listing in &mut plan.listings {
        match listing.kind {
            ListingKind::Category => {
                listing.value = category.next().cloned().unwrap_or_else(Value::none)
            }
            ListingKind::Section => {
                let s = section.next().expect("one listing per section");
                listing.value = Obj::new()
                    .set("name", s.name.as_str())
                    .set("slug", s.slug.as_str())
                    .set("url", listing.url.as_str())
                    .set("section", Value::none())
                    .set("section_url", Value::none())
                    .set("description", Value::none())
                    .set("count", s.articles.len())
                    .set("feed_url", Value::none())
                    .build();
            }
            ListingKind::Tag => {
                listing.value = term_value(site, tag.next().expect("one per tag"), TermKind::Tag)
            }
            ListingKind::Author => {
                let author = author.next().expect("one per author");
                listing.value = term_value(site, author, TermKind::Author)
            }
            ListingKind::Archive => {
                let (year, month) = listing.period.expect("an archive listing has its period");
                listing.value = Obj::new()
                    .set("title", listing.title.as_str())
                    .set("year", year)
                    .set("month", month.map_or_else(Value::none, Value::from))
                    .set("url", listing.url.as_str())
                    .build();
            }
        }
    }
}

/// An absolute URL for `url` (a resolved image URL: a site path with the base path, or an
/// address with its host): for `og:image`, which must be absolute.
fn absolute_url(site: &Site, url: &str) -> String {
    if url.starts_with("//") || crate::site::links::has_scheme(url) {
        url.to_string()
    } else if url.starts_with('/') {
        site.config.permalink(url)
    } else {
        site.config
            .permalink(&format!("{}{url}", site.config.base_path))
    }
}

fn page_value(
    site: &Site,
    kind: &str,
    title: &str,
    description: &str,
    url: &str,
    image: Option<&str>,
) -> Value {
    page_value_in(
        site,
        kind,
        title,
        description,
        url,
        image,
        (&site.config.language, &[]),
    )
}

/// [`page_value`] of a page in language `lang` with its `translations` (language, URL).
fn page_value_in(
    site: &Site,
    kind: &str,
    title: &str,
    description: &str,
    url: &str,
    image: Option<&str>,
    (lang, translations): (&str, &[(String, String)]),
) -> Value {
    // A page without a description of its own has its language's site description.
    let description = match (description.is_empty(), site.config.other_language(lang)) {
        (false, _) => description,
        (true, Some(other)) => other.description.as_str(),
        (true, None) => site.config.description.as_str(),
    };
    let [(k1, v1), (k2, v2), (k3, v3)] = languages::page_keys(site, lang, url, translations);
    Obj::new()
        .set(k1, v1)
        .set(k2, v2)
        .set(k3, v3)
        .set("kind", kind)
        .set("title", title)
        .set("description", description)
        .set("url", url)
        .set("permalink", site.config.permalink(url))
        .set(
            "image",
            image.map_or_else(Value::none, |i| absolute_url(site, i).into()),
        )
        .build()
}

/// The home page, the indexes, the 404 page and, when the theme has [`LATEST_TEMPLATE`]
/// (`has_latest_template`), the fragment of the newest articles.
fn add_prepared_pages(
    site: &Site,
    shared: &SharedValues,
    labels: &Labels,
    has_latest_template: bool,
    plan: &mut Plan,
) {
    let routes = &site.routes;
    let per_page = site.config.per_page;
    let featured: Vec<ArticleId> = site
        .published
        .iter()
        .copied()
        .filter(|&id| site.articles[id].featured)
        .take(5)
        .collect();
    let latest: Vec<ArticleId> = site.published.iter().copied().take(per_page).collect();
    let blocks = list(
        site.categories
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.articles.is_empty())
            .map(|(c, category)| {
                Obj::new()
                    .set("category", shared.categories[c].clone())
                    .set(
                        "articles",
                        shared.summaries_of(&category.articles[..category.articles.len().min(5)]),
                    )
                    .build()
            }),
    );
    let mut home = Prepared::new(site, "home", &site.config.title, routes.home().to_string());
    home.page = page_value_in(
        site,
        "home",
        &site.config.title,
        "",
        routes.home(),
        None,
        (
            &site.config.language,
            &languages::home_translations(site, &site.config.language),
        ),
    );
    home.push(
        plan,
        "index.html",
        vec![
            ("featured", shared.summaries_of(&featured)),
            ("latest_list", shared.summaries_of(&latest)),
            ("category_blocks", blocks),
        ],
    );
    let years = list(plan.years.iter().map(|y| {
        let year_url = routes.archive(y.year, None);
        Obj::new()
            .set("year", y.year)
            .set("count", y.articles.len())
            .set(
                "months",
                list(y.months.iter().map(|m| {
                    Obj::new()
                        .set("month", m.month)
                        .set("count", m.articles.len())
                        .set("url", routes.archive(y.year, Some(m.month)))
                        .set(
                            "title",
                            Labels::fill(&labels.month, &[("month", &m.month), ("year", &y.year)]),
                        )
                        .build()
                })),
            )
            .set("url", year_url)
            .build()
    }));
    Prepared::new(site, "archive", &labels.archive, plan.urls.archive.clone()).push(
        plan,
        "archive_index.html",
        vec![("years", years.clone())],
    );
    let mut tags: Vec<&Term> = plan.tags.iter().collect();
    tags.sort_by_key(|t| (crate::text::search_key(&t.name), t.name.clone()));
    let tags = list(tags.into_iter().map(|t| term_value(site, t, TermKind::Tag)));
    Prepared::new(site, "tags", &labels.tags, plan.urls.tags.clone()).push(
        plan,
        "tags.html",
        vec![("tags", tags)],
    );
    // The site map is in the site's own language: pages of other languages are on their
    // language's menu.
    let own_pages = site
        .pages
        .iter()
        .filter(|&&id| site.articles[id].lang == site.config.language);
    let pages = list(own_pages.map(|&id| {
        Obj::new()
            .set("title", site.articles[id].title.as_str())
            .set("url", site.urls[id].as_str())
            .build()
    }));
    if site.config.search {
        Prepared::new(site, "search", &labels.search, plan.urls.search.clone()).push(
            plan,
            "search.html",
            vec![("years", years.clone())],
        );
    }
    Prepared::new(
        site,
        "site_map",
        &labels.site_map,
        plan.urls.site_map.clone(),
    )
    .push(
        plan,
        "site_map.html",
        vec![("pages", pages), ("years", years)],
    );
    if has_latest_template {
        // A fragment, not a page: it has no title of its own.
        Prepared::new(site, "latest", "", routes.latest()).push(plan, LATEST_TEMPLATE, Vec::new());
    }
    Prepared::new(site, "not_found", &labels.not_found, routes.not_found()).push(
        plan,
        NOT_FOUND_TEMPLATE,
        Vec::new(),
    );
}

/// The home page of the other language `code` (`/en/`): its newest articles.
fn add_language_home(site: &Site, shared: &SharedValues, code: &str, plan: &mut Plan) {
    let Some(language) = site.config.other_language(code) else {
        return;
    };
    let url = site.routes.language_home(code);
    let mut home = Prepared::new(site, "home", &language.title, url.clone());
    home.page = page_value_in(
        site,
        "home",
        &language.title,
        &language.description,
        &url,
        None,
        (code, &languages::home_translations(site, code)),
    );
    let latest: Vec<ArticleId> = languages::articles_in(site, code)
        .take(site.config.per_page)
        .collect();
    home.push(
        plan,
        "index.html",
        vec![
            ("featured", list(std::iter::empty())),
            ("latest_list", shared.summaries_of(&latest)),
            ("category_blocks", list(std::iter::empty())),
        ],
    );
}

/// A "Bài viết đã được gỡ" page at each URL of a removed article that no other page
/// has taken.
fn add_gone_pages(site: &Site, labels: &Labels, template: &'static str, plan: &mut Plan) {
    let taken: std::collections::HashSet<String> =
        plan.jobs.iter().map(|(path, _)| path.clone()).collect();
    for url in &site.gone {
        let page = Prepared::new(site, "gone", &labels.gone, url.clone());
        if !taken.contains(&page.output_path) {
            page.push(plan, template, Vec::new());
        }
    }
}

/// The values one page's template gets, in the order they are given.
#[derive(Default)]
struct PageValues(Vec<(&'static str, Value)>);

/// Where a page's language values start in its [`PageValues`], and which they are.
struct LanguageValues<'a> {
    own: usize,
    code: &'a String,
    with_sidebar: bool,
}

/// Template → language → the hash of what its pages share without and with the shared
/// sidebar (see [`shared_inputs`]).
type SharedInputs = HashMap<String, HashMap<String, [Inputs; 2]>>;

/// The hash of what the pages of each template, language and sidebar share: `global` (the
/// template's hash of the theme and the globals it reads) and the language's values.
fn shared_inputs(
    reads: &BTreeMap<String, Option<reads::Reads>>,
    global: &HashMap<String, Inputs>,
    localized: &BTreeMap<String, languages::Localized>,
) -> SharedInputs {
    let mut all = SharedInputs::new();
    for (template, reads) in reads {
        for (code, language) in localized {
            let by_sidebar = [false, true].map(|with_sidebar| {
                let mut feed = inputs::Feed::new();
                feed.update(&global[template].to_le_bytes());
                for (key, value) in language.values(with_sidebar) {
                    inputs::hash_named(key, &value, reads.as_ref(), &mut feed);
                }
                feed.digest()
            });
            all.entry(template.clone())
                .or_default()
                .insert(code.clone(), by_sidebar);
        }
    }
    all
}

impl PageValues {
    fn insert_value(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }
}

/// What each template gets: template name → value name → the keys of that value when it is
/// a map (or a list of maps), from the first page of the plan that uses the template. The
/// globals every template sees (`site`, `latest`, `shared_sidebar`) are listed under `*`.
pub type TemplateContract = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// The keys of a map value, or of the first map of a list.
fn keys_of(value: &Value) -> Vec<String> {
    let map = value.as_map().or_else(|| {
        value
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_map)
    });
    let mut keys: Vec<String> = map
        .map(|m| m.keys().map(|k| k.to_string()).collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

/// A page of the site whose values are ready before rendering (home, indexes, 404).
struct Prepared {
    url: String,
    page: Value,
    output_path: String,
}

impl Prepared {
    /// The page at `url` (with base path), of `kind`, titled `title`.
    fn new(site: &Site, kind: &str, title: &str, url: String) -> Prepared {
        Prepared {
            page: page_value(site, kind, title, "", &url, None),
            output_path: site.routes.output_path(&url),
            url,
        }
    }

    /// Adds the page to the plan, rendered by `template` with `values`.
    fn push(self, plan: &mut Plan, template: &'static str, values: Vec<(&'static str, Value)>) {
        plan.jobs.push((
            self.output_path,
            Job::Prepared {
                url: self.url,
                template,
                page: self.page,
                values,
            },
        ));
    }
}

impl Rendering {
    /// The template of `job` and the values it gets (besides the globals `site` and
    /// `latest`, and `shared_sidebar`).
    fn values(&self, job: &Job) -> (&'static str, PageValues) {
        let site = &self.site;
        let mut ctx = PageValues::default();
        match job {
            Job::Article(id) | Job::Page(id) => {
                let id = *id;
                let a = &site.articles[id];
                let other = self.other_articles(id);
                let tags = list(a.tags.iter().filter_map(|t| {
                    self.tags_by_key
                        .get(&taxonomy::term_key(t))
                        .map(|&i| self.tag_values[i].clone())
                }));
                let news = self.news_categories.get(&a.lang);
                let tags = if news.is_some() {
                    list(std::iter::empty())
                } else {
                    tags
                };
                let mut value =
                    values::article_value(site, &self.shared, id, tags, &other, &site.related[id]);
                if let (Some(news), Job::Article(_)) = (news, job) {
                    value = values::with_key(value, "category", news.clone());
                }
                let is_page = matches!(job, Job::Page(_));
                let kind = if is_page { "page" } else { "article" };
                ctx.insert_value(
                    "page",
                    page_value_in(
                        site,
                        kind,
                        &a.title,
                        site.summary(id),
                        &site.urls[id],
                        site.pictures
                            .featured(id)
                            .map(|p| p.largest().fallback.as_str())
                            .or(site.images[id].as_deref()),
                        (&a.lang, &languages::translations_of(site, id)),
                    ),
                );
                ctx.insert_value(
                    "feed",
                    site.category(id)
                        .map_or_else(Value::none, |c| site.routes.category_feed(&c.slug).into()),
                );
                ctx.insert_value("article", value);
                (if is_page { "page.html" } else { "article.html" }, ctx)
            }
            Job::Listing { listing, page } => {
                let listing = &self.plan.listings[*listing];
                let paginator = self.paginator(listing, *page);
                let url = page_url(&listing.url, *page);
                let title = if *page > 0 {
                    Labels::fill(
                        &self.page_n_label,
                        &[("title", &listing.title), ("page", page)],
                    )
                } else {
                    listing.title.clone()
                };
                ctx.insert_value(
                    "page",
                    page_value(
                        site,
                        listing.kind.as_str(),
                        &title,
                        &listing.description,
                        &url,
                        None,
                    ),
                );
                ctx.insert_value("feed", opt(listing.feed.as_deref()));
                ctx.insert_value(listing.kind.value_name(), listing.value.clone());
                ctx.insert_value("paginator", paginator);
                (listing.kind.template(), ctx)
            }
            Job::Alias { to, url } => {
                let a = &site.articles[*to];
                ctx.insert_value("page", page_value(site, "alias", &a.title, "", url, None));
                ctx.insert_value("feed", Value::none());
                // The redirect goes to the site path, so it works on whatever host serves
                // the files; the canonical link names the production address.
                ctx.insert_value("target", site.urls[*to].as_str().into());
                ctx.insert_value("canonical", site.config.permalink(&site.urls[*to]).into());
                ("alias.html", ctx)
            }
            Job::Prepared {
                template,
                page,
                values,
                ..
            } => {
                ctx.insert_value("page", page.clone());
                ctx.insert_value("feed", Value::none());
                for (name, value) in values {
                    ctx.insert_value(name, value.clone());
                }
                (template, ctx)
            }
        }
    }

    /// "Các bài khác": the 10 next older articles of the same category (of the same
    /// language, for an article in another language than the site's own).
    fn other_articles(&self, id: ArticleId) -> std::borrow::Cow<'_, [ArticleId]> {
        let a = &self.site.articles[id];
        if a.lang != self.site.config.language {
            return languages::articles_in(&self.site, &a.lang)
                .skip_while(|&other| other != id)
                .skip(1)
                .take(10)
                .collect();
        }
        match self.site.category(id) {
            Some(category) => {
                let start = (self.position_in_category[id] + 1).min(category.articles.len());
                let end = (start + 10).min(category.articles.len());
                category.articles[start..end].into()
            }
            None => (&[][..]).into(),
        }
    }

    /// The `paginator` of page `current` of `listing` (0 the newest page, else counted from
    /// the oldest: see [`page_items`]). Besides the newest page, it links only to pages
    /// near `current` and to the oldest, never to the newest older page nor the number of
    /// pages: those change as articles are published, and an older page must not.
    fn paginator(&self, listing: &Listing, current: usize) -> Value {
        let per_page = self.site.config.per_page;
        let range = page_items(listing.items.len(), per_page, current);
        paginator_value(
            &listing.url,
            listing.items.len(),
            per_page,
            current,
            self.shared.summaries_of(&listing.items[range]),
        )
    }
}

/// The `paginator` of page `current` of a listing at `url` of `total_items` items, showing
/// `items`.
fn paginator_value(
    url: &str,
    total_items: usize,
    per_page: usize,
    current: usize,
    items: Value,
) -> Value {
    let older = older_pages(total_items, per_page);
    let url_of = |n: usize| page_url(url, n);
    // Older pages listed, newest first: the newest page lists the few newest of them,
    // an older page those around it; both the oldest, after a gap when not adjacent.
    let window: Vec<usize> = if current == 0 {
        (older.saturating_sub(2).max(1)..=older).rev().collect()
    } else {
        (current.saturating_sub(2).max(1)..=(current + 2).min(older))
            .rev()
            .collect()
    };
    let mut numbers = window.clone();
    if older > 0 && !numbers.contains(&1) {
        numbers.push(1);
    }
    let mut pages = Vec::new();
    let mut last_shown = None;
    for n in numbers {
        if last_shown.is_some_and(|last: usize| last > n + 1) {
            pages.push(
                Obj::new()
                    .set("number", Value::none())
                    .set("url", Value::none())
                    .set("current", false)
                    .set("gap", true)
                    .build(),
            );
        }
        pages.push(
            Obj::new()
                .set("number", n)
                .set("url", url_of(n))
                .set("current", n == current)
                .set("gap", false)
                .build(),
        );
        last_shown = Some(n);
    }
    let newer = match current {
        0 => Value::none(),
        n if n >= older => url_of(0).into(),
        n => url_of(n + 1).into(),
    };
    let older_url = match current {
        0 if older > 0 => url_of(older).into(),
        n if n > 1 => url_of(n - 1).into(),
        _ => Value::none(),
    };
    Obj::new()
        .set("items", items)
        .set("current", current)
        .set("total_pages", older + 1)
        .set("total_items", total_items)
        .set("per_page", per_page)
        .set("first_url", url_of(0))
        .set("last_url", url_of(if older > 0 { 1 } else { 0 }))
        .set("prev_url", newer)
        .set("next_url", older_url)
        .set("pages", list(pages))
        .build()
}
