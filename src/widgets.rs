//! The menu and the blocks of `config.yaml` (`menu`, `sidebar_blocks`, `home_blocks`): what
//! an editor may write, checked with the field and line of a mistake, and resolved (URLs with
//! the base path, HTML sanitized) for the templates.
//!
//! A block's kind is `kind:` when written, otherwise inferred from its fields: `image` makes
//! a banner, `html` an HTML block, `weather` a weather block, anything else a links/text
//! block (so the blocks written before kinds existed keep working). Fields of another kind
//! are errors, as is a `kind` the fields do not fit.

use crate::error::Problem;
use crate::sanitize;
use serde::Deserialize;
use std::path::Path;

/// The file problems are said about.
const FILE: &str = "config.yaml";

/// One menu entry, with its children (one level) shown as a dropdown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// Label.
    pub name: String,
    /// Target; root-relative URLs get the base path.
    pub url: String,
    /// The entries of its dropdown; their own `children` must be empty.
    #[serde(default)]
    pub children: Vec<MenuItem>,
}

/// One block as written in `sidebar_blocks` or `home_blocks`. Every field is optional; which
/// ones a block may have depends on its kind.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawBlock {
    kind: Option<String>,
    title: Option<String>,
    text: Option<String>,
    links: Option<Vec<MenuItem>>,
    image: Option<String>,
    alt: Option<String>,
    decorative: Option<bool>,
    url: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    html: Option<String>,
    weather: Option<RawWeather>,
}

/// `weather:` of a weather block as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawWeather {
    enabled: bool,
    url: Option<String>,
    place: Option<String>,
    forecast_url: Option<String>,
}

/// A resolved block.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Heading (none: the block has no heading).
    pub title: Option<String>,
    /// What it shows.
    pub body: BlockBody,
}

impl Block {
    /// The site URLs the block links to or shows (its links, a banner's image and link): the
    /// files of `content/` they name are published as they are.
    pub fn urls(&self) -> Vec<&String> {
        match &self.body {
            BlockBody::Links { links, .. } => links.iter().map(|l| &l.url).collect(),
            BlockBody::Banner(b) => std::iter::once(&b.image).chain(&b.url).collect(),
            BlockBody::Html(_) | BlockBody::Weather(_) => Vec::new(),
        }
    }
}

/// What a block shows, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockBody {
    /// `links` and `text`: a paragraph and/or a list of links.
    Links {
        /// Free text under the heading.
        text: Option<String>,
        /// Links, with resolved URLs.
        links: Vec<Link>,
    },
    /// An image, with its text alternative, maybe a link.
    Banner(Banner),
    /// HTML, sanitized (unless `trusted_html`).
    Html(String),
    /// The province's weather, filled in by the browser from the provider.
    Weather(Weather),
}

/// A link of a links block or of the menu.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Label.
    pub name: String,
    /// Resolved URL.
    pub url: String,
}

/// A banner: `image` (a root-relative path of a file under `content/` or the theme's
/// `static/`, or an https URL), its `alt` text (empty when decorative), an optional link.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    /// Resolved image URL.
    pub image: String,
    /// The path as written when it is a file of the site (checked to exist).
    pub source: Option<String>,
    /// Text alternative; empty for a decorative image.
    pub alt: String,
    /// Where the banner links to.
    pub url: Option<String>,
    /// Width in pixels, when given.
    pub width: Option<u32>,
    /// Height in pixels, when given.
    pub height: Option<u32>,
}

/// An enabled weather block (disabled ones are dropped when the config is read).
#[derive(Debug, Clone, PartialEq)]
pub struct Weather {
    /// The provider's JSON URL (Open-Meteo's `current` or `current_weather` shape).
    pub url: String,
    /// The place shown.
    pub place: String,
    /// A page with the forecast ("Xem dự báo"), when given.
    pub forecast_url: Option<String>,
}

/// The kinds a block may have.
const KINDS: [&str; 5] = ["links", "text", "banner", "html", "weather"];

/// A resolved menu entry: URLs with the base path, its dropdown's entries.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuEntry {
    /// Label.
    pub name: String,
    /// Resolved URL.
    pub url: String,
    /// The entries of its dropdown (none: a plain link).
    pub children: Vec<Link>,
}

/// What `resolve` needs besides the blocks: how links get the base path, the config's text
/// (for line numbers), the site folder and theme (to find banner images; none: not checked).
pub(crate) struct Context<'a> {
    pub(crate) link: &'a dyn Fn(&str) -> String,
    pub(crate) text: &'a str,
    pub(crate) files: Option<(&'a Path, &'a str)>,
    pub(crate) trusted_html: bool,
}

/// The resolved menu, blocks and the warnings (what sanitizing HTML blocks removed).
pub(crate) struct Resolved {
    pub(crate) menu: Vec<MenuEntry>,
    pub(crate) sidebar: Vec<Block>,
    pub(crate) home: Vec<Block>,
    pub(crate) warnings: Vec<Problem>,
}

/// Checks and resolves the menu and the blocks.
pub(crate) fn resolve(
    menu: Vec<MenuItem>,
    sidebar: Vec<RawBlock>,
    home: Vec<RawBlock>,
    cx: &Context<'_>,
) -> Result<Resolved, Problem> {
    let mut warnings = Vec::new();
    let menu = resolve_menu(menu, cx)?;
    let mut blocks = |key: &str, raw: Vec<RawBlock>| {
        raw.into_iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let at = Place { key, number: i + 1 };
                resolve_block(b, &at, cx, &mut warnings).transpose()
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let sidebar = blocks("sidebar_blocks", sidebar)?;
    let home = blocks("home_blocks", home)?;
    Ok(Resolved {
        menu,
        sidebar,
        home,
        warnings,
    })
}

/// Where a block is: `sidebar_blocks`, number 2 (counted from 1).
struct Place<'a> {
    key: &'a str,
    number: usize,
}

impl Place<'_> {
    /// A problem about `field` of this block, at the line of that field.
    fn problem(&self, field: &str, message: String, text: &str, error: bool) -> Problem {
        let path = [self.key, &(self.number - 1).to_string(), field];
        let line = crate::yaml::line_of_path(text, &path);
        let message = format!("block {} of `{}`: {message}", self.number, self.key);
        let problem = if error {
            Problem::error(FILE, message)
        } else {
            Problem::warning(FILE, message)
        };
        problem
            .in_field(format!("{}[{}].{field}", self.key, self.number))
            .at_line(line)
    }
}

fn resolve_menu(menu: Vec<MenuItem>, cx: &Context<'_>) -> Result<Vec<MenuEntry>, Problem> {
    let (link, text) = (cx.link, cx.text);
    let mut out = Vec::with_capacity(menu.len());
    for (i, item) in menu.into_iter().enumerate() {
        let index = i.to_string();
        let bad = |field: &str, message: String, extra: &[&str]| {
            let mut path = vec!["menu", index.as_str()];
            path.extend_from_slice(extra);
            path.push(field);
            Problem::error(FILE, message)
                .in_field(format!("menu[{}].{field}", i + 1))
                .at_line(crate::yaml::line_of_path(text, &path))
        };
        check_link(&item.name, &item.url).map_err(|m| bad("url", m, &[]))?;
        let mut children = Vec::with_capacity(item.children.len());
        for (j, child) in item.children.into_iter().enumerate() {
            let child_index = j.to_string();
            let extra = ["children", child_index.as_str()];
            check_link(&child.name, &child.url).map_err(|m| bad("url", m, &extra))?;
            if !child.children.is_empty() {
                return Err(bad(
                    "children",
                    format!(
                        "the menu has one level of children: `{}` under `{}` cannot have \
                         children of its own; list them under `{}` instead",
                        child.name, item.name, item.name
                    ),
                    &extra,
                ));
            }
            children.push(Link {
                url: link(&child.url),
                name: child.name,
            });
        }
        out.push(MenuEntry {
            url: link(&item.url),
            name: item.name,
            children,
        });
    }
    Ok(out)
}

/// A link must not run a script.
fn check_link(name: &str, url: &str) -> Result<(), String> {
    match sanitize::unsafe_url(url) {
        Some(reason) => Err(format!("the link `{name}` ({url}): {reason}")),
        None => Ok(()),
    }
}

/// The block's kind: as written, or inferred from its fields.
fn kind_of(b: &RawBlock) -> Result<&'static str, (&'static str, String)> {
    let inferred = [
        ("banner", b.image.is_some()),
        ("html", b.html.is_some()),
        ("weather", b.weather.is_some()),
    ];
    let mut present = inferred.iter().filter(|(_, has)| *has).map(|(k, _)| *k);
    let guess = present.next();
    if let Some(other) = present.next() {
        let first = guess.unwrap_or_default();
        return Err((
            "kind",
            format!(
                "a block is one kind: it has fields of a {first} block and of a {other} block; \
                 make them two blocks"
            ),
        ));
    }
    match b.kind.as_deref().map(str::trim) {
        None => Ok(guess.unwrap_or("links")),
        Some(k) => {
            let Some(kind) = KINDS.iter().copied().find(|known| *known == k) else {
                return Err((
                    "kind",
                    format!("`{k}` is not a block kind; use one of {}", KINDS.join(", ")),
                ));
            };
            Ok(kind)
        }
    }
}

/// The fields each kind may have (besides `kind` and `title`).
fn allowed_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "banner" => &["image", "alt", "decorative", "url", "width", "height"],
        "html" => &["html"],
        "weather" => &["weather"],
        _ => &["text", "links"],
    }
}

/// The fields a block has, by name.
fn fields_of(b: &RawBlock) -> Vec<&'static str> {
    [
        ("text", b.text.is_some()),
        ("links", b.links.is_some()),
        ("image", b.image.is_some()),
        ("alt", b.alt.is_some()),
        ("decorative", b.decorative.is_some()),
        ("url", b.url.is_some()),
        ("width", b.width.is_some()),
        ("height", b.height.is_some()),
        ("html", b.html.is_some()),
        ("weather", b.weather.is_some()),
    ]
    .into_iter()
    .filter(|(_, has)| *has)
    .map(|(name, _)| name)
    .collect()
}

fn resolve_block(
    b: RawBlock,
    at: &Place<'_>,
    cx: &Context<'_>,
    warnings: &mut Vec<Problem>,
) -> Result<Option<Block>, Problem> {
    let (link, text) = (cx.link, cx.text);
    let err = |field: &str, message: String| at.problem(field, message, text, true);
    let kind = kind_of(&b).map_err(|(field, message)| err(field, message))?;
    let allowed = allowed_fields(kind);
    if let Some(field) = fields_of(&b).into_iter().find(|f| !allowed.contains(f)) {
        return Err(err(
            field,
            format!(
                "a {kind} block has no `{field}`; its fields are title, {}",
                allowed.join(", ")
            ),
        ));
    }
    let title = b
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let body = match kind {
        "banner" => BlockBody::Banner(banner(&b, cx).map_err(|(f, m)| err(f, m))?),
        "html" => {
            let html = b.html.unwrap_or_default();
            if cx.trusted_html {
                BlockBody::Html(html)
            } else {
                for (_, removed) in sanitize::removals(&html) {
                    warnings.push(at.problem("html", removed, text, false));
                }
                BlockBody::Html(sanitize::clean(&html))
            }
        }
        "weather" => match weather(b.weather.unwrap_or_default(), link) {
            Ok(Some(w)) => BlockBody::Weather(w),
            Ok(None) => return Ok(None),
            Err((field, message)) => return Err(err(&format!("weather.{field}"), message)),
        },
        _ => {
            let mut links = Vec::new();
            for (i, l) in b.links.unwrap_or_default().into_iter().enumerate() {
                check_link(&l.name, &l.url).map_err(|m| err("links", m))?;
                if !l.children.is_empty() {
                    let message = format!("the link `{}` cannot have children", l.name);
                    return Err(err("links", message).at_line(crate::yaml::line_of_path(
                        text,
                        &[
                            at.key,
                            &(at.number - 1).to_string(),
                            "links",
                            &i.to_string(),
                        ],
                    )));
                }
                links.push(Link {
                    url: link(&l.url),
                    name: l.name,
                });
            }
            BlockBody::Links {
                text: b.text,
                links,
            }
        }
    };
    Ok(Some(Block { title, body }))
}

type FieldError = (&'static str, String);

fn banner(b: &RawBlock, cx: &Context<'_>) -> Result<Banner, FieldError> {
    let link = cx.link;
    let image = b.image.as_deref().map(str::trim).unwrap_or_default();
    if image.is_empty() {
        return Err((
            "image",
            "a banner needs `image`: a path such as /images/banner.png (a file under \
             content/ or the theme's static/) or an https:// URL"
                .into(),
        ));
    }
    let source = if image.starts_with("https://") {
        None
    } else if let Some(path) = image.strip_prefix('/').filter(|p| !p.starts_with('/')) {
        if path.is_empty() || path.split('/').any(|part| part == "..") {
            return Err(("image", format!("`{image}` is not the path of a file")));
        }
        if let Some((root, theme)) = cx.files {
            let found = [
                root.join("content").join(path),
                root.join("themes").join(theme).join("static").join(path),
            ]
            .iter()
            .any(|p| p.is_file());
            if !found {
                return Err((
                    "image",
                    format!(
                        "the image {image} does not exist: there is no content/{path} nor \
                         themes/{theme}/static/{path}"
                    ),
                ));
            }
        }
        Some(path.to_string())
    } else {
        return Err((
            "image",
            format!(
                "`{image}` is neither a path from the site's root (such as \
                 /images/banner.png, a file under content/ or the theme's static/) nor an \
                 https:// URL"
            ),
        ));
    };
    let decorative = b.decorative.unwrap_or(false);
    let alt = b.alt.as_deref().map(str::trim).unwrap_or_default();
    if alt.is_empty() && !decorative {
        return Err((
            "alt",
            "a banner needs `alt`, the text a screen reader says instead of the image (what \
             the banner says); write `decorative: true` only when the image says nothing"
                .into(),
        ));
    }
    if let Some(url) = &b.url {
        check_link("url", url).map_err(|m| ("url", m))?;
    }
    for (field, value) in [("width", b.width), ("height", b.height)] {
        if value.is_some_and(|v| !(1..=4000).contains(&v)) {
            return Err((field, format!("{field} must be between 1 and 4000 pixels")));
        }
    }
    Ok(Banner {
        image: link(image),
        source,
        alt: if decorative {
            String::new()
        } else {
            alt.to_string()
        },
        url: b.url.as_deref().map(link),
        width: b.width,
        height: b.height,
    })
}

/// An enabled weather block, or none when it is off (the default).
fn weather(w: RawWeather, link: &dyn Fn(&str) -> String) -> Result<Option<Weather>, FieldError> {
    let url = w.url.as_deref().map(str::trim).unwrap_or_default();
    if !url.is_empty() && !is_provider_url(url) {
        return Err((
            "url",
            format!(
                "`{url}` is not an https:// URL (http:// only for a provider on this machine, \
                 127.0.0.1 or localhost)"
            ),
        ));
    }
    if let Some(page) = &w.forecast_url {
        check_link("forecast_url", page).map_err(|m| ("forecast_url", m))?;
    }
    if !w.enabled {
        return Ok(None);
    }
    if url.is_empty() {
        return Err((
            "url",
            "an enabled weather block needs the provider's `url`, such as \
             https://api.open-meteo.com/v1/forecast?latitude=16.75&longitude=107.19&current=temperature_2m,weather_code"
                .into(),
        ));
    }
    let place = w.place.as_deref().map(str::trim).unwrap_or_default();
    if place.is_empty() {
        return Err(("place", "an enabled weather block needs `place`".into()));
    }
    Ok(Some(Weather {
        url: url.to_string(),
        place: place.to_string(),
        forecast_url: w.forecast_url.as_deref().map(link),
    }))
}

/// https, or http to this machine (a provider run for tests or behind a local proxy).
fn is_provider_url(url: &str) -> bool {
    if url.starts_with("https://") && url.len() > "https://".len() {
        return true;
    }
    url.strip_prefix("http://").is_some_and(|rest| {
        let host = rest.split(['/', '?']).next().unwrap_or_default();
        let host = host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host
            }
        });
        matches!(host, "127.0.0.1" | "localhost" | "[::1]")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_urls_are_https_or_loopback() {
        assert!(is_provider_url(
            "https://api.open-meteo.com/v1/forecast?x=1"
        ));
        assert!(is_provider_url("http://127.0.0.1:8080/thoi-tiet.json"));
        assert!(is_provider_url("http://localhost/x"));
        assert!(!is_provider_url("http://api.open-meteo.com/v1/forecast"));
        assert!(!is_provider_url("http://127.0.0.1.evil.vn/"));
        assert!(!is_provider_url("javascript:alert(1)"));
        assert!(!is_provider_url("https://"));
    }

    #[test]
    fn a_block_with_fields_of_two_kinds_is_refused() {
        let b = RawBlock {
            image: Some("/a.png".into()),
            html: Some("<p>x</p>".into()),
            ..RawBlock::default()
        };
        let (field, message) = kind_of(&b).unwrap_err();
        assert_eq!(field, "kind");
        assert!(
            message.contains("banner") && message.contains("html"),
            "{message}"
        );
    }
}
