//! Splits a Markdown file into YAML front matter and body, and reads the fields we know.
//! Line numbers always count from the top of the file.

use super::{fences, fields, mistakes};
use crate::config::Limits;
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
    let first = &text[..first_end];
    if first.trim_end() != "---" {
        let mut message = String::from(
            "no front matter: the file must start with a `---` line, then `title:`, `date:`, \
             `category:`, then another `---` line",
        );
        message.extend(fences::opening_fence_hint(first));
        return Err((1, message));
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
    Err(fences::unclosed(text))
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
    /// `lang`: the language of the page (`vi`, `en`), as written
    pub lang: Option<String>,
    /// `translation_key`: shared by a page and its translations
    pub translation_key: Option<String>,
    /// `related`: paths of pinned related articles
    pub related: Vec<String>,
    /// `attachments`: files listed under "Tệp đính kèm" (paths as written)
    pub attachments: Vec<String>,
    /// `documents`: numbers of the documents listed under "Văn bản liên quan"
    pub documents: Vec<String>,
    /// The site's own fields (`extra_fields` in config.yaml), for templates
    /// (`article.extra`).
    pub extra: Vec<(String, tera::Value)>,
    /// The file line of each top-level field.
    pub lines: HashMap<String, usize>,
    /// What reading the fields found suspicious but could read: a value cut by a `#`.
    pub warnings: Vec<FieldError>,
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
/// `declared` are the site's own fields (`extra_fields` in config.yaml); any other field
/// trangtin does not read is an error that names the field meant, when one is close.
pub fn parse(split: &Split<'_>, declared: &[String]) -> Result<FrontMatter, Vec<FieldError>> {
    let entries = yaml::parse_mapping(split.yaml).map_err(|e| {
        let error = match mistakes::explain(split.yaml, split.yaml_line, &e, declared) {
            Some(explained) => (Some(explained.line), explained.field, explained.message),
            None => (
                Some(e.line.map_or(split.yaml_line, |l| l + split.yaml_line - 1)),
                None,
                format!("invalid YAML in front matter: {}", e.message),
            ),
        };
        vec![error]
    })?;
    let mut fm = FrontMatter::default();
    for (key, _) in &entries {
        if let Some(line) = yaml::line_of_key(split.yaml, key) {
            fm.lines.insert(key.clone(), line + split.yaml_line - 1);
        }
    }
    let mut errors = Vec::new();
    let has_hash = split.yaml.contains('#');
    for (key, value) in entries {
        let line = fm.line_of(&key);
        if has_hash && WORDS.contains(&key.as_str()) {
            match cut_by_comment(split, &key, &value) {
                Some(Ok(warning)) => fm.warnings.push((line, Some(key.clone()), warning)),
                Some(Err(error)) => {
                    errors.push((line, Some(key), error));
                    continue;
                }
                None => {}
            }
        }
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
            "lang" => text(&value).map(|v| fm.lang = v),
            "translation_key" => text(&value).map(|v| fm.translation_key = v),
            "tags" => list(&value, true).map(|v| fm.tags = v),
            "aliases" => list(&value, false).map(|v| fm.aliases = v),
            "related" => list(&value, false).map(|v| fm.related = v),
            "attachments" => list(&value, false).map(|v| fm.attachments = v),
            "documents" => list(&value, false).map(|v| fm.documents = v),
            "draft" => flag(&value).map(|v| fm.draft = v),
            "featured" => flag(&value).map(|v| fm.featured = v),
            _ if declared.contains(&key) => {
                fm.extra.push((key.clone(), value));
                Ok(())
            }
            _ => Err(fields::unknown_message(&key, declared)),
        };
        if let Err(mut message) = result {
            if WORDS.contains(&key.as_str()) && fields::kind(&key) == Some(fields::Kind::Text) {
                message.extend(written(split, &key).and_then(|w| mistakes::brackets_hint(&key, w)));
            }
            // A key the parser found but no line starts with (`? [a, b]`): the front
            // matter's first line is the closest we know.
            errors.push((line.or(Some(split.yaml_line)), Some(key), message));
        }
    }
    if errors.is_empty() {
        Ok(fm)
    } else {
        Err(errors)
    }
}

/// Fields of words, where a ` #` is more likely part of the text (`Kết quả #1`) than a note
/// the editor meant (as it may be after a date or a slug).
const WORDS: &[&str] = &[
    "title",
    "summary",
    "category",
    "author",
    "author_title",
    "image",
    "image_caption",
    "image_alt",
    "tags",
];

/// A text field whose plain value a `#` cut (`title: Kết quả #1 của Sở`): a warning when
/// some text is left, an error when none is (see [`mistakes::cut_by_comment`]).
fn cut_by_comment(
    split: &Split<'_>,
    key: &str,
    value: &tera::Value,
) -> Option<Result<String, String>> {
    if !(value.is_none() || value.is_string()) {
        return None;
    }
    mistakes::cut_by_comment(key, written(split, key)?)
}

/// The value of a top-level field as written on its line.
fn written<'a>(split: &Split<'a>, key: &str) -> Option<&'a str> {
    let line = yaml::line_of_key(split.yaml, key)?;
    let (_, value) = mistakes::entry(split.yaml.lines().nth(line - 1)?)?;
    Some(value)
}

/// A scalar as text; numbers and booleans are written out, empty means absent.
pub(super) fn text(value: &tera::Value) -> Result<Option<String>, String> {
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
pub(super) fn list(value: &tera::Value, split_commas: bool) -> Result<Vec<String>, String> {
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

/// `true` or `false`; absent means false.
pub(super) fn flag(value: &tera::Value) -> Result<bool, String> {
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

/// Refuses front matter too large or too deeply nested to parse, before the YAML parser
/// sees it: nesting takes the parser quadratic time (200 KB took three minutes).
pub fn check_size(split: &Split<'_>, limits: &Limits) -> Result<(), FieldError> {
    if split.yaml.len() > limits.front_matter_bytes {
        return Err((
            Some(split.yaml_line),
            None,
            format!(
                "the front matter is {} bytes, more than the {} allowed (`limits: \
                 front_matter_bytes` in config.yaml)",
                split.yaml.len(),
                limits.front_matter_bytes
            ),
        ));
    }
    match deepest_line(split.yaml, limits.front_matter_depth) {
        Some(line) => Err((
            Some(line + split.yaml_line - 1),
            None,
            format!(
                "the front matter nests lists or mappings more than {} deep (`limits: \
                 front_matter_depth` in config.yaml)",
                limits.front_matter_depth
            ),
        )),
        None => Ok(()),
    }
}

/// The first line (1-based) of `yaml` whose nesting goes deeper than `max`, counting each
/// indentation level, each `- ` item marker and each open `[` or `{` (outside quotes). It
/// may count more than the parser would (a `[` in a plain scalar), never less.
fn deepest_line(yaml: &str, max: usize) -> Option<usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut open = 0usize;
    for (i, line) in yaml.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if open == 0 && !content.is_empty() && !content.starts_with('#') {
            let indent = line.len() - content.len();
            while indents.last().is_some_and(|&last| last >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let markers = content
            .as_bytes()
            .chunks(2)
            .take_while(|pair| matches!(pair, [b'-', b' '] | [b'-']))
            .count();
        let mut deepest = open;
        let mut quote = None;
        for c in content.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => {
                    open += 1;
                    deepest = deepest.max(open);
                }
                (None, ']' | '}') => open = open.saturating_sub(1),
                (None, '#') => break,
                _ => {}
            }
        }
        if indents.len() + markers + deepest > max {
            return Some(i + 1);
        }
    }
    None
}

/// Makes parsed fields fit to publish: control characters removed from text fields (YAML
/// escapes such as `"\e"` make them), text cut to its limit and tags past the limit
/// dropped. Returns a warning for each change, with the field's line.
pub fn fit_fields(fm: &mut FrontMatter, limits: &Limits) -> Vec<FieldError> {
    let mut warnings = Vec::new();
    let lines = &fm.lines;
    let mut warn = |field: &str, message: String| {
        warnings.push((lines.get(field).copied(), Some(field.to_string()), message));
    };
    let texts: [(&str, &mut Option<String>, usize); 11] = [
        ("title", &mut fm.title, limits.title_chars),
        ("date", &mut fm.date, limits.field_chars),
        ("updated", &mut fm.updated, limits.field_chars),
        ("category", &mut fm.category, limits.field_chars),
        ("author", &mut fm.author, limits.field_chars),
        ("author_title", &mut fm.author_title, limits.field_chars),
        ("summary", &mut fm.summary, limits.field_chars),
        ("image", &mut fm.image, limits.field_chars),
        ("image_caption", &mut fm.image_caption, limits.field_chars),
        ("image_alt", &mut fm.image_alt, limits.field_chars),
        ("slug", &mut fm.slug, limits.field_chars),
    ];
    for (field, value, max) in texts {
        if let Some(text) = value {
            fit_text(field, text, max, &mut warn);
        }
    }
    if fm.tags.len() > limits.tags {
        warn(
            "tags",
            format!(
                "{} tags, more than the {} allowed (`limits: tags` in config.yaml); the \
                 first {} are kept",
                fm.tags.len(),
                limits.tags,
                limits.tags
            ),
        );
        fm.tags.truncate(limits.tags);
    }
    for list in [
        ("tags", &mut fm.tags),
        ("aliases", &mut fm.aliases),
        ("related", &mut fm.related),
        ("attachments", &mut fm.attachments),
        ("documents", &mut fm.documents),
    ] {
        for item in list.1.iter_mut() {
            fit_text(list.0, item, limits.field_chars, &mut warn);
        }
    }
    warnings
}

/// Removes control characters from one field's text and cuts it to `max` characters.
fn fit_text(field: &str, text: &mut String, max: usize, warn: &mut impl FnMut(&str, String)) {
    if !crate::text::control::strip_controls(text).is_empty() {
        warn(field, "control characters removed".into());
    }
    // A character is at least one byte: only a text longer in bytes can be too long.
    if text.len() > max {
        let chars = text.chars().count();
        if chars > max {
            let cut = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
            text.truncate(cut);
            text.truncate(text.trim_end().len());
            warn(
                field,
                format!(
                    "{chars} characters, more than the {max} allowed (`limits` in \
                     config.yaml); cut to {max}"
                ),
            );
        }
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
        assert_eq!(line, 2, "after the last field");
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
        let errors = parse(&split(text).unwrap(), &[]).unwrap_err();
        let line = errors[0].0.unwrap();
        assert!((4..=5).contains(&line), "line {line}");
    }

    #[test]
    fn reports_every_ill_typed_field_with_its_line() {
        let text = "---\ntitle: [a]\ndate: 2020-01-01\ndraft: maybe\n---\n";
        let errors = parse(&split(text).unwrap(), &[]).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors[0],
            (
                Some(2),
                Some("title".into()),
                "must be text, found a list; if it is meant as text, put it in quotes: \
                 title: \"[a]\""
                    .into()
            )
        );
        assert_eq!(errors[1].0, Some(4));
        assert_eq!(errors[1].1.as_deref(), Some("draft"));
    }

    #[test]
    fn keeps_declared_fields_as_extra_and_accepts_tag_strings() {
        let text = "---\ntitle: 2020\ntags: khoa học, đổi mới\nnguon: Báo X\n---\n";
        let fm = parse(&split(text).unwrap(), &["nguon".to_string()]).unwrap();
        assert_eq!(fm.title.as_deref(), Some("2020"));
        assert_eq!(fm.tags, ["khoa học", "đổi mới"]);
        assert_eq!(fm.extra[0].0, "nguon");
    }

    #[test]
    fn every_unknown_field_is_an_error_naming_it_at_its_line() {
        let text = "---\ntitle: A\nfeature: true\ntag: [a]\nTác giả: B\nnguon: C\n---\n";
        let errors = parse(&split(text).unwrap(), &[]).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|(line, field, message)| (line.unwrap(), field.clone().unwrap(), message.clone()))
            .collect();
        assert_eq!(
            found[0],
            (
                3,
                "feature".into(),
                "unknown field; did you mean `featured`?".into()
            )
        );
        assert_eq!(
            found[1],
            (
                4,
                "tag".into(),
                "unknown field; did you mean `tags`?".into()
            )
        );
        assert_eq!((found[2].0, found[2].1.as_str()), (5, "Tác giả"));
        assert!(
            found[2]
                .2
                .starts_with("unknown field; did you mean `author`?"),
            "{}",
            found[2].2
        );
        assert_eq!((found[3].0, found[3].1.as_str()), (6, "nguon"));
        assert!(found[3].2.contains("extra_fields"), "{}", found[3].2);
        assert_eq!(found.len(), 4);
    }

    #[test]
    fn every_field_of_the_list_is_read() {
        for (name, kind) in fields::FIELDS {
            let value = match kind {
                fields::Kind::Text => "x",
                fields::Kind::List => "[x]",
                fields::Kind::Flag => "true",
            };
            let text = format!("---\n{name}: {value}\n---\n");
            let fm = parse(&split(&text).unwrap(), &[]);
            assert!(fm.is_ok_and(|fm| fm.extra.is_empty()), "{name}");
        }
    }

    #[test]
    fn a_colon_in_a_title_is_explained_at_its_line() {
        let text = "---\ntitle: Thông báo: Lịch tiếp công dân\ndate: 2024-03-01\n---\n";
        let errors = parse(&split(text).unwrap(), &[]).unwrap_err();
        assert_eq!(errors.len(), 1);
        let (line, field, message) = &errors[0];
        assert_eq!((*line, field.as_deref()), (Some(2), Some("title")));
        assert!(
            message.ends_with("put the title in quotes: title: \"Thông báo: Lịch tiếp công dân\""),
            "{message}"
        );
    }

    #[test]
    fn a_title_in_brackets_is_told_to_be_quoted() {
        let text = "---\ntitle: [Thông báo]\n---\n";
        let errors = parse(&split(text).unwrap(), &[]).unwrap_err();
        assert_eq!(
            errors[0].2,
            "must be text, found a list; if it is meant as text, put it in quotes: \
             title: \"[Thông báo]\""
        );
    }

    #[test]
    fn a_hash_that_cuts_a_text_field_is_a_warning() {
        let text = "---\ntitle: Kết quả #1\ntags: a, b # ghi chú\ndraft: false # chưa\n\
                    date: 2024-03-01 # sửa\n---\n";
        let fm = parse(&split(text).unwrap(), &[]).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Kết quả"));
        let fields: Vec<_> = fm
            .warnings
            .iter()
            .map(|w| (w.0, w.1.clone().unwrap()))
            .collect();
        assert_eq!(
            fields,
            [
                (Some(2), "title".to_string()),
                (Some(3), "tags".to_string())
            ]
        );
    }

    #[test]
    fn refuses_front_matter_over_the_size_limit_before_parsing() {
        let text = format!("---\ntitle: A\nx: \"{}\"\n---\n", "a".repeat(70_000));
        let (line, _, message) =
            check_size(&split(&text).unwrap(), &Limits::default()).unwrap_err();
        assert_eq!(line, Some(2));
        assert!(message.contains("front_matter_bytes"), "{message}");
    }

    #[test]
    fn refuses_deep_nesting_with_the_line_where_it_goes_too_deep() {
        let limits = Limits::default();
        let flow = format!("---\ntitle: A\nx: {}\n---\n", "[".repeat(10_000));
        let (line, _, message) = check_size(&split(&flow).unwrap(), &limits).unwrap_err();
        assert_eq!(line, Some(3));
        assert!(message.contains("16 deep"), "{message}");
        let mut block = String::from("---\ntitle: A\nx:\n");
        for depth in 1..=20 {
            block.push_str(&format!("{}k:\n", "  ".repeat(depth)));
        }
        block.push_str("---\n");
        let (line, _, _) = check_size(&split(&block).unwrap(), &limits).unwrap_err();
        assert_eq!(line, Some(19));
        let list = format!("---\nx: \n{}a\n---\n", "- ".repeat(30));
        assert!(check_size(&split(&list).unwrap(), &limits).is_err());
    }

    #[test]
    fn ordinary_front_matter_passes_the_size_checks() {
        let text = "---\ntitle: \"Tin [nóng] {mới}\"\ntags: [a, b]\nextra:\n  a:\n    - x\n    - [y, z]\n---\n";
        assert!(check_size(&split(text).unwrap(), &Limits::default()).is_ok());
    }

    #[test]
    fn fields_are_cleaned_and_cut_to_their_limits_with_warnings() {
        let tags: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
        let text = format!(
            "---\ntitle: \"Tin\\e[31m \\0đỏ\"\nsummary: {}\ntags: [{}]\n---\n",
            "ư".repeat(6000),
            tags.join(", ")
        );
        let mut fm = parse(&split(&text).unwrap(), &[]).unwrap();
        let warnings = fit_fields(&mut fm, &Limits::default());
        assert_eq!(fm.title.as_deref(), Some("Tin[31m đỏ"));
        assert_eq!(fm.summary.as_ref().unwrap().chars().count(), 5000);
        assert_eq!(fm.tags.len(), 100);
        let found: Vec<_> = warnings
            .iter()
            .map(|(line, field, _)| (*line, field.clone().unwrap()))
            .collect();
        assert_eq!(
            found,
            [
                (Some(2), "title".to_string()),
                (Some(3), "summary".to_string()),
                (Some(4), "tags".to_string())
            ]
        );
    }
}
