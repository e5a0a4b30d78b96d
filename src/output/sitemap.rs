//! `sitemap.xml`, split into a sitemap index with parts beyond 50,000 URLs as the
//! sitemaps protocol requires.

use super::xml;
use crate::plan::{Job, Plan, GONE_TEMPLATE, LATEST_TEMPLATE, NOT_FOUND_TEMPLATE};
use crate::render::values::{date_text, list, Obj};
use crate::routes::{sitemap_part_file, SITEMAP_FILE};
use crate::site::{ArticleId, Site};

/// The most URLs one sitemap file may hold.
pub const MAX_URLS: usize = 50_000;

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One page: absolute URL and last modification (W3C date-time).
pub type Entry = (String, String);

/// The sitemap files: `[("sitemap.xml", bytes)]`, or an index plus `sitemap-1.xml`, ...
/// `base_url` is the site's absolute base URL (ending with `/`).
pub fn sitemaps(entries: &[Entry], base_url: &str) -> Vec<(String, Vec<u8>)> {
    if entries.len() <= MAX_URLS {
        return vec![(SITEMAP_FILE.into(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = Vec::new();
    for (n, chunk) in entries.chunks(MAX_URLS).enumerate() {
        let name = sitemap_part_file(n + 1);
        let lastmod = chunk
            .iter()
            .map(|e| e.1.as_str())
            .max()
            .unwrap_or_default()
            .to_string();
        index.push((format!("{base_url}{name}"), lastmod));
        files.push((name, urlset(chunk)));
    }
    files.insert(
        0,
        (
            SITEMAP_FILE.into(),
            document("sitemapindex", "sitemap", &index),
        ),
    );
    files
}

/// The names of the sitemap files for `entries` pages: `sitemap.xml`, then the parts.
pub fn file_names(entries: usize) -> Vec<String> {
    let mut names = vec![SITEMAP_FILE.to_string()];
    if entries > MAX_URLS {
        names.extend((1..=entries.div_ceil(MAX_URLS)).map(sitemap_part_file));
    }
    names
}

/// How many pages of `plan` the sitemap lists.
pub fn entry_count(plan: &Plan) -> usize {
    plan.jobs.iter().filter(|(_, job)| is_listed(job)).count()
}

/// Whether the sitemap lists a page: not the 404 page, not redirects, not the pages of
/// removed articles.
fn is_listed(job: &Job) -> bool {
    !matches!(job, Job::Alias { .. })
        && !matches!(job, Job::Prepared { template, .. }
            if *template == NOT_FOUND_TEMPLATE || *template == GONE_TEMPLATE
                || *template == LATEST_TEMPLATE)
}

/// The values a `sitemap.xml` template gets as `entries`: a list of `{loc, lastmod}`.
pub fn entries_value(entries: &[Entry]) -> tera::Value {
    list(entries.iter().map(|(loc, lastmod)| {
        Obj::new()
            .set("loc", loc.as_str())
            .set("lastmod", lastmod.as_str())
            .build()
    }))
}

/// Every indexable page of `plan` with its last modification: not the 404 page, not
/// redirects. Sorted by URL.
pub fn entries(site: &Site, plan: &Plan) -> Vec<Entry> {
    let newest = |ids: &[ArticleId]| {
        ids.first()
            .map(|&id| date_text(site, site.articles[id].date))
            .unwrap_or_default()
    };
    let per_page = site.config.per_page;
    let mut entries: Vec<_> = plan
        .jobs
        .iter()
        .filter(|(_, job)| is_listed(job))
        .map(|(_, job)| {
            let lastmod = match job {
                Job::Article(id) => {
                    let a = &site.articles[*id];
                    date_text(site, a.updated.unwrap_or(a.date))
                }
                Job::Page(id) if site.articles[*id].has_date => {
                    date_text(site, site.articles[*id].date)
                }
                Job::Page(_) => newest(&site.published),
                Job::Listing { listing, page } => {
                    let items = &plan.listings[*listing].items;
                    newest(&items[crate::plan::page_items(items.len(), per_page, *page)])
                }
                Job::Prepared { .. } | Job::Alias { .. } => newest(&site.published),
            };
            (site.config.permalink(&plan.url_of(site, job)), lastmod)
        })
        .collect();
    entries.sort();
    entries
}

fn urlset(entries: &[Entry]) -> Vec<u8> {
    document("urlset", "url", entries)
}

fn document(root: &str, item: &str, entries: &[Entry]) -> Vec<u8> {
    xml::document(|writer| {
        writer
            .create_element(root)
            .with_attribute(("xmlns", NAMESPACE))
            .write_inner_content(|w| {
                for (loc, lastmod) in entries {
                    w.create_element(item).write_inner_content(|w| {
                        xml::text_element(w, "loc", loc)?;
                        if !lastmod.is_empty() {
                            xml::text_element(w, "lastmod", lastmod)?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })
            .map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sites_get_one_sitemap() {
        let files = sitemaps(
            &[("https://x.vn/a/?q=1&b=2".into(), "2020-01-01".into())],
            "https://x.vn/",
        );
        assert_eq!(files.len(), 1);
        let xml = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(
            xml.contains("<loc>https://x.vn/a/?q=1&amp;b=2</loc>"),
            "{xml}"
        );
    }

    #[test]
    fn large_sites_get_an_index_with_parts() {
        let entries: Vec<Entry> = (0..MAX_URLS + 1)
            .map(|i| (format!("https://x.vn/{i}/"), "2020-01-01".into()))
            .collect();
        let files = sitemaps(&entries, "https://x.vn/");
        let names: Vec<_> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://x.vn/sitemap-2.xml</loc>"));
    }
}
