//! Pages in more than one language: what a page of each language gets (its `labels`, and a
//! `site` with that language's title and menu), the home page of each other language
//! (`/en/`), and each page's `lang`, `alternates` (`hreflang` links) and `switch` (the
//! language switch in the header).

use super::values::{list, Obj, SharedValues};
use crate::config::languages::native_name;
use crate::labels::Labels;
use crate::site::{ArticleId, Site};
use std::collections::BTreeMap;
use tera::Value;

/// What differs between the pages of one language.
pub(super) struct Localized {
    /// The labels, as templates get them (`labels`).
    pub labels: Value,
    /// The `site` value in this language (`None` for the site's own language, whose value
    /// is the global one).
    pub site: Option<Value>,
    /// The shared sidebar rendered in this language, when the theme shares one.
    pub sidebar: Option<Value>,
}

impl Localized {
    /// The values every page in this language gets besides its own: `labels`, for another
    /// language than the site's own its `site` and [`other_globals`], and the shared sidebar
    /// when `with_sidebar`.
    pub(super) fn values(&self, with_sidebar: bool) -> Vec<(&'static str, Value)> {
        let mut values = vec![("labels", self.labels.clone())];
        if let Some(site) = &self.site {
            values.push(("site", site.clone()));
            values.extend(other_globals());
        }
        if let (true, Some(sidebar)) = (with_sidebar, &self.sidebar) {
            values.push(("shared_sidebar", sidebar.clone()));
        }
        values
    }
}

/// The global values a page of another language than the site's own sees instead of the
/// site's: `latest` is empty (the sidebar's newest articles are the site language's).
pub(super) fn other_globals() -> [(&'static str, Value); 1] {
    [("latest", list(std::iter::empty()))]
}

/// The labels of every language by code, the site's own included.
pub(super) fn labels_values(
    own: &str,
    labels: &Labels,
    others: &BTreeMap<String, Labels>,
) -> BTreeMap<String, Value> {
    let value = |l: &Labels| Value::from_serializable(&l.all);
    std::iter::once((own.to_string(), value(labels)))
        .chain(others.iter().map(|(code, l)| (code.clone(), value(l))))
        .collect()
}

/// The `site` value of the other language `code`: the site's, with that language's title,
/// description, unit, menu and home; without what is written in the site's own language
/// or lists its pages (archive, search, categories, sidebar blocks, the unit's short
/// name, parent, copyright and licence unless that language gives them).
pub(super) fn site_value(site: &Site, shared: &SharedValues, code: &str) -> Value {
    let Some(language) = site.config.other_language(code) else {
        return shared.site.clone();
    };
    let mut map = shared.site.as_map().cloned().unwrap_or_default();
    let mut organization = map
        .get(&"organization".into())
        .and_then(Value::as_map)
        .cloned()
        .unwrap_or_default();
    if let Some(name) = &language.organization_name {
        organization.insert("name".into(), name.as_str().into());
    }
    let text = |t: &Option<String>| t.as_deref().map_or_else(Value::none, Value::from);
    organization.insert("parent".into(), text(&language.organization_parent));
    organization.insert("license".into(), text(&language.license));
    organization.insert("short_name".into(), Value::none());
    organization.insert("copyright".into(), Value::none());
    let menu = super::values::menu_value(&language.menu);
    for (key, value) in [
        ("title", Value::from(language.title.as_str())),
        ("description", language.description.as_str().into()),
        ("language", code.into()),
        ("home_url", site.routes.language_home(code).into()),
        ("archive_url", Value::none()),
        // The categories and their latest articles are the site's own language's.
        ("categories", list(std::iter::empty())),
        ("sidebar_blocks", list(std::iter::empty())),
        ("home_blocks", list(std::iter::empty())),
        // The sidebar's "Tin mới" lists the site's own language's articles.
        ("has_articles", false.into()),
        ("search", false.into()),
        ("menu", menu),
        ("organization", Value::from(organization)),
    ] {
        map.insert(key.into(), value);
    }
    Value::from(map)
}

/// The URL of the home page of language `code`.
pub(super) fn home_url(site: &Site, code: &str) -> String {
    if code == site.config.language {
        site.routes.home().to_string()
    } else {
        site.routes.language_home(code)
    }
}

/// The page keys of languages: `lang`; `alternates`, the page and its translations as
/// `{lang, url}` (absolute URLs, for `hreflang`), empty when it has none; `switch`, for
/// each other language of the site `{lang, name, url}`: the translation, or that
/// language's home page.
pub(super) fn page_keys(
    site: &Site,
    lang: &str,
    url: &str,
    translations: &[(String, String)],
) -> [(&'static str, Value); 3] {
    let link = |code: &str, url: &str| {
        Obj::new()
            .set("lang", code)
            .set("name", native_name(code))
            .set("url", url)
            .build()
    };
    let alternates = if translations.is_empty() {
        Vec::new()
    } else {
        site.config
            .language_codes()
            .filter_map(|code| {
                let url = match code == lang {
                    true => url,
                    false => translations.iter().find(|(c, _)| c == code)?.1.as_str(),
                };
                Some(link(code, &site.config.permalink(url)))
            })
            .collect()
    };
    let switch = site
        .config
        .language_codes()
        .filter(|&code| code != lang)
        .map(|code| {
            let target = translations
                .iter()
                .find(|(c, _)| c == code)
                .map_or_else(|| home_url(site, code), |(_, u)| u.clone());
            link(code, &target)
        });
    [
        ("lang", lang.into()),
        ("alternates", list(alternates)),
        ("switch", list(switch)),
    ]
}

/// The translations of article `id` as (language, URL).
pub(super) fn translations_of(site: &Site, id: ArticleId) -> Vec<(String, String)> {
    site.translations[id]
        .iter()
        .map(|&t| (site.articles[t].lang.clone(), site.urls[t].clone()))
        .collect()
}

/// The home pages of every language, as translations of each other, when the site has
/// other languages.
pub(super) fn home_translations(site: &Site, except: &str) -> Vec<(String, String)> {
    if site.config.languages.is_empty() {
        return Vec::new();
    }
    site.config
        .language_codes()
        .filter(|&c| c != except)
        .map(|c| (c.to_string(), home_url(site, c)))
        .collect()
}

/// The articles of the other language `code`, newest first.
pub(super) fn articles_in<'a>(
    site: &'a Site,
    code: &'a str,
) -> impl Iterator<Item = ArticleId> + 'a {
    site.translated
        .iter()
        .copied()
        .filter(move |&id| site.articles[id].lang == code)
}

/// The category an article of another language shows (its breadcrumb, "see more"): that
/// language's news on its home page.
pub(super) fn news_category(site: &Site, labels: &Labels, code: &str) -> Value {
    let name = labels.all.get("news").map_or("", String::as_str);
    let url = site.routes.language_home(code);
    Obj::new()
        .set("name", name)
        .set("slug", code)
        .set("feed_url", Value::none())
        .set("url", url)
        .set("section", Value::none())
        .set("section_url", Value::none())
        .set("description", Value::none())
        .set("count", articles_in(site, code).count())
        .build()
}
