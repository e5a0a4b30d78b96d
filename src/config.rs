//! The site configuration (`config.yaml`), with every default in one place.

use crate::error::{Error, Problem, Result};
use crate::text::date::parse_offset;
use crate::text::slug::slugify;
use crate::theme_settings::ThemeSettings;
use crate::widgets::{self, Block, MenuEntry, RawBlock};
use crate::yaml;
use chrono::FixedOffset;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use crate::widgets::MenuItem;
pub mod languages;
pub use languages::Language;

/// The configuration file's name, at the site root.
pub const CONFIG_FILE: &str = "config.yaml";
/// The theme used when `theme` is not set; it is embedded in the binary.
pub const DEFAULT_THEME: &str = "tin-hoat-dong";

/// `config.yaml` as written. Every key is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    title: String,
    description: String,
    base_url: String,
    language: String,
    timezone: String,
    theme: String,
    per_page: usize,
    default_author: Option<String>,
    organization: Organization,
    menu: Vec<MenuItem>,
    categories: Option<Vec<CategoryConfig>>,
    sidebar_blocks: Vec<RawBlock>,
    home_blocks: Vec<RawBlock>,
    related: RelatedConfig,
    search: bool,
    feed_limit: usize,
    labels: BTreeMap<String, languages::RawLabel>,
    languages: BTreeMap<String, languages::RawLanguage>,
    trusted_html: bool,
    limits: Limits,
    images: ImagesConfig,
    extra_fields: Vec<String>,
    document_types: Vec<String>,
    theme_settings: crate::theme_settings::RawThemeSettings,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            title: "Tin Hoạt động".into(),
            description: String::new(),
            base_url: "http://localhost:1111/".into(),
            language: "vi".into(),
            timezone: "+07:00".into(),
            theme: DEFAULT_THEME.into(),
            per_page: 20,
            default_author: None,
            organization: Organization::default(),
            menu: Vec::new(),
            categories: None,
            sidebar_blocks: Vec::new(),
            home_blocks: Vec::new(),
            related: RelatedConfig::default(),
            search: false,
            feed_limit: 20,
            labels: BTreeMap::new(),
            languages: BTreeMap::new(),
            trusted_html: false,
            limits: Limits::default(),
            images: ImagesConfig::default(),
            extra_fields: Vec::new(),
            document_types: Vec::new(),
            theme_settings: Default::default(),
        }
    }
}

/// The unit that publishes the site, shown in the header and footer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Organization {
    /// Full name of the unit (defaults to the site title).
    pub name: Option<String>,
    /// Short name.
    pub short_name: Option<String>,
    /// The body it belongs to (e.g. the provincial People's Committee).
    pub parent: Option<String>,
    /// The person responsible for the site's content.
    pub responsible: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Copyright line.
    pub copyright: Option<String>,
    /// Licence of the electronic information site.
    pub license: Option<String>,
    /// Logo image URL (root-relative URLs get the base path).
    pub logo: Option<String>,
}

/// One category as declared in config, in display order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    /// Display name, as articles write it.
    pub name: String,
    /// URL slug (defaults to the slug of the name).
    pub slug: Option<String>,
    /// Parent section shown in the breadcrumb ("Tin Hoạt động").
    pub section: Option<String>,
    /// One-sentence description for the listing page.
    pub description: Option<String>,
}

/// Settings of the related-articles list ("Tin liên quan").
///
/// The score of a candidate is `text_weight × text + tags_weight × tags + category_weight ×
/// same category + recency_weight × recency`, each part between 0 and 1. The defaults were
/// tuned on `cargo bench --bench related` (see `benches/related_eval.md`): text similarity
/// carries the list; tags, category and date only reorder close candidates, because editors'
/// tags and categories are often broad or inconsistent.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedConfig {
    /// How many related articles each article gets, pinned ones included (default 5).
    pub count: usize,
    /// Weight of text similarity: cosine of TF-IDF vectors over syllables and syllable bigrams
    /// of title, summary and body (default 1.0).
    pub text_weight: f64,
    /// Weight of shared tags: Jaccard index of the two tag sets (default 0.15).
    pub tags_weight: f64,
    /// Bonus for the same category (default 0.05).
    pub category_weight: f64,
    /// Bonus for closeness in time to the article, halved every `recency_days` (default 0.03).
    pub recency_weight: f64,
    /// Half-life of the recency bonus, in days (default 365).
    pub recency_days: f64,
    /// Candidates scoring below this are not listed, so an article may get fewer than `count`
    /// (default 0.15: above what category and recency alone can give, 0.08).
    pub min_score: f64,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            count: 5,
            text_weight: 1.0,
            tags_weight: 0.15,
            category_weight: 0.05,
            recency_weight: 0.03,
            recency_days: 365.0,
            min_score: 0.15,
        }
    }
}

/// Limits on what one source file may hold (`limits:` in config.yaml). Past a size limit a
/// field is cut, with a warning; past a front-matter limit the file is an error, because
/// its YAML is not read at all (reading deeply nested YAML takes quadratic time).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Bytes of front matter (default 65,536).
    pub front_matter_bytes: usize,
    /// Nesting of lists and mappings in front matter (default 16).
    pub front_matter_depth: usize,
    /// Characters of `title` (default 500).
    pub title_chars: usize,
    /// Characters of any other text field: `summary`, `author`, `image_caption`, each tag,
    /// ... (default 5,000).
    pub field_chars: usize,
    /// Tags of one article (default 100).
    pub tags: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            front_matter_bytes: 64 * 1024,
            front_matter_depth: 16,
            title_chars: 500,
            field_chars: 5_000,
            tags: 100,
        }
    }
}

/// How the photos of articles are processed (`images:` in config.yaml); see
/// [`crate::media`]. The defaults fit the `tin-hoat-dong` theme.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImagesConfig {
    /// Widths in pixels to make of each photo (default 440, 840, 1680: a list thumbnail at
    /// 2×, the article column, the article column at 2×). Never wider than the photo.
    pub widths: Vec<u32>,
    /// WebP quality, 1–100 (default 75).
    pub webp_quality: u8,
    /// Quality of the JPEG fallback, 1–100 (default 80).
    pub jpeg_quality: u8,
    /// A photo file over this many megabytes gets a warning (default 20).
    pub warn_megabytes: u64,
    /// The `sizes` attribute of images in an article's body: how wide the browser shows
    /// them, so it picks the smallest file that is sharp enough.
    pub sizes: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![440, 840, 1680],
            webp_quality: 75,
            jpeg_quality: 80,
            warn_megabytes: 20,
            sizes: "(max-width: 880px) calc(100vw - 32px), 836px".into(),
        }
    }
}

impl ImagesConfig {
    /// The options of [`crate::media`] these settings give.
    pub fn options(&self) -> crate::media::ImageOptions {
        crate::media::ImageOptions {
            widths: self.widths.clone(),
            webp_quality: f32::from(self.webp_quality),
            jpeg_quality: self.jpeg_quality,
            warn_bytes: self.warn_megabytes.saturating_mul(1024 * 1024),
            ..crate::media::ImageOptions::default()
        }
    }
}

/// The resolved site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Site description (meta description of the home page).
    pub description: String,
    /// Absolute base URL, ending with `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/tin-tuc/`.
    pub base_path: String,
    /// Language code (`vi`).
    pub language: String,
    /// The site's time zone offset, for dates written without one.
    pub timezone: FixedOffset,
    /// Theme name.
    pub theme: String,
    /// Items per listing page.
    pub per_page: usize,
    /// Author of articles that name none.
    pub default_author: Option<String>,
    /// The publishing unit.
    pub organization: Organization,
    /// Menu with resolved URLs, each entry with its dropdown's entries.
    pub menu: Vec<MenuEntry>,
    /// Declared categories, when the config lists them.
    pub categories: Option<Vec<CategoryConfig>>,
    /// Blocks of the sidebar of every page (see [`crate::widgets`]), resolved: URLs with the
    /// base path, HTML sanitized, disabled weather blocks left out.
    pub sidebar_blocks: Vec<Block>,
    /// Blocks of the home page, resolved as `sidebar_blocks`.
    pub home_blocks: Vec<Block>,
    /// What reading the config found worth saying without stopping the build (what the
    /// sanitizer removed from an HTML block); joins the site's warnings.
    pub warnings: Vec<Problem>,
    /// Related-articles settings.
    pub related: RelatedConfig,
    /// Whether the search page and index (`search/`, see [`crate::search`]) are built. Off by
    /// default; at 10,000 articles the index adds about 0.3 s and 75 MB of peak memory.
    pub search: bool,
    /// Items in each RSS feed.
    pub feed_limit: usize,
    /// Interface labels that replace the theme's (`labels.yaml`), by name: the labels of
    /// the site's own language (those of other languages are in [`Config::languages`]).
    pub labels: BTreeMap<String, String>,
    /// The languages the site also publishes in (`languages:`; none by default), each with
    /// its title, menu and labels.
    pub languages: Vec<Language>,
    /// Raw HTML in Markdown is published as written, not sanitized (off by default: only
    /// for sites whose every editor may run scripts on the site).
    pub trusted_html: bool,
    /// Size limits of source files.
    pub limits: Limits,
    /// How photos are processed.
    pub images: ImagesConfig,
    /// The site's own front-matter fields (`extra_fields`): accepted in articles and given
    /// to templates as `article.extra.<name>`. Any other field trangtin does not read is an
    /// error (see [`crate::content::fields`]).
    pub extra_fields: Vec<String>,
    /// The document types (`document_types`: Quyết định, Thông báo, ...) a document under
    /// `content/van-ban/` may have; empty allows any (see [`crate::content::document`]).
    pub document_types: Vec<String>,
    /// Colours, banner and font of the theme (`theme_settings:`), checked for contrast (see
    /// [`crate::theme_settings`]). The logo is `organization.logo`.
    pub theme_settings: ThemeSettings,
}

impl Default for Config {
    fn default() -> Self {
        resolve(RawConfig::default(), "", None).expect("the defaults are valid")
    }
}

impl Config {
    /// Reads `config.yaml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        Config::parse_in(&text, Some(root))
    }

    /// Parses configuration text (the content of `config.yaml`). Banner images are not
    /// looked for: [`Config::load`] does that.
    pub fn parse(text: &str) -> Result<Config> {
        Config::parse_in(text, None)
    }

    /// Parses configuration text of the site at `root` (when given, banner images that are
    /// files of the site must exist).
    fn parse_in(text: &str, root: Option<&Path>) -> Result<Config> {
        let text = crate::text::nfc(text.trim_start_matches('\u{feff}'));
        if let Some(problem) = credential_key(&text) {
            return Err(Error::Input(vec![problem]));
        }
        let raw: RawConfig = yaml::from_str(&text).map_err(|e| {
            Error::Input(vec![Problem::error(CONFIG_FILE, e.message).at_line(e.line)])
        })?;
        let mut config = resolve(raw, &text, root)
            .map_err(|problem| Error::Input(vec![problem.at_line_from(&text)]))?;
        if config.theme_settings.banner.is_some() {
            config.theme_settings.banner_line =
                yaml::line_of_path(&text, &[crate::theme_settings::KEY, "banner"]);
        }
        Ok(config)
    }

    /// A link to a root-relative site path: `/gioi-thieu/` → `/tin-tuc/gioi-thieu/`.
    /// Absolute URLs, protocol-relative URLs and fragments are returned unchanged.
    pub fn site_link(&self, url: &str) -> String {
        match url.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => format!("{}{rest}", self.base_path),
            _ => url.to_string(),
        }
    }

    /// The absolute URL of a site path that already carries the base path.
    pub fn permalink(&self, path: &str) -> String {
        let origin_end = self.base_url.len() - self.base_path.len();
        format!("{}{path}", &self.base_url[..origin_end])
    }
}

/// A key of `config.yaml` that holds a secret (`aws_secret_access_key:`, `password:`,
/// ...), at any depth: refused with its line, whatever the value. The site's folder is
/// shared and committed; deploy credentials go in the environment or a file outside it.
fn credential_key(text: &str) -> Option<Problem> {
    const SECRET_WORDS: [&str; 9] = [
        "secret",
        "password",
        "passphrase",
        "access_key",
        "session_token",
        "credential",
        "private_key",
        "ssh_key",
        "sftp_key",
    ];
    text.lines().enumerate().find_map(|(i, line)| {
        let line = line.trim_start().trim_start_matches("- ");
        let (key, _) = line.split_once(':')?;
        let key = key.trim().trim_matches(['"', '\'']);
        let is_key = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        let lower = key.to_ascii_lowercase().replace('-', "_");
        (is_key && SECRET_WORDS.iter().any(|word| lower.contains(word))).then(|| {
            Problem::error(
                CONFIG_FILE,
                "credentials never go into config.yaml (the site's folder is shared and \
                 committed): for `trangtin deploy`, set AWS_ACCESS_KEY_ID and \
                 AWS_SECRET_ACCESS_KEY (S3) or TRANGTIN_SFTP_KEY (SFTP) in the environment, or \
                 use --credentials FILE with a file outside the site",
            )
            .in_field(key)
            .at_line(Some(i + 1))
        })
    })
}

trait AtLineFrom {
    fn at_line_from(self, text: &str) -> Problem;
}

impl AtLineFrom for Problem {
    /// Pins a config problem to the line of its key, when it names one.
    fn at_line_from(self, text: &str) -> Problem {
        if self.line.is_some() {
            return self;
        }
        let line = self.field.as_deref().and_then(|f| match f.split_once('.') {
            Some((parent, child)) => yaml::line_of_path(text, &[parent, child]),
            None => yaml::line_of_key(text, f),
        });
        self.at_line(line)
    }
}

/// Why the `images:` settings cannot be used, if they cannot.
fn check_images(images: &ImagesConfig) -> std::result::Result<(), String> {
    if images.widths.is_empty() {
        return Err("`widths` needs at least one width, such as [440, 840, 1680]".into());
    }
    if let Some(w) = images.widths.iter().find(|&&w| !(16..=8192).contains(&w)) {
        return Err(format!("width {w} is not between 16 and 8192 pixels"));
    }
    for (name, q) in [
        ("webp_quality", images.webp_quality),
        ("jpeg_quality", images.jpeg_quality),
    ] {
        if !(1..=100).contains(&q) {
            return Err(format!("`{name}` {q} is not between 1 and 100"));
        }
    }
    if images.sizes.contains(['"', '<', '>']) {
        return Err("`sizes` cannot hold quotes or angle brackets".into());
    }
    Ok(())
}

fn resolve(
    raw: RawConfig,
    text: &str,
    root: Option<&Path>,
) -> std::result::Result<Config, Problem> {
    let bad = |field: &str, message: String| Problem::error(CONFIG_FILE, message).in_field(field);
    let timezone = parse_offset(&raw.timezone).ok_or_else(|| {
        bad(
            "timezone",
            format!("`{}` is not an offset such as +07:00", raw.timezone),
        )
    })?;
    if raw.per_page == 0 {
        return Err(bad("per_page", "must be at least 1".into()));
    }
    check_images(&raw.images).map_err(|message| bad("images", message))?;
    if raw.extra_fields.iter().any(|name| name.trim().is_empty()) {
        return Err(bad(
            "extra_fields",
            "a field name is empty; list names such as [nguon, so_van_ban]".into(),
        ));
    }
    let (base_url, base_path) = split_base_url(&raw.base_url).ok_or_else(|| {
        bad(
            "base_url",
            format!(
                "`{}` is not an absolute http(s) URL such as https://example.gov.vn/tin-tuc/",
                raw.base_url
            ),
        )
    })?;
    if let Some(categories) = &raw.categories {
        let mut seen = std::collections::HashSet::new();
        let mut slugs = std::collections::HashMap::new();
        for c in categories {
            if !seen.insert(c.name.trim().to_lowercase()) {
                return Err(bad(
                    "categories",
                    format!("category `{}` is listed twice", c.name),
                ));
            }
            let slug = slugify(c.slug.as_deref().unwrap_or(&c.name));
            if slug.is_empty() {
                return Err(bad(
                    "categories",
                    format!("category `{}` has no letters or digits to make a URL from; give it a `slug`", c.name),
                ));
            }
            if let Some(other) = slugs.insert(slug.clone(), c.name.clone()) {
                return Err(bad(
                    "categories",
                    format!("categories `{other}` and `{}` have the same slug `{slug}`; give one a `slug`", c.name),
                ));
            }
            if let Some(section) = &c.section {
                if slugify(section).is_empty() {
                    return Err(bad(
                        "categories",
                        format!("section `{section}` has no letters or digits to make a URL from"),
                    ));
                }
            }
        }
    }
    let theme_settings = ThemeSettings::resolve(raw.theme_settings, &base_path)?;
    let mut config = Config {
        title: raw.title,
        description: raw.description,
        base_url,
        base_path,
        language: raw.language,
        timezone,
        theme: raw.theme,
        per_page: raw.per_page,
        default_author: raw.default_author,
        organization: raw.organization,
        menu: Vec::new(),
        categories: raw.categories,
        sidebar_blocks: Vec::new(),
        home_blocks: Vec::new(),
        warnings: Vec::new(),
        related: raw.related,
        search: raw.search,
        feed_limit: raw.feed_limit.max(1),
        labels: BTreeMap::new(),
        languages: Vec::new(),
        trusted_html: raw.trusted_html,
        limits: raw.limits,
        images: raw.images,
        extra_fields: raw
            .extra_fields
            .into_iter()
            .map(|n| n.trim().to_string())
            .collect(),
        document_types: raw
            .document_types
            .into_iter()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect(),
        theme_settings,
    };
    check_logo(&config)?;
    let resolved = {
        let link = |url: &str| config.site_link(url);
        let cx = widgets::Context {
            link: &link,
            text,
            files: root.map(|root| (root, config.theme.as_str())),
            trusted_html: config.trusted_html,
        };
        widgets::resolve(raw.menu, raw.sidebar_blocks, raw.home_blocks, &cx)?
    };
    config.menu = resolved.menu;
    config.sidebar_blocks = resolved.sidebar;
    config.home_blocks = resolved.home;
    config.warnings = resolved.warnings;
    if let Some(logo) = &config.organization.logo {
        config.organization.logo = Some(config.site_link(logo));
    }
    let (labels, other_languages) = languages::resolve(
        &config.language,
        raw.languages,
        raw.labels,
        &config.title,
        |url| config.site_link(url),
    )?;
    config.labels = labels;
    config.languages = other_languages;
    if config.organization.name.is_none() {
        config.organization.name = Some(config.title.clone());
    }
    Ok(config)
}

/// The logo's URL must not run a script (menu and block links: [`widgets`]).
fn check_logo(config: &Config) -> std::result::Result<(), Problem> {
    if let Some(reason) = config
        .organization
        .logo
        .as_deref()
        .and_then(crate::sanitize::unsafe_url)
    {
        return Err(
            Problem::error(CONFIG_FILE, format!("the logo address: {reason}"))
                .in_field("organization"),
        );
    }
    Ok(())
}

/// `https://x.gov.vn/tin-tuc` → (`https://x.gov.vn/tin-tuc/`, `/tin-tuc/`).
fn split_base_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || path.contains(['?', '#']) {
        return None;
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    let origin_len = url.len() - rest.len() + host.len();
    Some((format!("{}{path}", &url[..origin_len]), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_default() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.language, "vi");
        assert_eq!(c.per_page, 20);
        assert_eq!(c.timezone.local_minus_utc(), 7 * 3600);
        assert_eq!(c.base_path, "/");
        assert_eq!(c.theme, DEFAULT_THEME);
    }

    #[test]
    fn base_url_with_a_path_gives_the_base_path() {
        let c = Config::parse("base_url: https://example.gov.vn/tin-tuc\n").unwrap();
        assert_eq!(c.base_url, "https://example.gov.vn/tin-tuc/");
        assert_eq!(c.base_path, "/tin-tuc/");
        assert_eq!(c.site_link("/gioi-thieu/"), "/tin-tuc/gioi-thieu/");
        assert_eq!(c.site_link("https://a.vn/"), "https://a.vn/");
        assert_eq!(
            c.permalink("/tin-tuc/chung/"),
            "https://example.gov.vn/tin-tuc/chung/"
        );
    }

    #[test]
    fn menu_links_get_the_base_path() {
        let c = Config::parse(
            "base_url: http://127.0.0.1:8080/tin-tuc/\nmenu:\n  - {name: Giới thiệu, url: /gioi-thieu/}\n",
        )
        .unwrap();
        assert_eq!(c.menu[0].url, "/tin-tuc/gioi-thieu/");
    }

    #[test]
    fn bad_values_name_the_key_and_line() {
        let err = Config::parse("title: X\ntimezone: Mars\n").unwrap_err();
        let p = &err.problems()[0];
        assert_eq!(p.field.as_deref(), Some("timezone"));
        assert_eq!(p.line, Some(2));
        let err = Config::parse("title: X\nper_page: nhiều\n").unwrap_err();
        assert_eq!(err.problems()[0].line, Some(2));
        let err = Config::parse("base_url: example.gov.vn\n").unwrap_err();
        assert!(err.to_string().contains("base_url"), "{err}");
    }

    #[test]
    fn script_urls_in_menus_sidebars_and_logo_are_errors() {
        let err = Config::parse(
            "title: X\nmenu:\n  - {name: A, url: /a/}\n  - {name: B, url: \"javascript:alert(1)\"}\n",
        )
        .unwrap_err();
        let p = &err.problems()[0];
        assert_eq!((p.field.as_deref(), p.line), (Some("menu[2].url"), Some(4)));
        assert!(p.message.contains("`javascript:` URL"), "{}", p.message);
        let err = Config::parse(
            "sidebar_blocks:\n  - title: T\n    links: [{name: X, url: \" JavaScript:x\"}]\n",
        )
        .unwrap_err();
        assert_eq!(
            err.problems()[0].field.as_deref(),
            Some("sidebar_blocks[1].links")
        );
        assert!(Config::parse("organization: {logo: \"data:image/svg+xml,x\"}\n").is_err());
        assert!(Config::parse("menu: [{name: A, url: \"https://a.vn/\"}]\n").is_ok());
    }

    #[test]
    fn image_settings_have_defaults_and_bad_ones_name_the_field() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.images.options().widths, [440, 840, 1680]);
        let c = Config::parse("images: {widths: [300, 600], jpeg_quality: 70}\n").unwrap();
        let options = c.images.options();
        assert_eq!(
            (options.widths.clone(), options.jpeg_quality),
            (vec![300, 600], 70)
        );
        assert_eq!(options.webp_quality, 75.0);
        for (yaml, wanted) in [
            ("images: {widths: []}\n", "needs at least one width"),
            (
                "images: {widths: [5]}\n",
                "width 5 is not between 16 and 8192 pixels",
            ),
            (
                "images: {webp_quality: 0}\n",
                "`webp_quality` 0 is not between 1 and 100",
            ),
        ] {
            let err = Config::parse(yaml).unwrap_err().to_string();
            assert!(
                err.contains("images") && err.contains(wanted),
                "{yaml}: {err}"
            );
        }
    }

    #[test]
    fn limits_and_trusted_html_have_defaults_and_can_be_set() {
        let c = Config::parse("").unwrap();
        assert!(!c.trusted_html);
        assert_eq!(c.limits.front_matter_bytes, 65536);
        let c = Config::parse("trusted_html: true\nlimits: {tags: 5}\n").unwrap();
        assert!(c.trusted_html);
        assert_eq!((c.limits.tags, c.limits.title_chars), (5, 500));
    }

    #[test]
    fn extra_fields_are_a_list_of_names() {
        assert!(Config::parse("").unwrap().extra_fields.is_empty());
        let c = Config::parse("extra_fields: [nguon, \" so_van_ban \"]\n").unwrap();
        assert_eq!(c.extra_fields, ["nguon", "so_van_ban"]);
        let err = Config::parse("title: X\nextra_fields: [nguon, \"\"]\n").unwrap_err();
        let p = &err.problems()[0];
        assert_eq!(
            (p.field.as_deref(), p.line),
            (Some("extra_fields"), Some(2))
        );
    }

    #[test]
    fn a_credential_in_the_config_is_refused_with_its_line() {
        for text in [
            "title: X\ndeploy:\n  aws_secret_access_key: abc\n",
            "title: X\nx:\n  AWS_ACCESS_KEY_ID: \"AKIA\"\n",
            "title: X\n\"password\": 123\n",
            "title: X\ndeploy:\n  TRANGTIN_SFTP_KEY_PASSPHRASE: x\n",
            "title: X\nssh-key: ~/.ssh/id_ed25519\n",
        ] {
            let err = Config::parse(text).unwrap_err();
            let problem = &err.problems()[0];
            assert!(problem.line.is_some_and(|l| l >= 2), "{err}");
            assert!(
                err.to_string().contains("never go into config.yaml"),
                "{err}"
            );
        }
        // Words that only look alike in a value are not keys.
        assert!(Config::parse("title: \"secret: password\"\n").is_ok());
    }

    #[test]
    fn blocks_of_every_kind_are_read_and_old_blocks_stay_valid() {
        use crate::widgets::BlockBody;
        let c = Config::parse(
            "base_url: https://a.vn/tin-tuc/\nsidebar_blocks:\n  - title: Liên kết\n    links: [{name: A, url: /a/}]\n  - title: Liên hệ\n    text: Số 25\n  - kind: banner\n    image: https://cdn.a.vn/b.png\n    alt: Dịch vụ công\n    url: /dich-vu/\n    width: 300\n  - html: \"<p>Xin chào<script>x()</script></p>\"\n  - weather: {enabled: true, url: \"https://api.open-meteo.com/v1/forecast?latitude=1\", place: Quảng Trị}\nhome_blocks:\n  - {image: /images/b.svg, decorative: true}\n  - kind: weather\n    weather: {url: \"https://x.vn/\", place: Huế}\n",
        )
        .unwrap();
        let kinds: Vec<_> = c.sidebar_blocks.iter().map(|b| &b.body).collect();
        match kinds[0] {
            BlockBody::Links { links, text: None } => assert_eq!(links[0].url, "/tin-tuc/a/"),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(kinds[1], BlockBody::Links { text: Some(t), links } if t == "Số 25" && links.is_empty())
        );
        match kinds[2] {
            BlockBody::Banner(b) => {
                assert_eq!(b.image, "https://cdn.a.vn/b.png");
                assert_eq!(
                    (b.alt.as_str(), b.url.as_deref()),
                    ("Dịch vụ công", Some("/tin-tuc/dich-vu/"))
                );
                assert_eq!(
                    (b.width, b.height, b.source.as_deref()),
                    (Some(300), None, None)
                );
            }
            other => panic!("{other:?}"),
        }
        match kinds[3] {
            BlockBody::Html(html) => assert_eq!(html, "<p>Xin chào</p>"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(kinds[4], BlockBody::Weather(w) if w.place == "Quảng Trị"));
        // What the sanitizer removed is a warning naming the block and its line.
        let w = &c.warnings[0];
        assert!(!w.is_error());
        assert_eq!(
            (w.field.as_deref(), w.line),
            (Some("sidebar_blocks[4].html"), Some(12))
        );
        assert!(
            w.message.contains("block 4 of `sidebar_blocks`") && w.message.contains("<script>"),
            "{}",
            w.message
        );
        // A decorative banner has an empty alt; a weather block that is off is left out.
        assert_eq!(c.home_blocks.len(), 1);
        match &c.home_blocks[0].body {
            BlockBody::Banner(b) => assert_eq!(
                (b.alt.as_str(), b.image.as_str(), b.source.as_deref()),
                ("", "/tin-tuc/images/b.svg", Some("images/b.svg"))
            ),
            other => panic!("{other:?}"),
        }
        assert!(Config::parse("").unwrap().home_blocks.is_empty());
    }

    #[test]
    fn trusted_html_publishes_html_blocks_as_written() {
        let c =
            Config::parse("trusted_html: true\nhome_blocks: [{html: \"<script>x()</script>\"}]\n")
                .unwrap();
        assert!(
            matches!(&c.home_blocks[0].body, crate::widgets::BlockBody::Html(h) if h == "<script>x()</script>")
        );
        assert!(c.warnings.is_empty());
    }

    /// The one problem of `yaml`: (field, line, message).
    fn problem_of(yaml: &str) -> (String, Option<usize>, String) {
        let err = Config::parse(yaml).unwrap_err();
        let p = &err.problems()[0];
        (
            p.field.clone().unwrap_or_default(),
            p.line,
            p.message.clone(),
        )
    }

    #[test]
    fn block_mistakes_name_the_field_and_line() {
        let (field, line, message) =
            problem_of("title: X\nsidebar_blocks:\n  - title: A\n    text: x\n  - kind: banner\n    image: /a.png\n    url: /b/\n");
        assert_eq!((field.as_str(), line), ("sidebar_blocks[2].alt", Some(5)));
        assert!(message.contains("needs `alt`"), "{message}");
        let (field, line, message) = problem_of("home_blocks:\n  - title: A\n    kind: widget\n");
        assert_eq!((field.as_str(), line), ("home_blocks[1].kind", Some(3)));
        assert!(
            message.contains("`widget` is not a block kind") && message.contains("banner"),
            "{message}"
        );
        let (field, line, _) = problem_of("home_blocks:\n  - kind: links\n    image: /a.png\n");
        assert_eq!((field.as_str(), line), ("home_blocks[1].image", Some(3)));
        let (field, _, message) =
            problem_of("home_blocks:\n  - {image: /a.png, html: x, alt: y}\n");
        assert_eq!(field, "home_blocks[1].kind");
        assert!(message.contains("one kind"), "{message}");
        let (field, line, message) =
            problem_of("home_blocks:\n  - kind: banner\n    image: images/a.png\n    alt: A\n");
        assert_eq!((field.as_str(), line), ("home_blocks[1].image", Some(3)));
        assert!(message.contains("https://"), "{message}");
        let (field, line, message) = problem_of("home_blocks:\n  - weather:\n      enabled: true\n      url: http://thoitiet.vn/x\n      place: Huế\n");
        assert_eq!(
            (field.as_str(), line),
            ("home_blocks[1].weather.url", Some(2))
        );
        assert!(message.contains("https://"), "{message}");
        let (field, _, message) =
            problem_of("home_blocks:\n  - weather: {enabled: true, place: Huế}\n");
        assert_eq!(field, "home_blocks[1].weather.url");
        assert!(message.contains("needs the provider"), "{message}");
        let (field, line, _) = problem_of(
            "home_blocks:\n  - title: A\n  - links:\n      - {name: X, url: \"javascript:x\"}\n",
        );
        assert_eq!((field.as_str(), line), ("home_blocks[2].links", Some(3)));
    }

    #[test]
    fn a_missing_banner_image_is_an_error_naming_the_field_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/images")).unwrap();
        std::fs::write(dir.path().join("content/images/co.png"), b"png").unwrap();
        let config = "title: X\nhome_blocks:\n  - image: /images/co.png\n    alt: Có\n  - image: /images/khong.png\n    alt: Không\n";
        std::fs::write(dir.path().join(CONFIG_FILE), config).unwrap();
        let err = Config::load(dir.path()).unwrap_err();
        let p = &err.problems()[0];
        assert_eq!(
            (p.field.as_deref(), p.line),
            (Some("home_blocks[2].image"), Some(5))
        );
        assert!(
            p.message.contains("content/images/khong.png"),
            "{}",
            p.message
        );
        // A file of the theme's static folder is found too.
        std::fs::create_dir_all(dir.path().join("themes/tin-hoat-dong/static/images")).unwrap();
        std::fs::write(
            dir.path()
                .join("themes/tin-hoat-dong/static/images/khong.png"),
            b"png",
        )
        .unwrap();
        assert!(Config::load(dir.path()).is_ok());
    }

    #[test]
    fn menus_have_one_level_of_children() {
        let c = Config::parse(
            "base_url: https://a.vn/tin-tuc/\nmenu:\n  - name: Giới thiệu\n    url: /gioi-thieu/\n    children:\n      - {name: Lãnh đạo, url: /lanh-dao/}\n  - {name: Liên hệ, url: /lien-he/}\n",
        )
        .unwrap();
        assert_eq!(c.menu[0].children[0].url, "/tin-tuc/lanh-dao/");
        assert!(c.menu[1].children.is_empty());
        let (field, line, message) = problem_of(
            "menu:\n  - name: A\n    url: /a/\n    children:\n      - name: B\n        url: /b/\n        children:\n          - {name: C, url: /c/}\n",
        );
        assert_eq!((field.as_str(), line), ("menu[1].children", Some(7)));
        assert!(message.contains("one level"), "{message}");
        let (field, line, _) = problem_of(
            "menu:\n  - name: A\n    url: /a/\n    children:\n      - {name: B, url: \"javascript:x\"}\n",
        );
        assert_eq!((field.as_str(), line), ("menu[1].url", Some(5)));
    }

    #[test]
    fn theme_settings_problems_name_the_nested_key_and_its_line() {
        let c =
            Config::parse("theme_settings:\n  primary: \"#1a5c2e\"\n  banner: /a.jpg\n").unwrap();
        assert_eq!(c.theme_settings.banner_line, Some(3));
        assert!(c.theme_settings.css().is_some());
        let err =
            Config::parse("title: X\ntheme_settings:\n  font: Arial\n  accent: \"#ffcc00\"\n")
                .unwrap_err();
        let p = &err.problems()[0];
        assert_eq!(
            (p.field.as_deref(), p.line),
            (Some("theme_settings.accent"), Some(4))
        );
        let err = Config::parse("theme_settings: {colour: \"#000\"}\n").unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn unknown_keys_are_reported() {
        let err = Config::parse("titel: X\n").unwrap_err();
        assert!(err.to_string().contains("titel"), "{err}");
    }
}
