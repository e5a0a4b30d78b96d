//! The plan of a build: every page of the site as a job with its output path, and the
//! paginated listings behind them.

use super::values::{self, Obj, SiteUrls};
use crate::error::{Error, Problem, Result};
use crate::site::taxonomy::{self, Term, Year};
use crate::site::{ArticleId, Site};
use std::collections::HashMap;
use tera::Value;

/// A paginated list of articles: a category, section, tag, author or archive period.
pub struct Listing {
    /// Template that renders it.
    pub template: &'static str,
    /// `page.kind`.
    pub kind: &'static str,
    /// Name under which `value` is given to the template (`category`, `tag`, ...).
    pub value_name: &'static str,
    /// What the listing is about.
    pub value: Value,
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
    /// Page `page` (1-based) of a listing.
    Listing {
        /// Index into [`Plan::listings`].
        listing: usize,
        /// 1-based page number.
        page: usize,
    },
    /// A redirect from an old URL (an alias) to an article.
    Alias {
        /// The article.
        to: ArticleId,
        /// The alias as a URL path with base path.
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
}

/// Output file of a URL path: `/tin-tuc/chung/x/` → `chung/x/index.html`.
pub fn output_path(base_path: &str, url: &str) -> String {
    let relative = url
        .strip_prefix(base_path)
        .unwrap_or(url.trim_start_matches('/'));
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else if relative
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
    {
        relative.to_string()
    } else {
        format!("{relative}/index.html")
    }
}

/// URL of page `n` of a listing whose first page is at `url`.
pub fn page_url(url: &str, n: usize) -> String {
    if n <= 1 {
        url.to_string()
    } else {
        format!("{url}trang/{n}/")
    }
}

impl Plan {
    /// Lays out every page. Two pages at one output path is an error naming both.
    pub fn new(site: &Site) -> Result<Plan> {
        let base = site.config.base_path.as_str();
        let urls = SiteUrls::new(base);
        // Three independent groupings of the articles: made side by side.
        let ((tags, authors), years) = rayon::join(
            || rayon::join(|| taxonomy::tags(site), || taxonomy::authors(site)),
            || taxonomy::archive(site),
        );
        let mut plan = Plan {
            jobs: Vec::new(),
            listings: Vec::new(),
            tags,
            authors,
            years,
            urls,
        };
        plan.add_listings(site);
        for &id in &site.published {
            plan.jobs
                .push((output_path(base, &site.urls[id]), Job::Article(id)));
        }
        for &id in &site.pages {
            plan.jobs
                .push((output_path(base, &site.urls[id]), Job::Page(id)));
        }
        for &id in site.published.iter().chain(&site.pages) {
            for alias in &site.articles[id].aliases {
                let url = format!("{base}{}", alias.trim_start_matches('/'));
                plan.jobs
                    .push((output_path(base, &url), Job::Alias { to: id, url }));
            }
        }
        for (index, listing) in plan.listings.iter().enumerate() {
            let pages = listing.items.len().div_ceil(site.config.per_page).max(1);
            for page in 1..=pages {
                let url = page_url(&listing.url, page);
                plan.jobs.push((
                    output_path(base, &url),
                    Job::Listing {
                        listing: index,
                        page,
                    },
                ));
            }
        }
        Ok(plan)
    }

    fn add_listings(&mut self, site: &Site) {
        let base = &site.config.base_path;
        for (c, category) in site.categories.iter().enumerate() {
            let url = values::category_url(site, c);
            self.listings.push(Listing {
                template: "category.html",
                kind: "category",
                value_name: "category",
                value: Value::none(),
                feed: Some(format!("{url}rss.xml")),
                url,
                title: category.name.clone(),
                description: category.description.clone().unwrap_or_default(),
                items: category.articles.clone(),
            });
        }
        for section in &site.sections {
            self.listings.push(Listing {
                template: "category.html",
                kind: "section",
                value_name: "category",
                value: Value::none(),
                url: values::section_url(site, &section.slug),
                title: section.name.clone(),
                description: String::new(),
                items: section.articles.clone(),
                feed: None,
            });
        }
        for (kind, terms, prefix) in [
            ("tag", &self.tags, "the"),
            ("author", &self.authors, "tac-gia"),
        ] {
            for term in terms.iter() {
                self.listings.push(Listing {
                    template: if kind == "tag" {
                        "tag.html"
                    } else {
                        "author.html"
                    },
                    kind,
                    value_name: kind,
                    value: Value::none(),
                    url: format!("{base}{prefix}/{}/", term.slug),
                    title: term.name.clone(),
                    description: String::new(),
                    items: term.articles.clone(),
                    feed: None,
                });
            }
        }
        for year in &self.years {
            self.listings
                .push(archive_listing(site, year.year, None, &year.articles));
            for month in &year.months {
                self.listings.push(archive_listing(
                    site,
                    year.year,
                    Some(month.month),
                    &month.articles,
                ));
            }
        }
    }

    /// Fails when two pages would be written to one output path, naming both.
    pub fn check_collisions(&self, site: &Site) -> Result<()> {
        // Descriptions are made only for the pages that collide.
        let mut seen: HashMap<&str, &Job> = HashMap::with_capacity(self.jobs.len());
        let mut problems = Vec::new();
        for (path, job) in &self.jobs {
            if let Some(first) = seen.insert(path.as_str(), job) {
                let what = self.describe(site, job);
                let first = self.describe(site, first);
                problems.push(Problem::error(
                    what.split(' ').next_back().unwrap_or("content"),
                    format!("{what} and {first} would both be written to {path}"),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Input(problems))
        }
    }

    fn describe(&self, site: &Site, job: &Job) -> String {
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

    /// Every indexable page with its last modification, for the sitemap: not the 404 page,
    /// not redirects.
    pub fn sitemap_entries(&self, site: &Site) -> Vec<crate::output::sitemap::Entry> {
        let newest = |ids: &[ArticleId]| {
            ids.first()
                .map(|&id| values::date_text(site, site.articles[id].date))
                .unwrap_or_default()
        };
        let per_page = site.config.per_page;
        let mut entries: Vec<_> = self
            .jobs
            .iter()
            .filter_map(|(_, job)| {
                let lastmod = match job {
                    Job::Article(id) => {
                        let a = &site.articles[*id];
                        values::date_text(site, a.updated.unwrap_or(a.date))
                    }
                    Job::Page(id) if site.articles[*id].has_date => {
                        values::date_text(site, site.articles[*id].date)
                    }
                    Job::Page(_) => newest(&site.published),
                    Job::Listing { listing, page } => {
                        let items = &self.listings[*listing].items;
                        newest(&items[((page - 1) * per_page).min(items.len())..])
                    }
                    Job::Prepared { template, .. } if *template == "404.html" => return None,
                    Job::Prepared { .. } => newest(&site.published),
                    Job::Alias { .. } => return None,
                };
                Some((site.config.permalink(&self.url_of(site, job)), lastmod))
            })
            .collect();
        entries.sort();
        entries
    }
}

fn archive_listing(site: &Site, year: i32, month: Option<u32>, items: &[ArticleId]) -> Listing {
    let base = &site.config.base_path;
    let (url, title) = match month {
        Some(m) => (
            format!("{base}luu-tru/{year}/{m:02}/"),
            format!("Lưu trữ tháng {m}/{year}"),
        ),
        None => (
            format!("{base}luu-tru/{year}/"),
            format!("Lưu trữ năm {year}"),
        ),
    };
    Listing {
        template: "archive.html",
        kind: "archive",
        value_name: "period",
        value: Obj::new()
            .set("title", title.as_str())
            .set("year", year)
            .set("month", month.map_or_else(Value::none, Value::from))
            .set("url", url.as_str())
            .build(),
        url,
        title,
        description: String::new(),
        items: items.to_vec(),
        feed: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_follow_pretty_urls() {
        assert_eq!(output_path("/", "/"), "index.html");
        assert_eq!(
            output_path("/tin-tuc/", "/tin-tuc/chung/x/"),
            "chung/x/index.html"
        );
        assert_eq!(
            output_path("/", "/tin-tuc/chung/1234.html"),
            "tin-tuc/chung/1234.html"
        );
        assert_eq!(output_path("/", "/cu/bai-viet"), "cu/bai-viet/index.html");
    }

    #[test]
    fn page_urls_live_under_trang() {
        assert_eq!(page_url("/chung/", 1), "/chung/");
        assert_eq!(page_url("/chung/", 3), "/chung/trang/3/");
    }
}
