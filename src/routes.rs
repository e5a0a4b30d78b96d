//! Every URL pattern of a built site, in one place: where each kind of page lives, under the
//! base path, and which output file a URL is written to.
//!
//! Nothing else spells a URL path segment (`luu-tru`, `the`, `tac-gia`, `trang`, `rss.xml`,
//! ...): renderers, feeds, the sitemap and `serve` ask this module.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

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
/// Apache's configuration of the site's folder (written at the output's root).
pub const HTACCESS_FILE: &str = ".htaccess";
/// IIS's configuration of the site's folder (written at the output's root).
pub const WEB_CONFIG_FILE: &str = "web.config";
/// nginx: the maps of old addresses to their articles, included at the `http` level.
pub const NGINX_MAP_FILE: &str = "server/nginx-map.conf";
/// nginx: the redirect that reads those maps, included in the site's `server` block.
pub const NGINX_REDIRECTS_FILE: &str = "server/nginx-redirects.conf";
/// Apache: the rules for old addresses outside the base path, installed as the `.htaccess`
/// of the host's root (written only for a site in a subfolder).
pub const HOST_ROOT_HTACCESS_FILE: &str = "server/host-root.htaccess";
/// IIS: the same rules, as the `web.config` of the host's root (only for a site in a
/// subfolder).
pub const HOST_ROOT_WEB_CONFIG_FILE: &str = "server/host-root.web.config";

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
/// Folder of the official documents ("Văn bản") and their listing.
const DOCUMENTS: &str = "van-ban";
/// Under the documents' folder: the listings of one type.
const DOCUMENT_TYPES: &str = "loai";
/// Under the documents' folder: the listings of one year.
const DOCUMENT_YEARS: &str = "nam";
/// Under the documents' folder: the listings of one issuing body.
const DOCUMENT_ISSUERS: &str = "co-quan";
/// Folder of the older pages of a listing.
const PAGINATION: &str = "trang";
/// The newest articles as an HTML fragment, which the theme's script puts into the sidebar.
const LATEST_FILE: &str = "tin-moi.html";

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

    /// `/{lang}/`: the home page of another language than the site's own (`/en/`).
    pub fn language_home(&self, lang: &str) -> String {
        format!("{}{lang}/", self.base)
    }

    /// `/{lang}/{slug}/`: an article or page in another language than the site's own
    /// (`/en/about/`). Articles in another language have no category.
    pub fn translated(&self, lang: &str, slug: &str) -> String {
        format!("{}{lang}/{slug}/", self.base)
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

    /// `/van-ban/{slug}/`: an official document.
    pub fn document(&self, slug: &str) -> String {
        format!("{}{DOCUMENTS}/{slug}/", self.base)
    }

    /// `/van-ban/`: every document.
    pub fn documents(&self) -> String {
        format!("{}{DOCUMENTS}/", self.base)
    }

    /// `/van-ban/loai/{slug}/`: the documents of one type.
    pub fn documents_of_type(&self, slug: &str) -> String {
        format!("{}{DOCUMENTS}/{DOCUMENT_TYPES}/{slug}/", self.base)
    }

    /// `/van-ban/nam/{year}/`: the documents issued in one year.
    pub fn documents_of_year(&self, year: i32) -> String {
        format!("{}{DOCUMENTS}/{DOCUMENT_YEARS}/{year}/", self.base)
    }

    /// `/van-ban/co-quan/{slug}/`: the documents of one issuing body.
    pub fn documents_of_issuer(&self, slug: &str) -> String {
        format!("{}{DOCUMENTS}/{DOCUMENT_ISSUERS}/{slug}/", self.base)
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

    /// `/tin-moi.html`: the newest articles as an HTML fragment (see `plan::LATEST_TEMPLATE`).
    pub fn latest(&self) -> String {
        format!("{}{LATEST_FILE}", self.base)
    }

    /// `/404.html`.
    pub fn not_found(&self) -> String {
        format!("{}{NOT_FOUND_FILE}", self.base)
    }

    /// The URL of the redirect page that answers an old address, when a static file can:
    /// an address without a query string, under the base path. Any other old address is
    /// answered by a server rule (`None`).
    pub fn alias_page(&self, old: &OldAddress) -> Option<String> {
        (old.query.is_none() && self.contains(&old.path)).then(|| old.path.clone())
    }

    /// Whether the URL path `path` is under the base path (served from the site's folder).
    pub fn contains(&self, path: &str) -> bool {
        path.starts_with(&self.base)
    }

    /// The output file of a URL path: `/tin-tuc/chung/x/` → `chung/x/index.html`.
    pub fn output_path(&self, url: &str) -> String {
        output_path(&self.base, url)
    }
}

/// An old address of an article (an alias), as a server sees a request for it: the path
/// percent-decoded (`/tin-cu/bài 1.html`, as nginx's `$uri` and Apache's rewrite rules see
/// it) and the query string exactly as browsers send it (`tabid=125&ItemID=12345`).
///
/// Front matter gives a path on the host of `base_url` (`/Default.aspx?tabid=125`,
/// `/tin-tuc/chung/12345.html`), or a whole address on that host, which is cut to its path.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct OldAddress {
    /// The path, starting with `/`, percent-decoded, without `.` segments or `//`.
    pub path: String,
    /// The query string without `?`, non-ASCII and spaces percent-encoded; `None` when the
    /// address has none (a path alone matches whatever query a request has).
    pub query: Option<String>,
}

/// What browsers percent-encode in a query string they send (besides non-ASCII).
const QUERY_ENCODED: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>');

impl OldAddress {
    /// Reads an alias as written in front matter. `origin` is `base_url` without its path
    /// (`https://x.gov.vn`): an address on that host (`http` or `https`) is cut to its path;
    /// another host is refused. A fragment (`#...`) is dropped: browsers never send it.
    pub fn parse(alias: &str, origin: &str) -> Result<OldAddress, String> {
        let written = alias.trim();
        let not_a_path = || {
            format!("`{alias}` is not an address on the site's host such as /tin-tuc/chung/12345.html or /Default.aspx?tabid=125")
        };
        if written.is_empty() {
            return Err(not_a_path());
        }
        if written.chars().any(char::is_control) {
            return Err(format!(
                "`{}` has a control character",
                written.escape_debug()
            ));
        }
        let address = match strip_origin(written, origin) {
            Some(rest) => rest,
            None if has_scheme(written) => {
                return Err(format!(
                    "`{written}` is on another host than base_url ({origin}); an alias is an address on the site's host"
                ))
            }
            None => written,
        };
        let address = address.split('#').next().unwrap_or_default();
        let (path, query) = match address.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (address, None),
        };
        let decoded = percent_decode_str(path)
            .decode_utf8()
            .map_err(|_| format!("`{written}` has percent-escapes that are not UTF-8 text"))?;
        if decoded.chars().any(char::is_control) {
            return Err(format!("`{written}` has an escaped control character"));
        }
        let mut clean = String::with_capacity(decoded.len() + 1);
        for segment in decoded.split('/').filter(|s| !s.is_empty()) {
            if segment == "." || segment == ".." {
                return Err(format!(
                    "`{written}` has a `{segment}` segment; write the address without it"
                ));
            }
            clean.push('/');
            clean.push_str(segment);
        }
        if clean.is_empty() || decoded.ends_with('/') {
            clean.push('/');
        }
        let query = query
            .filter(|q| !q.is_empty())
            .map(|q| utf8_percent_encode(q, QUERY_ENCODED).to_string());
        Ok(OldAddress { path: clean, query })
    }
}

impl std::fmt::Display for OldAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.query {
            Some(query) => write!(f, "{}?{query}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// Whether `text` starts with a scheme and `://` (`https://`, `ftp://`), not a path whose
/// query holds an address (`/LinkClick.aspx?link=http://x.vn/`).
fn has_scheme(text: &str) -> bool {
    text.find("://").is_some_and(|at| {
        at > 0
            && text[..at]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `written` without `origin`'s scheme and host (either scheme, any case), when it is an
/// address on that host.
fn strip_origin<'a>(written: &'a str, origin: &str) -> Option<&'a str> {
    let host = |url: &str| -> Option<usize> {
        ["https://", "http://"]
            .iter()
            .find(|scheme| {
                url.get(..scheme.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
            })
            .map(|scheme| scheme.len())
    };
    let origin_host = &origin[host(origin)?..];
    let rest = &written[host(written)?..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if !rest[..end].eq_ignore_ascii_case(origin_host) {
        return None;
    }
    Some(match &rest[end..] {
        "" => "/",
        path => path,
    })
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
    /// `/tin-moi.html`
    pub latest: String,
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
            latest: routes.latest(),
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

/// URL of page `n` of a listing whose newest page is at `url`: page 0 is the newest page
/// (`url` itself), pages 1, 2, ... are the older pages numbered from the oldest
/// (`url/trang/1/` holds the first articles ever published), so that a page keeps its
/// articles when new ones are published (see `plan::page_items`).
pub fn page_url(url: &str, n: usize) -> String {
    if n == 0 {
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
    fn other_languages_live_under_their_code() {
        let routes = Routes::new("/tin-tuc/");
        assert_eq!(routes.language_home("en"), "/tin-tuc/en/");
        assert_eq!(routes.translated("en", "about"), "/tin-tuc/en/about/");
        assert_eq!(
            routes.output_path(&routes.translated("en", "about")),
            "en/about/index.html"
        );
    }

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
    fn documents_live_under_van_ban() {
        let routes = Routes::new("/tin-tuc/");
        assert_eq!(routes.documents(), "/tin-tuc/van-ban/");
        assert_eq!(routes.document("456-qd"), "/tin-tuc/van-ban/456-qd/");
        assert_eq!(
            routes.documents_of_type("quyet-dinh"),
            "/tin-tuc/van-ban/loai/quyet-dinh/"
        );
        assert_eq!(routes.documents_of_year(2024), "/tin-tuc/van-ban/nam/2024/");
        assert_eq!(
            routes.documents_of_issuer("ubnd"),
            "/tin-tuc/van-ban/co-quan/ubnd/"
        );
    }

    #[test]
    fn page_urls_live_under_trang() {
        assert_eq!(page_url("/chung/", 0), "/chung/");
        assert_eq!(page_url("/chung/", 1), "/chung/trang/1/");
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
        assert_eq!(r.not_found(), "/tin-tuc/404.html");
        assert_eq!(r.output_path(&r.not_found()), "404.html");
    }

    fn old(alias: &str) -> Result<OldAddress, String> {
        OldAddress::parse(alias, "https://x.gov.vn")
    }

    #[test]
    fn an_old_address_is_a_decoded_path_and_the_query_browsers_send() {
        let dnn = old("/Default.aspx?tabid=125&ItemID=12345").unwrap();
        assert_eq!(dnn.path, "/Default.aspx");
        assert_eq!(dnn.query.as_deref(), Some("tabid=125&ItemID=12345"));
        let encoded = old("/tin-cu/b%C3%A0i%201.html").unwrap();
        assert_eq!(encoded.path, "/tin-cu/bài 1.html");
        assert_eq!(encoded, old("tin-cu/bài 1.html").unwrap());
        let query = old("/tim?q=bài viết&x=%C3%A0").unwrap().query.unwrap();
        assert_eq!(query, "q=b%C3%A0i%20vi%E1%BA%BFt&x=%C3%A0");
        assert_eq!(old("/a//b/#top").unwrap().to_string(), "/a/b/");
        assert_eq!(old("/a.html?").unwrap().query, None);
        assert_eq!(old("/").unwrap().path, "/");
        assert_eq!(old("/?tabid=1").unwrap().to_string(), "/?tabid=1");
    }

    #[test]
    fn an_old_address_on_the_sites_host_is_cut_to_its_path() {
        let a = old("HTTP://X.gov.vn/Default.aspx?tabid=1").unwrap();
        assert_eq!(a.to_string(), "/Default.aspx?tabid=1");
        assert_eq!(old("https://x.gov.vn").unwrap().path, "/");
        let other = old("https://a.vn/x").unwrap_err();
        assert!(other.contains("another host"), "{other}");
        let link = old("/LinkClick.aspx?link=http://a.vn/x").unwrap();
        assert_eq!(link.query.as_deref(), Some("link=http://a.vn/x"));
    }

    #[test]
    fn an_old_address_that_no_request_has_is_refused() {
        for (alias, why) in [
            ("", "not an address"),
            ("  ", "not an address"),
            ("/../x", "`..` segment"),
            ("/a/%2E%2E/x", "`..` segment"),
            ("/tin/./cu.html", "`.` segment"),
            ("/a\tb", "control character"),
            ("/a%0Ab", "control character"),
            ("/a%FFb", "not UTF-8"),
        ] {
            let err = old(alias).unwrap_err();
            assert!(err.contains(why), "{alias}: {err}");
        }
    }

    #[test]
    fn only_an_address_without_a_query_under_the_base_path_gets_a_redirect_page() {
        let r = Routes::new("/tin-tuc/");
        let page = |alias: &str| r.alias_page(&old(alias).unwrap());
        assert_eq!(
            page("/tin-tuc/cu/1.html").as_deref(),
            Some("/tin-tuc/cu/1.html")
        );
        assert_eq!(page("/tin-cu/1.html"), None);
        assert_eq!(page("/tin-tuc/Default.aspx?tabid=1"), None);
        assert_eq!(page("/tin-tuc"), None);
        let root = Routes::new("/");
        assert_eq!(
            root.alias_page(&old("/tin-cu/1.html").unwrap()).as_deref(),
            Some("/tin-cu/1.html")
        );
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
