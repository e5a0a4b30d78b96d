//! Everything that writes output: the staging folder, feeds, sitemaps, robots.txt.

pub mod feeds;
pub mod sitemap;
pub mod write;
pub mod xml;

use crate::render::Plan;
use crate::site::Site;

/// The generated files that are not templates: feeds, sitemaps and `robots.txt`, as
/// (output path, bytes).
pub fn site_files(site: &Site, plan: &Plan) -> Vec<(String, Vec<u8>)> {
    let config = &site.config;
    let base = &config.base_path;
    let mut files = Vec::new();
    let site_feed = feeds::Feed {
        title: config.title.clone(),
        description: config.description.clone(),
        page_url: base.clone(),
        feed_url: plan.urls.feed.clone(),
        items: &site.published,
    };
    files.push(("rss.xml".to_string(), feeds::rss(site, &site_feed)));
    for category in &site.categories {
        let page_url = format!("{base}{}/", category.slug);
        let feed = feeds::Feed {
            title: format!("{} - {}", category.name, config.title),
            description: category
                .description
                .clone()
                .unwrap_or_else(|| config.description.clone()),
            feed_url: format!("{page_url}rss.xml"),
            page_url,
            items: &category.articles,
        };
        files.push((
            format!("{}/rss.xml", category.slug),
            feeds::rss(site, &feed),
        ));
    }
    let entries = plan.sitemap_entries(site);
    files.extend(sitemap::sitemaps(&entries, &config.base_url));
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        config.base_url
    );
    files.push(("robots.txt".to_string(), robots.into_bytes()));
    files
}
