//! Every URL pattern of a built site, in one place: where each kind of page lives, under the
//! base path, and which output file a URL is written to.
//!
//! Nothing else spells a URL path segment (`luu-tru`, `the`, `tac-gia`, `trang`, `rss.xml`,
//! ...): renderers, feeds, the sitemap and `serve` ask this module.

/// Folder of the search index (`search/meta.json`, `search/terms-*.json`, ...).
pub const SEARCH_DIR: &str = "search";
/// Output file of the site-wide feed and of each category's feed, relative to the listing.
pub const FEED_FILE: &str = "rss.xml";
/// Output file of the sitemap (or of the sitemap index, for large sites).
pub const SITEMAP_FILE: &str = "sitemap.xml";
/// Output file of `robots.txt`.
pub const ROBOTS_FILE: &str = "robots.txt";
/// Output file of the "page not found" page.
pub const NOT_FOUND_FILE: &str = "404.html";

/// Folder of the date archive.
const ARCHIVE: &str = "luu-tru";
/// Folder of tag pages.
const TAGS: &str = "the";
/// Folder of author pages.
const AUTHORS: &str = "tac-gia";
/// The human-readable site map.
const SITE_MAP: &str = "so-do-trang";
/// The search page.
const SEARCH_PAGE: &str = "tim-kiem";
/// Folder of the second and later pages of a listing.
const PAGINATION: &str = "trang";

/// A kind of term page: tags and authors share one layout of URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// `/the/{slug}/`
    Tag,
    /// `/tac-gia/{slug}/`
    Author,
}

/// The URLs of one site: every pattern, under the site's base path (`/` or `/tin-tuc/`).
#[derive(Debug, Clone)]
pub struct Routes {
    base: String,
}

impl Routes {
    /// The routes of a site whose pages live under `base_path` (starts and ends with `/`).
    pub fn new(base_path: &str) -> Routes {
        Routes {
            base: base_path.to_string(),
        }
    }

    /// The base path itself: the home page.
    pub fn home(&self) -> &str {
        &self.base
    }

    /// A URL path without the base path (`/tin-tuc/chung/x/` → `chung/x/`), as
    /// `published-urls.tsv` records it; the URL itself when it is outside the base path.
    pub fn site_path<'a>(&self, url: &'a str) -> &'a str {
        url.strip_prefix(self.base.as_str()).unwrap_or(url)
    }

    /// The URL of a path under the base path (`chung/x/` → `/tin-tuc/chung/x/`).
    pub fn under_base(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `/{category}/{slug}/`: an article.
    pub fn article(&self, category_slug: &str, slug: &str) -> String {
        format!("{}{category_slug}/{slug}/", self.base)
    }

    /// `/{slug}/`: a standalone page.
    pub fn page(&self, slug: &str) -> String {
        format!("{}{slug}/", self.base)
    }

    /// `/{category}/`: a category's listing (sections live at `/{section}/` alike).
    pub fn category(&self, slug: &str) -> String {
        format!("{}{slug}/", self.base)
    }

    /// The feed that belongs to the listing at `listing_url` (`/chung/` → `/chung/rss.xml`).
    pub fn feed_of(&self, listing_url: &str) -> String {
        format!("{listing_url}{FEED_FILE}")
    }

    /// `/{category}/rss.xml`: a category's feed.
    pub fn category_feed(&self, slug: &str) -> String {
        self.feed_of(&self.category(slug))
    }

    /// `/rss.xml`: the site's feed.
    pub fn site_feed(&self) -> String {
        self.feed_of(&self.base)
    }

    /// `/sitemap.xml`.
    pub fn sitemap(&self) -> String {
        format!("{}{SITEMAP_FILE}", self.base)
    }

    /// `/the/{slug}/` or `/tac-gia/{slug}/`.
    pub fn term(&self, kind: TermKind, slug: &str) -> String {
        let folder = match kind {
            TermKind::Tag => TAGS,
            TermKind::Author => AUTHORS,
        };
        format!("{}{folder}/{slug}/", self.base)
    }

    /// `/the/`: every tag.
    pub fn tags_index(&self) -> String {
        format!("{}{TAGS}/", self.base)
    }

    /// `/luu-tru/`: the archive's index.
    pub fn archive_index(&self) -> String {
        format!("{}{ARCHIVE}/", self.base)
    }

    /// `/luu-tru/{yyyy}/` or `/luu-tru/{yyyy}/{mm}/`.
    pub fn archive(&self, year: i32, month: Option<u32>) -> String {
        match month {
            Some(m) => format!("{}{ARCHIVE}/{year}/{m:02}/", self.base),
            None => format!("{}{ARCHIVE}/{year}/", self.base),
        }
    }

    /// `/so-do-trang/`: the human-readable site map.
    pub fn site_map(&self) -> String {
        format!("{}{SITE_MAP}/", self.base)
    }

    /// `/tim-kiem/`: the search page.
    pub fn search(&self) -> String {
        format!("{}{SEARCH_PAGE}/", self.base)
    }

    /// `/404.html`.
    pub fn not_found(&self) -> String {
        format!("{}{NOT_FOUND_FILE}", self.base)
    }

    /// An alias as written in front matter (`/cu/123.html` or `cu/123`), as a URL under the
    /// base path.
    pub fn alias(&self, alias: &str) -> String {
        format!("{}{}", self.base, alias.trim_start_matches('/'))
    }

    /// The output file of a URL path: `/tin-tuc/chung/x/` → `chung/x/index.html`.
    pub fn output_path(&self, url: &str) -> String {
        output_path(&self.base, url)
    }
}

/// URLs of site-wide pages, with base path.
pub struct SiteUrls {
    /// `/rss.xml`
    pub feed: String,
    /// `/sitemap.xml`
    pub sitemap: String,
    /// `/luu-tru/`
    pub archive: String,
    /// `/the/`
    pub tags: String,
    /// `/so-do-trang/`
    pub site_map: String,
    /// `/tim-kiem/`
    pub search: String,
}

impl SiteUrls {
    /// The site-wide URLs of `routes`.
    pub fn new(routes: &Routes) -> SiteUrls {
        SiteUrls {
            feed: routes.site_feed(),
            sitemap: routes.sitemap(),
            archive: routes.archive_index(),
            tags: routes.tags_index(),
            site_map: routes.site_map(),
            search: routes.search(),
        }
    }
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

/// URL of page `n` (1-based) of a listing whose first page is at `url`.
pub fn page_url(url: &str, n: usize) -> String {
    if n <= 1 {
        url.to_string()
    } else {
        format!("{url}{PAGINATION}/{n}/")
    }
}

/// Output file of part `n` (1-based) of a sitemap split into an index and parts.
pub fn sitemap_part_file(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// Whether an output path is a feed (`rss.xml`, `chung/rss.xml`).
pub fn is_feed(output_path: &str) -> bool {
    output_path
        .rsplit('/')
        .next()
        .is_some_and(|name| name == FEED_FILE)
}

/// The longest file or folder name most file systems accept, in bytes.
pub const MAX_NAME_BYTES: usize = 255;
/// The longest output path (relative to the output folder) trangtin writes, in bytes: what
/// Linux allows for a whole path (4,096) less room for the output folder itself.
pub const MAX_PATH_BYTES: usize = 3_800;

/// Why an output path cannot be written, if it cannot: empty, absolute, with a `.`, `..` or
/// empty segment, with a backslash, or with a name or a length no file system takes.
pub fn output_path_problem(relative: &str) -> Option<String> {
    if relative.is_empty() || relative.starts_with('/') || relative.contains('\\') {
        return Some(format!(
            "the output path `{relative}` would be outside the output folder"
        ));
    }
    if let Some(segment) = relative
        .split('/')
        .find(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Some(format!(
            "the output path `{relative}` has a `{segment}` segment; write the path without it"
        ));
    }
    if let Some(name) = relative.split('/').find(|s| s.len() > MAX_NAME_BYTES) {
        return Some(format!(
            "the output path has a name of {} bytes (`{}…`); file systems take at most {MAX_NAME_BYTES}: shorten the slug",
            name.len(),
            name.chars().take(40).collect::<String>()
        ));
    }
    if relative.len() > MAX_PATH_BYTES {
        return Some(format!(
            "the output path is {} bytes long; at most {MAX_PATH_BYTES} can be written",
            relative.len()
        ));
    }
    None
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

    #[test]
    fn every_page_kind_lives_under_the_base_path() {
        let r = Routes::new("/tin-tuc/");
        assert_eq!(r.home(), "/tin-tuc/");
        assert_eq!(r.article("chung", "x"), "/tin-tuc/chung/x/");
        assert_eq!(r.category_feed("chung"), "/tin-tuc/chung/rss.xml");
        assert_eq!(r.site_feed(), "/tin-tuc/rss.xml");
        assert_eq!(r.term(TermKind::Tag, "a"), "/tin-tuc/the/a/");
        assert_eq!(r.term(TermKind::Author, "b"), "/tin-tuc/tac-gia/b/");
        assert_eq!(r.archive(2024, Some(3)), "/tin-tuc/luu-tru/2024/03/");
        assert_eq!(r.archive(2024, None), "/tin-tuc/luu-tru/2024/");
        assert_eq!(r.alias("/cu/1.html"), "/tin-tuc/cu/1.html");
        assert_eq!(r.not_found(), "/tin-tuc/404.html");
        assert_eq!(r.output_path(&r.not_found()), "404.html");
    }

    #[test]
    fn feeds_are_recognised_by_their_file_name() {
        assert!(is_feed("rss.xml"));
        assert!(is_feed("chung/rss.xml"));
        assert!(!is_feed("chung/xrss.xml"));
        assert!(!is_feed("sitemap.xml"));
    }

    #[test]
    fn unwritable_output_paths_are_explained() {
        assert_eq!(output_path_problem("chung/x/index.html"), None);
        assert!(output_path_problem("a/./b.html").unwrap().contains("`.`"));
        assert!(output_path_problem("../x.html").is_some());
        assert!(output_path_problem("/x.html").is_some());
        let long = format!("chung/{}/index.html", "a".repeat(256));
        assert!(output_path_problem(&long).unwrap().contains("256 bytes"));
        assert_eq!(
            output_path_problem(&format!("chung/{}/index.html", "a".repeat(255))),
            None
        );
        let deep = "abc/".repeat(1000) + "index.html";
        assert!(output_path_problem(&deep).unwrap().contains("long"));
    }
}
