//! The interface labels: the words trangtin puts into page titles ("Lưu trữ", "Sơ đồ
//! trang", ...) and the words the theme's templates print (menu, breadcrumb, toolbar,
//! pagination, footer, dates), one table per language. A table is the default theme's
//! (`labels.yaml`, `labels.en.yaml`), then the theme's own file over it, then the site's
//! `labels:` in `config.yaml` over both. Templates get the table of the page's language as
//! `labels`. No label is spelled in Rust.

use crate::config::{Config, CONFIG_FILE};
use crate::error::{Error, Problem, Result};
use crate::yaml;
use std::collections::BTreeMap;

/// The labels' file of the site's own language in a theme folder.
pub const LABELS_FILE: &str = "labels.yaml";

/// The labels' file of language `lang` in a theme folder: `labels.en.yaml`, or
/// [`LABELS_FILE`] for the site's own language (`own`).
pub fn labels_file(lang: &str, own: &str) -> String {
    if lang == own {
        LABELS_FILE.to_string()
    } else {
        format!("labels.{lang}.yaml")
    }
}

/// The labels of one language. The fields are those trangtin puts into titles;
/// placeholders in braces (`{year}`, `{month}`, `{title}`, `{page}`) are filled in by
/// [`Labels::fill`]. [`Labels::all`] holds every label, for templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The archive index (`/luu-tru/`).
    pub archive: String,
    /// A year of the archive: `{year}`.
    pub archive_year: String,
    /// A month of the archive: `{month}`, `{year}`.
    pub archive_month: String,
    /// A month in the archive index: `{month}`, `{year}`.
    pub month: String,
    /// Every tag (`/the/`).
    pub tags: String,
    /// The search page.
    pub search: String,
    /// The human site map.
    pub site_map: String,
    /// The "page not found" page.
    pub not_found: String,
    /// The page left at the URL of a removed article.
    pub gone: String,
    /// Page 2 and later of a listing: `{title}`, `{page}`.
    pub page_n: String,
    /// The official documents (`/van-ban/`).
    pub documents: String,
    /// Every label by name (those above and the words templates print), as templates get
    /// them (`labels.home`).
    pub all: BTreeMap<String, String>,
}

/// A file of labels: its text and the name to show in errors.
pub type LabelsFile<'a> = (&'a str, &'a str);

impl Labels {
    /// The labels of the site's own language: `files` one over the other (the default
    /// theme's first), then the site's `labels:` from `config`.
    pub fn load(files: &[LabelsFile<'_>], config: &Config) -> Result<Labels> {
        Labels::load_with(files, &config.labels, "labels")
    }

    /// The labels of `files` one over the other, then `overrides`, which `config.yaml`
    /// writes under `field` (`labels`, `labels.en`).
    pub fn load_with(
        files: &[LabelsFile<'_>],
        overrides: &BTreeMap<String, String>,
        field: &str,
    ) -> Result<Labels> {
        let mut all: BTreeMap<String, String> = BTreeMap::new();
        let mut shown = "";
        for (text, name) in files {
            let table: BTreeMap<String, String> = yaml::from_str(text).map_err(|e| {
                Error::Input(vec![Problem::error(*name, e.message).at_line(e.line)])
            })?;
            all.extend(table);
            shown = name;
        }
        let mut problems = Vec::new();
        for (key, value) in overrides {
            match all.get_mut(key) {
                Some(slot) => *slot = value.clone(),
                None => {
                    let hint = crate::text::closest(key, all.keys().map(String::as_str))
                        .map(|k| format!("; did you mean `{k}`?"))
                        .unwrap_or_default();
                    problems.push(
                        Problem::error(CONFIG_FILE, format!("unknown label `{key}`{hint}"))
                            .in_field(format!("{field}.{key}")),
                    );
                }
            }
        }
        let mut take = |key: &str, default: Option<&str>| match (all.get(key), default) {
            (Some(v), _) => v.clone(),
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                problems.push(Problem::error(
                    shown,
                    format!("the label `{key}` is missing"),
                ));
                String::new()
            }
        };
        let labels = Labels {
            archive: take("archive", None),
            archive_year: take("archive_year", None),
            archive_month: take("archive_month", None),
            month: take("month", None),
            tags: take("tags", None),
            search: take("search", None),
            site_map: take("site_map", None),
            not_found: take("not_found", None),
            // Themes made before these labels existed.
            gone: take("gone", Some("Bài viết đã được gỡ")),
            page_n: take("page_n", None),
            documents: take("documents", Some("Văn bản")),
            all: BTreeMap::new(),
        };
        if !problems.is_empty() {
            return Err(Error::Input(problems));
        }
        Ok(Labels { all, ..labels })
    }

    /// `label` with each `{name}` replaced by its value.
    pub fn fill(label: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut out = label.to_string();
        for (name, value) in values {
            let placeholder = format!("{{{name}}}");
            if out.contains(&placeholder) {
                out = out.replace(&placeholder, &value.to_string());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = include_str!("../themes/tin-hoat-dong/labels.yaml");
    const ENGLISH: &str = include_str!("../themes/tin-hoat-dong/labels.en.yaml");

    fn vi(config: &Config) -> Result<Labels> {
        Labels::load(&[(DEFAULT, "labels.yaml")], config)
    }

    #[test]
    fn the_default_theme_has_every_label_in_both_languages() {
        let labels = vi(&Config::default()).unwrap();
        assert_eq!(labels.archive, "Lưu trữ");
        assert_eq!(labels.all["home"], "Trang chủ");
        let en = Labels::load_with(
            &[(ENGLISH, "labels.en.yaml")],
            &BTreeMap::new(),
            "labels.en",
        )
        .unwrap();
        assert_eq!(en.all["home"], "Home");
        let missing: Vec<&String> = labels
            .all
            .keys()
            .filter(|k| !en.all.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "labels.en.yaml lacks {missing:?}");
        let extra: Vec<&String> = en
            .all
            .keys()
            .filter(|k| !labels.all.contains_key(*k))
            .collect();
        assert!(extra.is_empty(), "labels.yaml lacks {extra:?}");
    }

    #[test]
    fn a_theme_file_overrides_the_default_and_a_missing_title_label_is_named() {
        let theme = "home: Trang đầu\n";
        let labels = Labels::load(
            &[(DEFAULT, "a"), (theme, "themes/x/labels.yaml")],
            &Config::default(),
        )
        .unwrap();
        assert_eq!(labels.all["home"], "Trang đầu");
        assert_eq!(labels.archive, "Lưu trữ");
        let err = Labels::load(&[(theme, "themes/x/labels.yaml")], &Config::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("themes/x/labels.yaml: the label `archive` is missing"),
            "{err}"
        );
    }

    #[test]
    fn the_site_overrides_a_label_per_language() {
        let config = Config::parse(
            "languages:\n  en: {}\nlabels:\n  home: Trang đầu\n  en:\n    home: Start\n",
        )
        .unwrap();
        assert_eq!(vi(&config).unwrap().all["home"], "Trang đầu");
        let en =
            Labels::load_with(&[(ENGLISH, "e")], &config.languages[0].labels, "labels.en").unwrap();
        assert_eq!(en.all["home"], "Start");
        let config =
            Config::parse("languages:\n  en: {}\nlabels:\n  en:\n    hom: Start\n").unwrap();
        let err = Labels::load_with(&[(ENGLISH, "e")], &config.languages[0].labels, "labels.en")
            .unwrap_err()
            .to_string();
        assert!(err.contains("field `labels.en.hom`"), "{err}");
        assert!(err.contains("did you mean `home`"), "{err}");
    }

    #[test]
    fn the_site_overrides_a_label_and_unknown_ones_are_errors_with_a_hint() {
        let config = Config::parse("labels:\n  archive: Archive\n").unwrap();
        let labels = vi(&config).unwrap();
        assert_eq!(labels.archive, "Archive");
        let config = Config::parse("labels:\n  site_mapp: Sitemap\n").unwrap();
        let err = vi(&config).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("config.yaml: field `labels.site_mapp`"),
            "{text}"
        );
        assert!(text.contains("did you mean `site_map`"), "{text}");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            Labels::fill(
                "Lưu trữ tháng {month}/{year}",
                &[("month", &3), ("year", &2024)]
            ),
            "Lưu trữ tháng 3/2024"
        );
    }
}
