//! The interface labels that page titles are made of ("Lưu trữ", "Sơ đồ trang", ...): read
//! from the theme's `labels.yaml` (the default theme's when a theme has none), then the
//! site's `labels:` in `config.yaml` overrides any of them. No label is spelled in Rust.

use crate::config::{Config, CONFIG_FILE};
use crate::error::{Error, Problem, Result};
use crate::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The labels' file in a theme folder.
pub const LABELS_FILE: &str = "labels.yaml";

/// Every label trangtin puts into a title. Placeholders in braces (`{year}`, `{month}`,
/// `{title}`, `{page}`) are filled in by [`Labels::fill`].
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
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
    #[serde(default = "default_gone")]
    pub gone: String,
    /// Page 2 and later of a listing: `{title}`, `{page}`.
    pub page_n: String,
    /// The official documents (`/van-ban/`).
    #[serde(default = "default_documents")]
    pub documents: String,
}

impl Labels {
    /// The labels of a theme's `labels.yaml` (`shown` names the file in errors), with the
    /// site's overrides from `config`.
    pub fn load(text: &str, shown: &str, config: &Config) -> Result<Labels> {
        let mut labels: Labels = yaml::from_str(text)
            .map_err(|e| Error::Input(vec![Problem::error(shown, e.message).at_line(e.line)]))?;
        labels.apply(&config.labels)?;
        Ok(labels)
    }

    /// Replaces the labels named in `overrides` (from `config.yaml`).
    fn apply(&mut self, overrides: &BTreeMap<String, String>) -> Result<()> {
        let mut problems = Vec::new();
        for (key, value) in overrides {
            match self.slot(key) {
                Some(slot) => *slot = value.clone(),
                None => {
                    let hint = crate::text::closest(key, FIELDS.iter().copied())
                        .map(|k| format!("; did you mean `{k}`?"))
                        .unwrap_or_default();
                    problems.push(
                        Problem::error(
                            CONFIG_FILE,
                            format!(
                                "unknown label `{key}`{hint} (labels: {})",
                                FIELDS.join(", ")
                            ),
                        )
                        .in_field(format!("labels.{key}")),
                    );
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Input(problems))
        }
    }

    fn slot(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "archive" => &mut self.archive,
            "archive_year" => &mut self.archive_year,
            "archive_month" => &mut self.archive_month,
            "month" => &mut self.month,
            "tags" => &mut self.tags,
            "search" => &mut self.search,
            "site_map" => &mut self.site_map,
            "not_found" => &mut self.not_found,
            "gone" => &mut self.gone,
            "page_n" => &mut self.page_n,
            "documents" => &mut self.documents,
            _ => return None,
        })
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

/// The label names, as `config.yaml` spells them.
const FIELDS: &[&str] = &[
    "archive",
    "archive_year",
    "archive_month",
    "month",
    "tags",
    "search",
    "site_map",
    "not_found",
    "gone",
    "page_n",
    "documents",
];

/// The `gone` label of themes made before it existed.
fn default_documents() -> String {
    "Văn bản".into()
}

fn default_gone() -> String {
    "Bài viết đã được gỡ".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = include_str!("../themes/tin-hoat-dong/labels.yaml");

    #[test]
    fn the_default_theme_has_every_label() {
        let labels = Labels::load(DEFAULT, "labels.yaml", &Config::default()).unwrap();
        assert_eq!(labels.archive, "Lưu trữ");
        let mut labels = labels;
        for field in FIELDS {
            assert!(labels.slot(field).is_some(), "{field}");
        }
    }

    #[test]
    fn the_site_overrides_a_label_and_unknown_ones_are_errors_with_a_hint() {
        let config = Config::parse("labels:\n  archive: Archive\n").unwrap();
        let labels = Labels::load(DEFAULT, "labels.yaml", &config).unwrap();
        assert_eq!(labels.archive, "Archive");
        let config = Config::parse("labels:\n  site_mapp: Sitemap\n").unwrap();
        let err = Labels::load(DEFAULT, "labels.yaml", &config).unwrap_err();
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
