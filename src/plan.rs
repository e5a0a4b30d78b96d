//! The plan of a build (the stage after the site model, before rendering): every page of the site as a job with its output path, and the
//! paginated listings behind them, and the old addresses only a server rule can redirect.

pub mod redirects;

pub use redirects::Redirect;

use crate::error::{Error, Problem, ProblemKind, Result};
use crate::labels::Labels;
use crate::routes::SiteUrls;
use crate::routes::{output_path_problem, page_url, TermKind};
use crate::site::taxonomy::{self, Term, Year};
use crate::site::{ArticleId, Site};
use std::collections::HashMap;
use tera::Value;

/// What a paginated listing lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ListingKind {
    /// A category's articles.
    Category,
    /// The articles of every category of a section.
    Section,
    /// The articles with one tag.
    Tag,
    /// The articles of one author.
    Author,
    /// The articles of one year or month.
    Archive,
}

impl ListingKind {
    /// `page.kind` as templates see it.
    pub fn as_str(self) -> &'static str {
        match self {
            ListingKind::Category => "category",
            ListingKind::Section => "section",
            ListingKind::Tag => "tag",
            ListingKind::Author => "author",
            ListingKind::Archive => "archive",
        }
    }

    /// The template that renders it.
    pub fn template(self) -> &'static str {
        match self {
            ListingKind::Category | ListingKind::Section => "category.html",
            ListingKind::Tag => "tag.html",
            ListingKind::Author => "author.html",
            ListingKind::Archive => "archive.html",
        }
    }

    /// The name under which the listing's value is given to the template.
    pub fn value_name(self) -> &'static str {
        match self {
            ListingKind::Category | ListingKind::Section => "category",
            ListingKind::Tag => "tag",
            ListingKind::Author => "author",
            ListingKind::Archive => "period",
        }
    }
}

/// The template of the "page not found" page (left out of the sitemap).
pub const NOT_FOUND_TEMPLATE: &str = "404.html";

/// The template of the newest articles as an HTML fragment at `/tin-moi.html`, which the
/// theme's script puts into the sidebar of every page (left out of the sitemap). The sidebar
/// itself holds only a link, so publishing an article does not change every page.
pub const LATEST_TEMPLATE: &str = "latest.html";

/// The template of the page left at a removed article's URL (`404.html` for a theme that
/// has none).
pub const GONE_TEMPLATE: &str = "gone.html";

/// A paginated list of articles: a category, section, tag, author or archive period.
pub struct Listing {
    /// What it lists.
    pub kind: ListingKind,
    /// What the listing is about, as its template gets it (made by the renderer).
    pub value: Value,
    /// The year and month of an archive listing.
    pub period: Option<(i32, Option<u32>)>,
    /// URL of the first page, with base path.
    pub url: String,
    /// Page title.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Articles, newest first.
    pub items: Vec<ArticleId>,
    /// The feed that belongs to the listing.
    pub feed: Option<String>,
}

/// One page to render.
pub enum Job {
    /// An article page.
    Article(ArticleId),
    /// A standalone page.
    Page(ArticleId),
    /// Page `page` of a listing: 0 is the newest page, 1, 2, ... the older pages numbered
    /// from the oldest (see [`page_items`]).
    Listing {
        /// Index into [`Plan::listings`].
        listing: usize,
        /// Page number: 0 for the newest page, else counted from the oldest.
        page: usize,
    },
    /// A redirect page from an old address (an alias without a query string, under the
    /// base path) to an article.
    Alias {
        /// The article.
        to: ArticleId,
        /// The alias: a URL path under the base path.
        url: String,
    },
    /// A page whose values are prepared in advance (home, indexes, 404).
    Prepared {
        /// URL path with base path (or the output path for files such as `404.html`).
        url: String,
        /// Template.
        template: &'static str,
        /// The `page` value.
        page: Value,
        /// Other values.
        values: Vec<(&'static str, Value)>,
    },
}

/// Every page of the site and the indexes behind them.
pub struct Plan {
    /// Pages to render, each with its output path.
    pub jobs: Vec<(String, Job)>,
    /// Paginated listings.
    pub listings: Vec<Listing>,
    /// Tags (for feeds and sitemaps too).
    pub tags: Vec<Term>,
    /// Authors.
    pub authors: Vec<Term>,
    /// Archive years.
    pub years: Vec<Year>,
    /// Site-wide URLs.
    pub urls: SiteUrls,
    /// Old addresses that server rules redirect (see [`redirects`]).
    pub redirects: Vec<Redirect>,
    /// Old addresses claimed by two articles, reported by [`Plan::check_outputs`].
    redirect_problems: Vec<Problem>,
}

impl Plan {
    /// Lays out every page. Two pages at one output path is an error naming both.
    pub fn new(site: &Site, labels: &Labels) -> Result<Plan> {
        let routes = &site.routes;
        let urls = SiteUrls::new(routes);
        // Three independent groupings of the articles: made side by side.
        let ((tags, authors), years) = rayon::join(
            || rayon::join(|| taxonomy::tags(site), || taxonomy::authors(site)),
            || taxonomy::archive(site),
        );
        let (redirects, redirect_problems) = redirects::collect(site);
        let mut plan = Plan {
            jobs: Vec::new(),
            listings: Vec::new(),
            tags,
            authors,
            years,
            urls,
            redirects,
            redirect_problems,
        };
        plan.add_listings(site, labels);
        for &id in site.published.iter().chain(&site.translated) {
            plan.jobs
                .push((routes.output_path(&site.urls[id]), Job::Article(id)));
        }
        for &id in &site.pages {
            plan.jobs
                .push((routes.output_path(&site.urls[id]), Job::Page(id)));
        }
        for &id in site
            .published
            .iter()
            .chain(&site.pages)
            .chain(&site.translated)
        {
            for old in &site.articles[id].aliases {
                if let Some(url) = routes.alias_page(old) {
                    plan.jobs
                        .push((routes.output_path(&url), Job::Alias { to: id, url }));
                }
            }
        }
        for (index, listing) in plan.listings.iter().enumerate() {
            let older = older_pages(listing.items.len(), site.config.per_page);
            for page in 0..=older {
                let url = page_url(&listing.url, page);
                plan.jobs.push((
                    routes.output_path(&url),
                    Job::Listing {
                        listing: index,
                        page,
                    },
                ));
            }
        }
        Ok(plan)
    }

    fn add_listings(&mut self, site: &Site, labels: &Labels) {
        for category in &site.categories {
            let url = site.routes.category(&category.slug);
            self.listings.push(Listing {
                kind: ListingKind::Category,
                value: Value::none(),
                feed: Some(site.routes.feed_of(&url)),
                period: None,
                url,
                title: category.name.clone(),
                description: category.description.clone().unwrap_or_default(),
                items: category.articles.clone(),
            });
        }
        for section in &site.sections {
            self.listings.push(Listing {
                kind: ListingKind::Section,
                value: Value::none(),
                url: site.routes.category(&section.slug),
                title: section.name.clone(),
                description: String::new(),
                items: section.articles.clone(),
                feed: None,
                period: None,
            });
        }
        for (kind, terms, term_kind) in [
            (ListingKind::Tag, &self.tags, TermKind::Tag),
            (ListingKind::Author, &self.authors, TermKind::Author),
        ] {
            for term in terms.iter() {
                self.listings.push(Listing {
                    kind,
                    value: Value::none(),
                    url: site.routes.term(term_kind, &term.slug),
                    title: term.name.clone(),
                    description: String::new(),
                    items: term.articles.clone(),
                    feed: None,
                    period: None,
                });
            }
        }
        for year in &self.years {
            self.listings.push(archive_listing(
                site,
                labels,
                year.year,
                None,
                &year.articles,
            ));
            for month in &year.months {
                self.listings.push(archive_listing(
                    site,
                    labels,
                    year.year,
                    Some(month.month),
                    &month.articles,
                ));
            }
        }
    }

    /// Fails when an output path cannot be written (a name over 255 bytes, a `.` segment,
    /// ...), when two pages would be written to one output path, or when two articles list
    /// one old address that a server rule redirects. Each problem names the file (and the
    /// field and line where known) that made the page.
    pub fn check_outputs(&self, site: &Site) -> Result<()> {
        // Descriptions are made only for the pages that collide.
        let mut seen: HashMap<&str, &Job> = HashMap::with_capacity(self.jobs.len());
        let mut problems = self.redirect_problems.clone();
        for (path, job) in &self.jobs {
            if let Some(message) = output_path_problem(path) {
                let what = self.describe(site, job);
                problems.push(
                    self.problem_about(site, job, format!("{what}: {message}"))
                        .of_kind(ProblemKind::OutputPath),
                );
                continue;
            }
            if let Some(first) = seen.insert(path.as_str(), job) {
                let message = format!(
                    "{} and {} would both be written to {path}",
                    self.describe(site, job),
                    self.describe(site, first)
                );
                // Blame the file an editor can change: the article rather than a listing.
                let blamed = match job {
                    Job::Listing { .. } | Job::Prepared { .. } => first,
                    _ => job,
                };
                problems.push(
                    self.problem_about(site, blamed, message)
                        .of_kind(ProblemKind::Collision),
                );
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Input(problems))
        }
    }

    /// An error about the file that made `job`'s page: the article (at its `slug` or
    /// `aliases` field), or `content` for pages made from many articles.
    pub(crate) fn problem_about(&self, site: &Site, job: &Job, message: String) -> Problem {
        match job {
            Job::Article(id) | Job::Page(id) => {
                let a = &site.articles[*id];
                let problem = Problem::error(a.display_path(), message);
                match a.line_of("slug") {
                    Some(line) => problem.in_field("slug").at_line(Some(line)),
                    None => problem,
                }
            }
            Job::Alias { to, .. } => {
                let a = &site.articles[*to];
                Problem::error(a.display_path(), message)
                    .in_field("aliases")
                    .at_line(a.line_of("aliases"))
            }
            Job::Listing { .. } | Job::Prepared { .. } => {
                Problem::error(crate::content::CONTENT_DIR, message)
            }
        }
    }

    /// What makes `job`'s page, in words (`the page of content/x.md`, `the alias ...`).
    pub(crate) fn describe(&self, site: &Site, job: &Job) -> String {
        match job {
            Job::Article(id) | Job::Page(id) => {
                format!("the page of {}", site.articles[*id].display_path())
            }
            Job::Listing { listing, .. } => format!("the listing {}", self.listings[*listing].url),
            Job::Alias { to, url } => {
                format!("the alias {url} of {}", site.articles[*to].display_path())
            }
            Job::Prepared { url, .. } => format!("the page {url}"),
        }
    }

    /// The URL path (with base path) of a job's page.
    pub fn url_of<'a>(&'a self, site: &'a Site, job: &'a Job) -> std::borrow::Cow<'a, str> {
        match job {
            Job::Article(id) | Job::Page(id) => site.urls[*id].as_str().into(),
            Job::Listing { listing, page } => page_url(&self.listings[*listing].url, *page).into(),
            Job::Alias { url, .. } | Job::Prepared { url, .. } => url.as_str().into(),
        }
    }
}

fn archive_listing(
    site: &Site,
    labels: &Labels,
    year: i32,
    month: Option<u32>,
    items: &[ArticleId],
) -> Listing {
    let url = site.routes.archive(year, month);
    let title = match month {
        Some(m) => Labels::fill(&labels.archive_month, &[("month", &m), ("year", &year)]),
        None => Labels::fill(&labels.archive_year, &[("year", &year)]),
    };
    Listing {
        kind: ListingKind::Archive,
        value: Value::none(),
        period: Some((year, month)),
        url,
        title,
        description: String::new(),
        items: items.to_vec(),
        feed: None,
    }
}

/// How many older pages a listing of `total` articles has besides its newest page, at
/// `per_page` articles a page: every older page is full (see [`page_items`]).
pub fn older_pages(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page).saturating_sub(1)
}

/// Which of a listing's articles (newest first, `total` of them) page `page` shows.
///
/// Page 0, the newest, shows the newest `per_page`. The older pages are cut from the oldest
/// article on: page `j` shows the articles `(j-1)·per_page .. j·per_page` counted from the
/// oldest, so publishing an article changes the newest page and, once in `per_page`
/// articles, adds a page, but leaves every older page as it was. The newest older page may
/// repeat some of the newest page's articles.
pub fn page_items(total: usize, per_page: usize, page: usize) -> std::ops::Range<usize> {
    if page == 0 {
        return 0..per_page.min(total);
    }
    let end = total.saturating_sub((page - 1) * per_page);
    end.saturating_sub(per_page)..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_pages_are_full_and_keep_their_articles_when_one_is_published() {
        assert_eq!(older_pages(0, 10), 0);
        assert_eq!(older_pages(10, 10), 0);
        assert_eq!(older_pages(11, 10), 1);
        assert_eq!(older_pages(25, 10), 2);
        assert_eq!(page_items(25, 10, 0), 0..10);
        // Page 1 holds the 10 oldest of 25 (newest first: positions 15..25).
        assert_eq!(page_items(25, 10, 1), 15..25);
        assert_eq!(page_items(25, 10, 2), 5..15);
        // One more article: every position moves by one, the articles of each page stay.
        assert_eq!(older_pages(26, 10), 2);
        assert_eq!(page_items(26, 10, 1), 16..26);
        assert_eq!(page_items(26, 10, 2), 6..16);
        assert_eq!(page_items(3, 10, 0), 0..3);
    }

    #[test]
    fn every_article_is_on_some_page() {
        for total in 0..45 {
            let mut seen = vec![false; total];
            for page in 0..=older_pages(total, 10) {
                for i in page_items(total, 10, page) {
                    seen[i] = true;
                }
            }
            assert!(seen.iter().all(|&s| s), "{total}");
        }
    }
}
