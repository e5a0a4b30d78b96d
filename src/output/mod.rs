//! Everything that writes output: the staging folder, feeds, sitemaps, robots.txt.

pub mod feeds;
pub mod sitemap;
pub mod write;
pub mod xml;

use crate::render::Plan;
use crate::routes::ROBOTS_FILE;
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
    paths
}

/// The generated files that are not templates: feeds, sitemaps and `robots.txt`, as
/// (output path, bytes).
pub fn site_files(site: &Site, plan: &Plan) -> Vec<(String, Vec<u8>)> {
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
        feeds::rss(site, &site_feed),
    ));
    for category in &site.categories {
        let page_url = routes.category(&category.slug);
        let feed = feeds::Feed {
            title: format!("{} - {}", category.name, config.title),
            description: category
                .description
                .clone()
                .unwrap_or_else(|| config.description.clone()),
            feed_url: routes.feed_of(&page_url),
            page_url,
            items: &category.articles,
        };
        files.push((routes.output_path(&feed.feed_url), feeds::rss(site, &feed)));
    }
    let entries = sitemap::entries(site, plan);
    files.extend(sitemap::sitemaps(&entries, &config.base_url));
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.permalink(&routes.sitemap())
    );
    files.push((ROBOTS_FILE.to_string(), robots.into_bytes()));
    files
}
