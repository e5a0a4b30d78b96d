//! `languages:` in `config.yaml`: the languages a site publishes in besides its own
//! (`language`, `vi`), each with its own title, unit name and menu, and the `labels:` of
//! each language.
//!
//! ```yaml
//! languages:
//!   en:
//!     title: Department of Science and Technology
//!     menu:
//!       - { name: Home, url: /en/ }
//! labels:
//!   archive: Lưu trữ cũ          # the site's own language, as before
//!   en:
//!     archive: Archive           # English pages
//! ```

use super::{MenuItem, CONFIG_FILE};
use crate::error::Problem;
use crate::widgets::{Link, MenuEntry};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The languages trangtin has interface labels for (the default theme's `labels.yaml`
/// and `labels.en.yaml`), with their names as a reader of that language writes them.
pub const SUPPORTED: &[(&str, &str)] = &[("vi", "Tiếng Việt"), ("en", "English")];

/// The name of language `code` in that language ("English", "Tiếng Việt").
pub fn native_name(code: &str) -> &str {
    SUPPORTED
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, name)| name)
}

impl super::Config {
    /// The other language `code` the site publishes in, if it does.
    pub fn other_language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// Every language of the site: its own first, then the others of `languages:`.
    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.language.as_str())
            .chain(self.languages.iter().map(|l| l.code.as_str()))
    }
}

/// One language of `languages:` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    organization_name: Option<String>,
    organization_parent: Option<String>,
    license: Option<String>,
    menu: Vec<MenuItem>,
}

/// A value under `labels:`: a label of the site's own language, or the table of another
/// language (`en: {archive: Archive}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawLabel {
    /// `archive: Lưu trữ`.
    Text(String),
    /// `en: {archive: Archive}`.
    Table(BTreeMap<String, String>),
}

/// A language the site publishes in besides its own.
#[derive(Debug, Clone)]
pub struct Language {
    /// Its code (`en`).
    pub code: String,
    /// The site's title in it (the site's own title when not given).
    pub title: String,
    /// The home page's description in it (empty when not given).
    pub description: String,
    /// The unit's name in it (the unit's own name when not given).
    pub organization_name: Option<String>,
    /// The body the unit belongs to, in it (not shown when not given).
    pub organization_parent: Option<String>,
    /// The licence line of the site, in it (not shown when not given).
    pub license: Option<String>,
    /// Its menu (one level of children, as the site's own), URLs resolved; empty when not
    /// given.
    pub menu: Vec<MenuEntry>,
    /// Its labels that replace the theme's (`labels: {en: {...}}`).
    pub labels: BTreeMap<String, String>,
}

/// Splits `labels:` into the site language's labels and the tables of other languages,
/// then checks `languages:`: only languages trangtin has labels for, not the site's own,
/// and a label table only for a language the site publishes in.
pub(super) fn resolve(
    site_language: &str,
    raw: BTreeMap<String, RawLanguage>,
    labels: BTreeMap<String, RawLabel>,
    title: &str,
    link: impl Fn(&str) -> String,
) -> Result<(BTreeMap<String, String>, Vec<Language>), Problem> {
    let bad = |field: String, message: String| Problem::error(CONFIG_FILE, message).in_field(field);
    let codes = || {
        SUPPORTED
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| *c != site_language)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut languages = Vec::new();
    for (code, language) in raw {
        if code == site_language {
            return Err(bad(
                format!("languages.{code}"),
                format!(
                    "`{code}` is the site's own language (`language`); list only the others ({})",
                    codes()
                ),
            ));
        }
        if !SUPPORTED.iter().any(|(c, _)| *c == code) {
            return Err(bad(
                format!("languages.{code}"),
                format!(
                    "trangtin has no labels for language `{code}`; languages: {}",
                    codes()
                ),
            ));
        }
        for item in language
            .menu
            .iter()
            .flat_map(|m| [m].into_iter().chain(&m.children))
        {
            if let Some(reason) = crate::sanitize::unsafe_url(&item.url) {
                return Err(bad(
                    format!("languages.{code}"),
                    format!("the link `{}` ({}): {reason}", item.name, item.url),
                ));
            }
        }
        languages.push(Language {
            title: language.title.unwrap_or_else(|| title.to_string()),
            description: language.description.unwrap_or_default(),
            organization_name: language.organization_name,
            organization_parent: language.organization_parent,
            license: language.license,
            menu: language
                .menu
                .into_iter()
                .map(|m| MenuEntry {
                    url: link(&m.url),
                    children: m
                        .children
                        .into_iter()
                        .map(|c| Link {
                            url: link(&c.url),
                            name: c.name,
                        })
                        .collect(),
                    name: m.name,
                })
                .collect(),
            labels: BTreeMap::new(),
            code,
        });
    }
    let mut own = BTreeMap::new();
    for (key, value) in labels {
        match value {
            RawLabel::Text(text) => {
                own.insert(key, text);
            }
            RawLabel::Table(table) => match languages.iter_mut().find(|l| l.code == key) {
                Some(language) => language.labels = table,
                None => {
                    return Err(bad(
                        format!("labels.{key}"),
                        format!(
                            "a table of labels for `{key}`, which is not under `languages:`; \
                             add `languages: {{{key}: {{}}}}` or remove the table"
                        ),
                    ))
                }
            },
        }
    }
    Ok((own, languages))
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn english_is_off_until_listed_and_then_has_its_own_menu_and_labels() {
        assert!(Config::default().languages.is_empty());
        let config = Config::parse(
            "base_url: https://x.gov.vn/tin/\nlanguages:\n  en:\n    title: Department\n    \
             menu:\n      - {name: Home, url: /en/}\nlabels:\n  archive: Kho\n  en:\n    archive: Old news\n",
        )
        .unwrap();
        let en = &config.languages[0];
        assert_eq!((en.code.as_str(), en.title.as_str()), ("en", "Department"));
        assert_eq!(en.menu[0].url, "/tin/en/");
        assert_eq!(en.labels["archive"], "Old news");
        assert_eq!(config.labels["archive"], "Kho");
    }

    #[test]
    fn unknown_languages_and_stray_label_tables_are_errors_naming_the_field() {
        let err = Config::parse("languages:\n  fr: {}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("field `languages.fr`"), "{err}");
        assert!(err.contains("no labels for language `fr`"), "{err}");
        let err = Config::parse("languages:\n  vi: {}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("the site's own language"), "{err}");
        let err = Config::parse("labels:\n  en:\n    archive: A\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("field `labels.en`"), "{err}");
        assert!(err.contains("not under `languages:`"), "{err}");
    }
}
