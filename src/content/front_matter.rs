//! Splits a Markdown file into YAML front matter and body, and reads the fields we know.
//! Line numbers always count from the top of the file.

use crate::yaml;
use std::collections::HashMap;

/// A file cut into its front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The file line on which the YAML starts (1-based).
    pub yaml_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// The file line on which the body starts (1-based).
    pub body_line: usize,
}

/// Cuts `text` (BOM removed, `\n` line endings) at its front-matter fences.
/// Returns the line of the problem and a message when the fences are missing or unclosed.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err((
            1,
            "no front matter: the file must start with a `---` line, then `title:`, `date:`, \
             `category:`, then another `---` line"
                .into(),
        ));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line, raw) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let content = raw.trim_end();
        if content == "---" || content == "..." {
            let body_start = offset + raw.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start.min(text.len())..],
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    Err((
        1,
        "front matter is not closed: no `---` line after the opening one on line 1".into(),
    ))
}

/// Front-matter fields as written, before they are checked against the site.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// `title`
    pub title: Option<String>,
    /// `date`, as written
    pub date: Option<String>,
    /// `updated`, as written
    pub updated: Option<String>,
    /// `category`
    pub category: Option<String>,
    /// `author`
    pub author: Option<String>,
    /// `author_title`
    pub author_title: Option<String>,
    /// `tags`
    pub tags: Vec<String>,
    /// `summary`
    pub summary: Option<String>,
    /// `image`
    pub image: Option<String>,
    /// `image_caption`
    pub image_caption: Option<String>,
    /// `image_alt`
    pub image_alt: Option<String>,
    /// `draft`
    pub draft: bool,
    /// `slug`
    pub slug: Option<String>,
    /// `aliases`
    pub aliases: Vec<String>,
    /// `featured`
    pub featured: bool,
    /// `layout` (`page` for standalone pages)
    pub layout: Option<String>,
    /// `related`: paths of pinned related articles
    pub related: Vec<String>,
    /// Every other field, for templates (`article.extra`).
    pub extra: Vec<(String, tera::Value)>,
    /// The file line of each top-level field.
    pub lines: HashMap<String, usize>,
}

impl FrontMatter {
    /// The file line of `field`, if it was written.
    pub fn line_of(&self, field: &str) -> Option<usize> {
        self.lines.get(field).copied()
    }
}

/// A problem found while reading front matter: file line (where known), field, message.
pub type FieldError = (Option<usize>, Option<String>, String);

/// Parses the YAML of a split file. Every field error is reported, not just the first.
pub fn parse(split: &Split<'_>) -> Result<FrontMatter, Vec<FieldError>> {
    let entries = yaml::parse_mapping(split.yaml).map_err(|e| {
        vec![(
            Some(e.line.map_or(split.yaml_line, |l| l + split.yaml_line - 1)),
            None,
            format!("invalid YAML in front matter: {}", e.message),
        )]
    })?;
    let mut fm = FrontMatter::default();
    for (key, _) in &entries {
        if let Some(line) = yaml::line_of_key(split.yaml, key) {
            fm.lines.insert(key.clone(), line + split.yaml_line - 1);
        }
    }
    let mut errors = Vec::new();
    for (key, value) in entries {
        let line = fm.line_of(&key);
        let result = match key.as_str() {
            "title" => text(&value).map(|v| fm.title = v),
            "date" => text(&value).map(|v| fm.date = v),
            "updated" => text(&value).map(|v| fm.updated = v),
            "category" => text(&value).map(|v| fm.category = v),
            "author" => text(&value).map(|v| fm.author = v),
            "author_title" => text(&value).map(|v| fm.author_title = v),
            "summary" => text(&value).map(|v| fm.summary = v),
            "image" => text(&value).map(|v| fm.image = v),
            "image_caption" => text(&value).map(|v| fm.image_caption = v),
            "image_alt" => text(&value).map(|v| fm.image_alt = v),
            "slug" => text(&value).map(|v| fm.slug = v),
            "layout" => text(&value).map(|v| fm.layout = v),
            "tags" => list(&value, true).map(|v| fm.tags = v),
            "aliases" => list(&value, false).map(|v| fm.aliases = v),
            "related" => list(&value, false).map(|v| fm.related = v),
            "draft" => flag(&value).map(|v| fm.draft = v),
            "featured" => flag(&value).map(|v| fm.featured = v),
            _ => {
                fm.extra.push((key.clone(), value));
                Ok(())
            }
        };
        if let Err(message) = result {
            errors.push((line, Some(key), message));
        }
    }
    if errors.is_empty() {
        Ok(fm)
    } else {
        Err(errors)
    }
}

/// A scalar as text; numbers and booleans are written out, empty means absent.
fn text(value: &tera::Value) -> Result<Option<String>, String> {
    if value.is_none() {
        return Ok(None);
    }
    if let Some(s) = value.as_str() {
        let s = s.trim();
        return Ok((!s.is_empty()).then(|| s.to_string()));
    }
    if value.is_number() || value.is_bool() {
        return Ok(Some(value.to_string()));
    }
    Err(format!("must be text, found {}", describe(value)))
}

/// A list of text, or one text (split at commas when `split_commas`, as editors write tags).
fn list(value: &tera::Value, split_commas: bool) -> Result<Vec<String>, String> {
    if value.is_none() {
        return Ok(Vec::new());
    }
    if let Some(items) = value.as_array() {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match text(item) {
                Ok(Some(s)) => out.push(s),
                Ok(None) => {}
                Err(_) => {
                    return Err(format!(
                        "must be a list of text, found {} in the list",
                        describe(item)
                    ))
                }
            }
        }
        return Ok(out);
    }
    match text(value) {
        Ok(Some(s)) if split_commas => Ok(s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()),
        Ok(s) => Ok(s.into_iter().collect()),
        Err(_) => Err(format!("must be a list of text, found {}", describe(value))),
    }
}

fn flag(value: &tera::Value) -> Result<bool, String> {
    if value.is_none() {
        return Ok(false);
    }
    value
        .as_bool()
        .ok_or_else(|| format!("must be true or false, found {}", describe(value)))
}

fn describe(value: &tera::Value) -> String {
    if value.is_map() {
        "a mapping".into()
    } else if value.is_array() {
        "a list".into()
    } else if value.is_string() {
        format!("the text `{value}`")
    } else {
        format!("`{value}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_lines() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn a_later_rule_is_not_front_matter() {
        let s = split("---\ntitle: A\n---\none\n\n---\n\ntwo\n").unwrap();
        assert_eq!(s.body, "one\n\n---\n\ntwo\n");
    }

    #[test]
    fn rejects_unclosed_front_matter() {
        let (line, msg) = split("---\ntitle: A\nbody").unwrap_err();
        assert_eq!(line, 1);
        assert!(msg.contains("not closed"), "{msg}");
    }

    #[test]
    fn rejects_a_file_without_front_matter() {
        assert!(split("# Just a heading\n").is_err());
        assert!(split("").is_err());
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let text = "---\ntitle: A\ndate: 2020-01-01\ntags: [a, b\n---\n";
        let errors = parse(&split(text).unwrap()).unwrap_err();
        let line = errors[0].0.unwrap();
        assert!((4..=5).contains(&line), "line {line}");
    }

    #[test]
    fn reports_every_ill_typed_field_with_its_line() {
        let text = "---\ntitle: [a]\ndate: 2020-01-01\ndraft: maybe\n---\n";
        let errors = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors[0],
            (
                Some(2),
                Some("title".into()),
                "must be text, found a list".into()
            )
        );
        assert_eq!(errors[1].0, Some(4));
        assert_eq!(errors[1].1.as_deref(), Some("draft"));
    }

    #[test]
    fn keeps_unknown_fields_as_extra_and_accepts_tag_strings() {
        let text = "---\ntitle: 2020\ntags: khoa học, đổi mới\nnguon: Báo X\n---\n";
        let fm = parse(&split(text).unwrap()).unwrap();
        assert_eq!(fm.title.as_deref(), Some("2020"));
        assert_eq!(fm.tags, ["khoa học", "đổi mới"]);
        assert_eq!(fm.extra[0].0, "nguon");
    }
}
