//! Everything that writes output: the staging folder, feeds, sitemaps, robots.txt, the web
//! servers' configuration files.
//!
//! Feeds, sitemaps and `robots.txt` have built-in writers; a theme or site that has a
//! template of the same name (`rss.xml`, `sitemap.xml`, `robots.txt`) replaces them (see
//! `themes/README.md` for the values those templates get).

pub mod claims;
pub mod feeds;
pub mod hosting;
pub mod sitemap;
pub mod swap;
pub mod tree;
pub mod write;
pub mod xml;

use crate::error::Result;
use crate::plan::Plan;
use crate::render::Rendering;
use crate::routes::{FEED_FILE, ROBOTS_FILE, SITEMAP_FILE};
use crate::site::Site;

/// The output paths of [`site_files`], known without making the files (`serve` answers
/// them on request).
pub fn site_file_paths(site: &Site, plan: &Plan) -> Vec<String> {
    let routes = &site.routes;
    let mut paths = vec![routes.output_path(&routes.site_feed())];
    paths.extend(
        site.categories
            .iter()
            .map(|c| routes.output_path(&routes.category_feed(&c.slug))),
    );
    paths.extend(sitemap::file_names(sitemap::entry_count(plan)));
    paths.push(ROBOTS_FILE.to_string());
    paths.extend(hosting::paths(routes.home()).into_iter().map(String::from));
    paths
}

/// The generated files that are not pages: feeds, sitemaps, `robots.txt` and the web
/// servers' files ([`hosting`]), as (output path, bytes).
pub fn site_files(rendering: &Rendering) -> Result<Vec<(String, Vec<u8>)>> {
    let (site, plan) = (&rendering.site, &rendering.plan);
    let config = &site.config;
    let routes = &site.routes;
    let mut files = Vec::new();
    let site_feed = feeds::Feed {
        title: config.title.clone(),
        description: config.description.clone(),
        page_url: routes.home().to_string(),
        feed_url: plan.urls.feed.clone(),
        items: &site.published,
    };
    files.push((
        routes.output_path(&site_feed.feed_url),
        feed(rendering, &site_feed)?,
    ));
    for category in &site.categories {
        let page_url = routes.category(&category.slug);
        let category_feed = feeds::Feed {
            title: format!("{} - {}", category.name, config.title),
            description: category
                .description
                .clone()
                .unwrap_or_else(|| config.description.clone()),
            feed_url: routes.feed_of(&page_url),
            page_url,
            items: &category.articles,
        };
        files.push((
            routes.output_path(&category_feed.feed_url),
            feed(rendering, &category_feed)?,
        ));
    }
    let entries = sitemap::entries(site, plan);
    let sitemap_files = match rendering.render_optional(SITEMAP_FILE, || {
        vec![("entries", sitemap::entries_value(&entries))]
    }) {
        Some(bytes) if entries.len() <= sitemap::MAX_URLS => vec![(SITEMAP_FILE.into(), bytes?)],
        _ => sitemap::sitemaps(&entries, &config.base_url),
    };
    files.extend(sitemap_files);
    let sitemap_url = config.permalink(&routes.sitemap());
    let robots = match rendering.render_optional(ROBOTS_FILE, || {
        vec![("sitemap_url", sitemap_url.as_str().into())]
    }) {
        Some(bytes) => bytes?,
        None => format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n").into_bytes(),
    };
    files.push((ROBOTS_FILE.to_string(), robots));
    let servers = hosting::Hosting::new(site, plan, &rendering.static_files);
    files.extend(hosting::files(&servers));
    Ok(files)
}

/// A feed from the `rss.xml` template when there is one, else from the built-in writer.
fn feed(rendering: &Rendering, feed: &feeds::Feed<'_>) -> Result<Vec<u8>> {
    match rendering.render_optional(FEED_FILE, || {
        vec![("feed", feeds::value(&rendering.site, feed))]
    }) {
        Some(bytes) => bytes,
        None => Ok(feeds::rss(&rendering.site, feed)),
    }
}
