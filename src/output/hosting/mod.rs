//! The web servers' configuration, written beside the pages on every build: Apache's
//! `.htaccess` and IIS's `web.config` for the site's folder (charset, index files, the 404
//! page, caching, compression), the nginx files an administrator includes, and the redirect
//! rules of old addresses that no static file can answer (see [`crate::plan::redirects`]).
//!
//! Which rule goes where:
//!
//! - nginx reads one `map` for the whole host: every rule is in `server/nginx-map.conf`.
//! - Apache and IIS read the configuration of the folder a request falls in. Rules for
//!   addresses under the base path go into the site's own `.htaccess` and `web.config`;
//!   for a site in a subfolder, rules for addresses outside it go into
//!   `server/host-root.htaccess` and `server/host-root.web.config`, which the administrator
//!   installs at the root of the host.
//!
//! Matching is exact on every server but for the case of A–Z, which nginx's maps ignore
//! (so do the others here, as the old ASP.NET sites on IIS did): the percent-decoded path,
//! and for an old address with a query string the whole query string, parameters in the
//! order written. An address without a query string matches whatever query a request has.
//! The visitor's query string is never passed on.

pub mod apache;
pub mod iis;
pub mod nginx;

use crate::plan::Plan;
use crate::render::templates::StaticSource;
use crate::routes::{
    HOST_ROOT_HTACCESS_FILE, HOST_ROOT_WEB_CONFIG_FILE, HTACCESS_FILE, NGINX_MAP_FILE,
    NGINX_REDIRECTS_FILE, WEB_CONFIG_FILE,
};
use crate::site::Site;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::collections::BTreeMap;

/// One redirect as the server files write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The old path, percent-decoded (`/tin-cu/bài 1.html`).
    pub path: String,
    /// The exact query string, when the old address has one.
    pub query: Option<String>,
    /// Where it redirects: the article's URL path, ready for a `Location` header.
    pub target: String,
}

/// What the server files are made from.
#[derive(Debug, Clone)]
pub struct Hosting {
    /// `base_url` (named in comments, and in nginx's variable names).
    pub base_url: String,
    /// The base path (`/` or `/tin-tuc/`).
    pub base_path: String,
    /// The redirects, in the plan's order (by path, a query string before none).
    pub rules: Vec<Rule>,
    /// The top-level files and folders of the theme's static files (`css`, `js`): cached
    /// for a week by IIS, whose cache settings go by folder.
    pub theme_folders: Vec<String>,
}

impl Hosting {
    /// The server files' input for a planned site.
    pub fn new(site: &Site, plan: &Plan, static_files: &BTreeMap<String, StaticSource>) -> Hosting {
        let rules = plan
            .redirects
            .iter()
            .map(|r| Rule {
                path: r.from.path.clone(),
                query: r.from.query.clone(),
                target: location(&site.urls[r.to]),
            })
            .collect();
        let mut theme_folders: Vec<String> = static_files
            .keys()
            .filter_map(|path| path.split('/').next())
            .map(str::to_string)
            .collect();
        theme_folders.dedup();
        Hosting {
            base_url: site.config.base_url.clone(),
            base_path: site.config.base_path.clone(),
            rules,
            theme_folders,
        }
    }

    /// Whether the site lives in a subfolder of its host (base path other than `/`).
    pub fn in_subfolder(&self) -> bool {
        self.base_path != "/"
    }

    /// The rules of addresses under the base path (for the site's folder), or of the others
    /// (for the host's root).
    pub fn rules_inside(&self, inside: bool) -> impl Iterator<Item = &Rule> {
        self.rules
            .iter()
            .filter(move |r| r.path.starts_with(&self.base_path) == inside)
    }

    /// The `404.html` of the site, as a URL path.
    fn not_found(&self) -> String {
        location(&format!(
            "{}{}",
            self.base_path,
            crate::routes::NOT_FOUND_FILE
        ))
    }
}

/// The output paths of the server files for a site at `base_path`.
pub fn paths(base_path: &str) -> Vec<&'static str> {
    let mut paths = vec![
        HTACCESS_FILE,
        WEB_CONFIG_FILE,
        NGINX_MAP_FILE,
        NGINX_REDIRECTS_FILE,
    ];
    if base_path != "/" {
        paths.extend([HOST_ROOT_HTACCESS_FILE, HOST_ROOT_WEB_CONFIG_FILE]);
    }
    paths
}

/// Every server file, as (output path, bytes), in the order of [`paths`].
pub fn files(hosting: &Hosting) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (HTACCESS_FILE, apache::htaccess(hosting)),
        (WEB_CONFIG_FILE, iis::web_config(hosting)),
        (NGINX_MAP_FILE, nginx::map_file(hosting)),
        (NGINX_REDIRECTS_FILE, nginx::redirects_file(hosting)),
    ];
    if hosting.in_subfolder() {
        files.push((HOST_ROOT_HTACCESS_FILE, apache::host_root(hosting)));
        files.push((HOST_ROOT_WEB_CONFIG_FILE, iis::host_root(hosting)));
    }
    files
        .into_iter()
        .map(|(path, text)| (path.to_string(), text.into_bytes()))
        .collect()
}

/// What is percent-encoded in a redirect's target: what a `Location` header may not hold,
/// and what any of the three syntaxes would read as its own (`$` variables of nginx and
/// Apache, `{...}` of IIS, quotes, backslashes). An existing `%XX` stays.
const LOCATION: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'$')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A URL path as a redirect's target (or a comment) writes it: non-ASCII, spaces, quotes,
/// `#`, `$`, `\`, `{`, `}` and the like percent-encoded; an existing `%XX` stays.
pub fn location(path: &str) -> String {
    utf8_percent_encode(path, LOCATION).to_string()
}

/// A regular expression that matches `text` exactly, for Apache (PCRE) and IIS
/// (ECMAScript): `^...$`, ASCII punctuation escaped with `\`, a space as `\x20` (a space
/// would end the argument), `$` as `\x24` (Apache reads `${...}` as a variable even in a
/// pattern). Letters beyond ASCII stay as they are: they match the same UTF-8 bytes.
pub fn exact_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    out.push('^');
    for c in text.chars() {
        match c {
            ' ' => out.push_str("\\x20"),
            '$' => out.push_str("\\x24"),
            c if c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_') || !c.is_ascii() => {
                out.push(c)
            }
            c => {
                out.push('\\');
                out.push(c);
            }
        }
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site at `base_path` with the two DNN-style rules and a path outside the base.
    pub(crate) fn hosting(base_path: &str) -> Hosting {
        let rule = |path: &str, query: Option<&str>, target: &str| Rule {
            path: path.into(),
            query: query.map(Into::into),
            target: target.into(),
        };
        Hosting {
            base_url: format!("https://x.gov.vn{base_path}"),
            base_path: base_path.into(),
            rules: vec![
                rule(
                    "/Default.aspx",
                    Some("tabid=125&ItemID=12345"),
                    &format!("{base_path}chung/bai-a/"),
                ),
                rule(
                    "/tin cũ/bài $1.html",
                    None,
                    &format!("{base_path}chung/bai-b/"),
                ),
                rule(
                    &format!("{base_path}Default.aspx"),
                    Some("tabid=7"),
                    &format!("{base_path}chung/bai-c/"),
                ),
            ],
            theme_folders: vec!["css".into(), "js".into()],
        }
    }

    #[test]
    fn a_target_is_percent_encoded_once() {
        assert_eq!(location("/tin-tuc/chung/a/"), "/tin-tuc/chung/a/");
        assert_eq!(
            location("/tin tức/$x{y}/"),
            "/tin%20t%E1%BB%A9c/%24x%7By%7D/"
        );
        assert_eq!(location("/a%20b/"), "/a%20b/");
    }

    #[test]
    fn an_exact_regex_escapes_every_metacharacter() {
        assert_eq!(exact_regex("Default.aspx"), "^Default\\.aspx$");
        assert_eq!(
            exact_regex("tabid=125&ItemID=(1)+[2]*?|^$ x"),
            "^tabid\\=125\\&ItemID\\=\\(1\\)\\+\\[2\\]\\*\\?\\|\\^\\x24\\x20x$"
        );
        assert_eq!(exact_regex("tin cũ/bài.html"), "^tin\\x20cũ/bài\\.html$");
        assert_eq!(exact_regex(""), "^$");
    }

    #[test]
    fn rules_are_split_between_the_sites_folder_and_the_hosts_root() {
        let h = hosting("/tin-tuc/");
        let inside: Vec<&str> = h.rules_inside(true).map(|r| r.path.as_str()).collect();
        let outside: Vec<&str> = h.rules_inside(false).map(|r| r.path.as_str()).collect();
        assert_eq!(inside, ["/tin-tuc/Default.aspx"]);
        assert_eq!(outside, ["/Default.aspx", "/tin cũ/bài $1.html"]);
        assert_eq!(hosting("/").rules_inside(false).count(), 0);
    }

    #[test]
    fn host_root_files_are_written_only_for_a_site_in_a_subfolder() {
        assert_eq!(paths("/").len(), 4);
        assert_eq!(paths("/tin-tuc/").len(), 6);
        let written: Vec<String> = files(&hosting("/tin-tuc/"))
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(written, paths("/tin-tuc/"));
    }
}
