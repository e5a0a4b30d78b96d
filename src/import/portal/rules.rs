//! `rules.yaml` of `trangtin import --from-html`: where an old portal's pages keep each
//! part of an article (CSS selectors), how they write dates, and which new category each
//! old one becomes.
//!
//! ```yaml
//! old_base: https://skhcn.example.gov.vn
//! title: "h1.news-title"
//! date: ".news-date"
//! date_format: "%d/%m/%Y %H:%M:%S"   # the default
//! timezone: "+07:00"                 # the default
//! breadcrumb: ".breadcrumb"          # its last item is the category (or `category:`)
//! body: ".news-content"
//! image: ".news-image img"           # the featured image (optional)
//! author: ".news-content p.author"   # "Name - Title", removed from the body (optional)
//! summary: ".news-sapo"              # optional
//! remove: [".share", "script"]       # dropped from the body (optional)
//! categories:
//!   "Chung": chung
//! ```

use crate::error::{Error, Problem, Result};
use chrono::FixedOffset;
use scraper::Selector;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    old_base: String,
    title: String,
    date: String,
    #[serde(default)]
    date_format: Option<String>,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    breadcrumb: Option<String>,
    body: String,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    categories: BTreeMap<String, String>,
}

/// Where the category is read.
#[derive(Debug)]
pub(super) enum CategoryFrom {
    /// The text of the first element matched.
    Element(Selector),
    /// The last item of the breadcrumb: the last element matched, and within its text the
    /// part after the last `»`, `›`, `>` or `/`.
    Breadcrumb(Selector),
}

/// The rules, their selectors parsed.
#[derive(Debug)]
pub(super) struct Rules {
    /// The old portal's address: scheme, host and the path its addresses start with.
    pub(super) old_host: String,
    pub(super) old_path: String,
    pub(super) title: Selector,
    pub(super) date: Selector,
    pub(super) date_format: String,
    pub(super) timezone: FixedOffset,
    pub(super) category: CategoryFrom,
    pub(super) body: Selector,
    pub(super) image: Option<Selector>,
    pub(super) author: Option<Selector>,
    pub(super) summary: Option<Selector>,
    pub(super) remove: Vec<Selector>,
    /// Old category name (lowercase, NFC) → the new category as given.
    pub(super) categories: BTreeMap<String, String>,
}

impl Rules {
    /// Reads and checks `rules.yaml`; errors name the file, the line and the field.
    pub(super) fn load(path: &Path) -> Result<Rules> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Rules::parse(&text, path)
    }

    pub(super) fn parse(text: &str, path: &Path) -> Result<Rules> {
        let problem = |field: &str, message: String| {
            Error::Input(vec![Problem::error(path, message)
                .at_line(crate::yaml::line_of_key(text, field))
                .in_field(field)])
        };
        let file: RulesFile = crate::yaml::from_str(text)
            .map_err(|e| Error::Input(vec![Problem::error(path, e.message).at_line(e.line)]))?;
        let selector = |field: &str, css: &str| {
            Selector::parse(css).map_err(|e| {
                problem(
                    field,
                    format!("`{css}` is not a CSS selector this tool reads: {e}"),
                )
            })
        };
        let optional = |field: &str, css: &Option<String>| {
            css.as_deref().map(|c| selector(field, c)).transpose()
        };
        let (old_host, old_path) = split_base(&file.old_base).ok_or_else(|| {
            problem(
                "old_base",
                format!(
                    "`{}` is not an http(s) address such as https://skhcn.example.gov.vn",
                    file.old_base
                ),
            )
        })?;
        let category = match (&file.category, &file.breadcrumb) {
            (Some(css), _) => CategoryFrom::Element(selector("category", css)?),
            (None, Some(css)) => CategoryFrom::Breadcrumb(selector("breadcrumb", css)?),
            (None, None) => {
                return Err(problem(
                    "categories",
                    "give `category:` or `breadcrumb:` (a CSS selector) to read each page's \
                     category"
                        .into(),
                ))
            }
        };
        let timezone = match &file.timezone {
            Some(zone) => crate::text::date::parse_offset(zone).ok_or_else(|| {
                problem(
                    "timezone",
                    format!("`{zone}` is not an offset such as +07:00"),
                )
            })?,
            None => FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset"),
        };
        let remove = file
            .remove
            .iter()
            .map(|css| selector("remove", css))
            .collect::<Result<Vec<_>>>()?;
        Ok(Rules {
            old_host,
            old_path,
            title: selector("title", &file.title)?,
            date: selector("date", &file.date)?,
            date_format: file
                .date_format
                .unwrap_or_else(|| "%d/%m/%Y %H:%M:%S".to_string()),
            timezone,
            category,
            body: selector("body", &file.body)?,
            image: optional("image", &file.image)?,
            author: optional("author", &file.author)?,
            summary: optional("summary", &file.summary)?,
            remove,
            categories: file
                .categories
                .into_iter()
                .map(|(old, new)| (category_key(&old), new))
                .collect(),
        })
    }
}

/// How an old category name is looked up: trimmed, spaces collapsed, lowercase, NFC.
pub(super) fn category_key(name: &str) -> String {
    crate::text::nfc(&super::super::model::collapse_spaces(name).to_lowercase()).into_owned()
}

/// `https://Host/path/` → (`https://host`, `/path`); the path without its final `/`.
fn split_base(base: &str) -> Option<(String, String)> {
    let base = base.trim();
    let (scheme, rest) = base.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if host.is_empty() {
        return None;
    }
    Some((
        format!("{scheme}://{}", host.to_ascii_lowercase()),
        path.trim_end_matches('/').to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = "old_base: https://SKHCN.example.gov.vn/portal/\ntitle: h1\ndate: .date\n\
                         breadcrumb: .breadcrumb\nbody: .content\ncategories:\n  \"Tin  Chung\": chung\n";

    #[test]
    fn reads_the_rules_with_their_defaults() {
        let rules = Rules::parse(RULES, Path::new("rules.yaml")).unwrap();
        assert_eq!(rules.old_host, "https://skhcn.example.gov.vn");
        assert_eq!(rules.old_path, "/portal");
        assert_eq!(rules.date_format, "%d/%m/%Y %H:%M:%S");
        assert_eq!(rules.timezone.local_minus_utc(), 7 * 3600);
        assert_eq!(rules.categories["tin chung"], "chung");
        assert!(matches!(rules.category, CategoryFrom::Breadcrumb(_)));
    }

    #[test]
    fn a_bad_selector_names_the_line_and_field() {
        let text = RULES.replace("body: .content", "body: \"p[\"");
        let err = Rules::parse(&text, Path::new("rules.yaml")).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("rules.yaml:5"), "{message}");
        assert!(message.contains("`body`"), "{message}");
    }

    #[test]
    fn unknown_keys_and_missing_ones_are_errors() {
        let err = Rules::parse(&format!("{RULES}titel: h2\n"), Path::new("r.yaml")).unwrap_err();
        assert!(err.to_string().contains("titel"), "{err}");
        let text = RULES.replace("breadcrumb: .breadcrumb\n", "");
        let err = Rules::parse(&text, Path::new("r.yaml")).unwrap_err();
        assert!(err.to_string().contains("breadcrumb"), "{err}");
    }
}
