//! A checked form written as an article file that looks hand-written: fields in the order of
//! the README's table ([`crate::content::fields::FIELDS`]), values quoted only when YAML needs
//! it, empty fields left out; the fields the form does not show (`slug`, `aliases`,
//! `updated`, a site's own fields, ...) kept exactly as the file had them.

use super::form::{Checked, Publish};
use crate::content::fields::FIELDS;

/// The fields the form edits; every other field of an existing file is kept as written.
const FORM_FIELDS: &[&str] = &[
    "title",
    "date",
    "category",
    "author",
    "author_title",
    "tags",
    "summary",
    "image",
    "image_caption",
    "draft",
    "featured",
];

/// `text` as a YAML scalar: as it is when YAML reads it back as the same text, else
/// double-quoted ([`crate::yaml::quote`]): `Thông báo: lịch`, `#1`, `- a`, `true`, `2024`
/// and texts with quotes are quoted.
pub fn scalar(text: &str) -> String {
    let plain_reads_back = !text.is_empty()
        && text.trim() == text
        && !text.contains(['\n', '\r', '\t', '"', '\''])
        && crate::yaml::parse_mapping(&format!("k: {text}"))
            .ok()
            .and_then(|fields| fields.into_iter().next())
            .is_some_and(|(_, value)| value.as_str() == Some(text));
    if plain_reads_back {
        text.to_string()
    } else {
        crate::yaml::quote(text)
    }
}

/// A list as YAML flow sequence (`[khoa học, "a, b"]`), each item quoted only when needed.
fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| {
            // Inside `[...]` more characters end or change an item (`,`, `]`, a leading
            // `:`); a plain item is used only when YAML reads it back there as the same text.
            let plain = scalar(item);
            let reads_back = !plain.starts_with('"')
                && crate::yaml::parse_mapping(&format!("k: [{plain}]"))
                    .ok()
                    .and_then(|fields| fields.into_iter().next())
                    .is_some_and(|(_, value)| {
                        value
                            .as_array()
                            .is_some_and(|v| v.len() == 1 && v[0].as_str() == Some(item))
                    });
            if reads_back {
                plain
            } else {
                crate::yaml::quote(item)
            }
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// The top-level fields of a front-matter YAML text, each with its lines as written (a key
/// line and the indented or list lines under it). Comment and blank lines go with the field
/// after them.
pub fn field_blocks(yaml: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut pending = String::new();
    for line in yaml.lines() {
        let starts_field = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        let key = starts_field
            .then(|| line.split_once(':'))
            .flatten()
            .map(|(key, _)| key.trim().trim_matches(['"', '\'']).to_string());
        match key {
            Some(key) => {
                let mut text = std::mem::take(&mut pending);
                text.push_str(line);
                text.push('\n');
                blocks.push((key, text));
            }
            None if line.trim().is_empty() || line.starts_with('#') => {
                pending.push_str(line);
                pending.push('\n');
            }
            None => match blocks.last_mut() {
                Some((_, text)) => {
                    text.push_str(line);
                    text.push('\n');
                }
                None => {
                    pending.push_str(line);
                    pending.push('\n');
                }
            },
        }
    }
    blocks
}

/// The article file's text for `checked`. `existing_yaml` is the front matter of the file
/// being edited (its other fields are kept), `None` for a new article.
pub fn article_text(checked: &Checked, existing_yaml: Option<&str>) -> String {
    let kept = existing_yaml.map(field_blocks).unwrap_or_default();
    let mut out = String::from("---\n");
    let optional = |text: &str| (!text.is_empty()).then(|| scalar(text));
    let mut written: Vec<(&str, Option<String>)> = Vec::new();
    for &(name, _) in FIELDS {
        let value = match name {
            "title" => Some(scalar(&checked.title)),
            "date" => Some(checked.date.format("%Y-%m-%d %H:%M").to_string()),
            "category" => Some(scalar(&checked.category)),
            "author" => optional(&checked.author),
            "author_title" => optional(&checked.author_title),
            "tags" => (!checked.tags.is_empty()).then(|| flow_list(&checked.tags)),
            "summary" => optional(&checked.summary),
            "image" => optional(&checked.image),
            "image_caption" => optional(&checked.image_caption),
            "draft" => (checked.publish == Publish::Draft).then(|| "true".to_string()),
            "featured" => checked.featured.then(|| "true".to_string()),
            _ => None,
        };
        written.push((name, value));
    }
    let mut kept_used = vec![false; kept.len()];
    for (name, value) in written {
        if FORM_FIELDS.contains(&name) {
            if let Some(value) = value {
                out.push_str(&format!("{name}: {value}\n"));
            }
        } else if let Some(i) = kept.iter().position(|(key, _)| key == name) {
            kept_used[i] = true;
            out.push_str(&kept[i].1);
        }
    }
    // The site's own fields (and anything else the file had), after the known ones.
    for (i, (key, text)) in kept.iter().enumerate() {
        if !kept_used[i] && !FORM_FIELDS.contains(&key.as_str()) {
            out.push_str(text);
        }
    }
    out.push_str("---\n\n");
    let body = checked.body.trim_matches('\n');
    if !body.is_empty() {
        out.push_str(body);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn checked(title: &str) -> Checked {
        Checked {
            title: title.into(),
            category: "Tin tức".into(),
            date: DateTime::parse_from_rfc3339("2026-12-01T08:30:00+07:00").unwrap(),
            author: "Nguyễn Văn A".into(),
            author_title: String::new(),
            tags: vec!["khoa học".into(), "a, b".into()],
            summary: String::new(),
            image: "anh-1.jpg".into(),
            image_caption: String::new(),
            featured: true,
            publish: Publish::Draft,
            body: "Nội dung.\n".into(),
        }
    }

    #[test]
    fn values_are_quoted_only_when_yaml_needs_it() {
        assert_eq!(scalar("Hội nghị tổng kết"), "Hội nghị tổng kết");
        assert_eq!(
            scalar("Thông báo: Lịch tiếp công dân"),
            "\"Thông báo: Lịch tiếp công dân\""
        );
        assert_eq!(scalar("Giờ 8:30"), "Giờ 8:30");
        for text in [
            "#1", "- a", "true", "2024", "a # b", "\"x\"", "'x'", "", "null", "[a]",
        ] {
            assert!(scalar(text).starts_with('"'), "{text}");
        }
    }

    #[test]
    fn a_new_article_looks_hand_written() {
        let text = article_text(&checked("Thông báo: lịch"), None);
        assert_eq!(
            text,
            "---\ntitle: \"Thông báo: lịch\"\ndate: 2026-12-01 08:30\ncategory: Tin tức\n\
             author: Nguyễn Văn A\ntags: [khoa học, \"a, b\"]\nimage: anh-1.jpg\ndraft: true\n\
             featured: true\n---\n\nNội dung.\n"
        );
    }

    #[test]
    fn fields_the_form_does_not_show_are_kept_as_written() {
        let existing = "title: Cũ\nslug: duong-dan\n# đường dẫn cũ\naliases:\n  - /a.aspx\n\
                        category: Tin tức\nnguon: Báo X\ndraft: true\n";
        let mut c = checked("Mới");
        c.publish = Publish::Now;
        let text = article_text(&c, Some(existing));
        assert!(!text.contains("draft"), "{text}");
        let expected_tail =
            "image: anh-1.jpg\nslug: duong-dan\n# đường dẫn cũ\naliases:\n  - /a.aspx\n\
                             featured: true\nnguon: Báo X\n---\n";
        assert!(text.contains(expected_tail), "{text}");
        assert!(text.starts_with("---\ntitle: Mới\n"), "{text}");
    }

    fn config() -> crate::config::Config {
        crate::config::Config::parse(
            "title: T\nbase_url: https://x.example/\ncategories:\n  - name: Tin tức\n  - name: \"Thông báo: khẩn\"\n",
        )
        .unwrap()
    }

    /// Text a clerk may type into a one-line field: Vietnamese, YAML's special characters,
    /// quotes, leading dashes and hashes.
    fn typed() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex(
            "[-#:'\"!&*?|>%@`,\\[\\]{} a-zA-ZđĐăâêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ0-9]{1,40}",
        )
        .unwrap()
        .prop_map(|s| crate::text::nfc(s.trim()).into_owned())
        .prop_filter("a title has a letter or digit", |s| {
            !crate::text::slug::slugify(s).is_empty()
        })
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_form_reads_back_the_same_through_the_builds_parser(
            title in typed(),
            author in typed(),
            summary in typed(),
            caption in typed(),
            tag in typed(),
            second_category in any::<bool>(),
            publish in 0..3u8,
            featured in any::<bool>(),
        ) {
            let category = if second_category { "Thông báo: khẩn" } else { "Tin tức" };
            let publish = [Publish::Draft, Publish::Now, Publish::Scheduled][publish as usize];
            let c = Checked {
                title: title.clone(),
                category: category.into(),
                date: DateTime::parse_from_rfc3339("2026-12-01T08:30:00+07:00").unwrap(),
                author: author.clone(),
                author_title: String::new(),
                tags: vec![tag.clone()],
                summary: summary.clone(),
                image: String::new(),
                image_caption: caption.clone(),
                featured,
                publish,
                body: "Nội dung: # không phải tiêu đề\n".into(),
            };
            let text = article_text(&c, None);
            let article = crate::content::article::parse_article("2026/12/x.md", &text, &config())
                .unwrap_or_else(|p| panic!("{p:?}\n{text}"));
            prop_assert_eq!(&article.title, &title, "{}", text);
            prop_assert_eq!(&article.category, category);
            prop_assert_eq!(article.author.as_deref(), Some(author.as_str()));
            prop_assert_eq!(article.summary.as_deref(), Some(summary.as_str()));
            prop_assert_eq!(article.image_caption.as_deref(), Some(caption.as_str()));
            prop_assert_eq!(&article.tags, &vec![tag.clone()]);
            prop_assert_eq!(article.draft, publish == Publish::Draft);
            prop_assert_eq!(article.featured, featured);
            prop_assert_eq!(article.date, c.date);
        }
    }
}
