//! The front-matter fields trangtin knows, the site's own fields (`extra_fields` in
//! config.yaml), and what to tell an editor who writes any other field: its closest known
//! name, or the setting that declares it.
//!
//! Field names are compared exactly: `Title:` and `Tác giả:` are not fields. They are not
//! taken as aliases, so that every file spells a field one way, the way `trangtin new`, the
//! README and the templates do; instead the error names the field meant, found by comparing
//! without case or diacritics (`Title` → `title`) and through a table of the Vietnamese and
//! English words editors use for them (`Tác giả` → `author`, `description` → `summary`).

use crate::config::{Config, CONFIG_FILE};
use crate::error::Problem;
use crate::text::{closest, search_key};
use std::path::Path;

/// What a field holds, which decides how its value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One text (numbers and `true`/`false` are written out).
    Text,
    /// A list of texts, or one text.
    List,
    /// `true` or `false`.
    Flag,
}

/// Every field trangtin reads, in the order of the README's front-matter table.
pub const FIELDS: &[(&str, Kind)] = &[
    ("title", Kind::Text),
    ("date", Kind::Text),
    ("updated", Kind::Text),
    ("category", Kind::Text),
    ("author", Kind::Text),
    ("author_title", Kind::Text),
    ("tags", Kind::List),
    ("summary", Kind::Text),
    ("image", Kind::Text),
    ("image_caption", Kind::Text),
    ("image_alt", Kind::Text),
    ("draft", Kind::Flag),
    ("slug", Kind::Text),
    ("aliases", Kind::List),
    ("featured", Kind::Flag),
    ("related", Kind::List),
    ("attachments", Kind::List),
    ("documents", Kind::List),
    ("layout", Kind::Text),
    ("lang", Kind::Text),
    ("translation_key", Kind::Text),
];

/// What the field `name` holds, if trangtin reads it.
pub fn kind(name: &str) -> Option<Kind> {
    FIELDS.iter().find(|(n, _)| *n == name).map(|&(_, k)| k)
}

/// The names of the fields trangtin reads.
pub fn known() -> impl Iterator<Item = &'static str> + Clone {
    FIELDS.iter().map(|&(name, _)| name)
}

/// Words editors write for a field, folded (lower case, no diacritics, no spaces, `_` or
/// `-`), with the field they mean.
const SYNONYMS: &[(&str, &str)] = &[
    ("tieude", "title"),
    ("tenbai", "title"),
    ("tuade", "title"),
    ("tua", "title"),
    ("headline", "title"),
    ("ngay", "date"),
    ("ngaydang", "date"),
    ("ngayviet", "date"),
    ("ngaythang", "date"),
    ("thoigian", "date"),
    ("ngayxuatban", "date"),
    ("ngaycapnhat", "updated"),
    ("capnhat", "updated"),
    ("lastmod", "updated"),
    ("modified", "updated"),
    ("chuyenmuc", "category"),
    ("danhmuc", "category"),
    ("muc", "category"),
    ("theloai", "category"),
    ("categories", "category"),
    ("tacgia", "author"),
    ("nguoiviet", "author"),
    ("nguoidang", "author"),
    ("butdanh", "author"),
    ("chucvu", "author_title"),
    ("chucdanh", "author_title"),
    ("the", "tags"),
    ("tukhoa", "tags"),
    ("nhan", "tags"),
    ("keywords", "tags"),
    ("tomtat", "summary"),
    ("tomluoc", "summary"),
    ("sapo", "summary"),
    ("mota", "summary"),
    ("description", "summary"),
    ("excerpt", "summary"),
    ("anh", "image"),
    ("hinh", "image"),
    ("hinhanh", "image"),
    ("anhdaidien", "image"),
    ("anhbia", "image"),
    ("thumbnail", "image"),
    ("cover", "image"),
    ("chuthich", "image_caption"),
    ("chuthichanh", "image_caption"),
    ("caption", "image_caption"),
    ("motaanh", "image_alt"),
    ("alt", "image_alt"),
    ("nhap", "draft"),
    ("bannhap", "draft"),
    ("duongdan", "slug"),
    ("url", "slug"),
    ("duongdancu", "aliases"),
    ("redirectfrom", "aliases"),
    ("noibat", "featured"),
    ("tinnoibat", "featured"),
    ("lienquan", "related"),
    ("tinlienquan", "related"),
    ("bailienquan", "related"),
    ("dinhkem", "attachments"),
    ("tepdinhkem", "attachments"),
    ("taptindinhkem", "attachments"),
    ("filedinhkem", "attachments"),
    ("vanban", "documents"),
    ("vanbanlienquan", "documents"),
    ("bocuc", "layout"),
    ("kieutrang", "layout"),
];

/// `key` folded for the synonym table: `Tác giả` → `tacgia`, `Image-Caption` → `imagecaption`.
pub(super) fn folded(key: &str) -> String {
    search_key(key)
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .collect()
}

/// The field an editor most likely meant by `key`: a synonym, a spelling that differs only
/// in case, diacritics or separators, or a close typo of a known or declared field.
pub fn meant<'a>(key: &str, declared: &'a [String]) -> Option<&'a str> {
    let folded_key = folded(key);
    let names = || {
        let known = known().map(|name| -> &'a str { name });
        known.chain(declared.iter().map(String::as_str))
    };
    if let Some(name) = names().find(|name| folded(name) == folded_key) {
        return Some(name);
    }
    if let Some(&(_, field)) = SYNONYMS.iter().find(|(word, _)| *word == folded_key) {
        return Some(field);
    }
    closest(key, names())
}

/// The message for a front-matter field that is neither known nor declared in config.yaml
/// (`extra_fields`), to go after ``field `sumary`: ``.
pub fn unknown_message(key: &str, declared: &[String]) -> String {
    // Keys YAML reads as something else than text: a list, a mapping, a number, a null, a
    // boolean (their text is how `crate::yaml` writes them).
    let not_text = matches!(search_key(key).as_str(), "null" | "true" | "false");
    if not_text || key.starts_with(['[', '{']) || !key.chars().any(char::is_alphabetic) {
        return "is not a field name: a field is a word followed by a colon, such as `title:`"
            .into();
    }
    match meant(key, declared) {
        Some(field) if folded(field) == folded(key) => format!(
            "unknown field; did you mean `{field}`? (write the field name exactly so: \
             `{field}:`)"
        ),
        Some(field) if !key.is_ascii() => format!(
            "unknown field; did you mean `{field}`? (field names are English words: write \
             `{field}:` instead of `{key}:`)"
        ),
        Some(field) => format!("unknown field; did you mean `{field}`?"),
        None => format!(
            "unknown field: trangtin does not use it. Remove it, or, if the site's templates \
             show it, add `{key}` to `extra_fields` in {CONFIG_FILE}"
        ),
    }
}

/// Problems with `extra_fields` in the config.yaml of the site at `root`: a declared name
/// that is already a field trangtin reads would never reach `article.extra`.
pub fn check_declared(config: &Config, root: &Path) -> Vec<Problem> {
    let known: Vec<&String> = config
        .extra_fields
        .iter()
        .filter(|name| kind(name).is_some())
        .collect();
    if known.is_empty() {
        return Vec::new();
    }
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    let line = crate::yaml::line_of_key(&text, "extra_fields");
    known
        .into_iter()
        .map(|name| {
            Problem::error(
                CONFIG_FILE,
                format!(
                    "`{name}` is a field trangtin reads itself (see the list of front-matter \
                     fields); remove it from the list"
                ),
            )
            .in_field("extra_fields")
            .at_line(line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(key: &str) -> String {
        unknown_message(key, &["nguon".to_string(), "so_van_ban".to_string()])
    }

    #[test]
    fn typos_of_known_fields_get_the_field() {
        assert_eq!(message("sumary"), "unknown field; did you mean `summary`?");
        assert_eq!(
            message("feature"),
            "unknown field; did you mean `featured`?"
        );
        assert_eq!(message("tag"), "unknown field; did you mean `tags`?");
        assert_eq!(
            message("categroy"),
            "unknown field; did you mean `category`?"
        );
        assert_eq!(
            message("categories"),
            "unknown field; did you mean `category`?"
        );
    }

    #[test]
    fn case_and_separators_are_not_fields_but_are_recognized() {
        let text = message("Title");
        assert!(
            text.starts_with("unknown field; did you mean `title`?"),
            "{text}"
        );
        assert!(text.contains("exactly so: `title:`"), "{text}");
        assert!(message("Image-Caption").contains("`image_caption`"));
        assert!(message("Nguồn").contains("`nguon`"));
        assert!(message("so van ban").contains("`so_van_ban`"));
    }

    #[test]
    fn vietnamese_names_of_fields_get_the_english_field() {
        for (key, field) in [
            ("tiêu đề", "title"),
            ("Tiêu đề", "title"),
            ("Tác giả", "author"),
            ("tac_gia", "author"),
            ("ngày", "date"),
            ("Ngày đăng", "date"),
            ("chuyên mục", "category"),
            ("Chuyên mục", "category"),
            ("tóm tắt", "summary"),
            ("thẻ", "tags"),
            ("từ khóa", "tags"),
            ("ảnh", "image"),
            ("chú thích", "image_caption"),
            ("tệp đính kèm", "attachments"),
            ("nổi bật", "featured"),
            ("description", "summary"),
        ] {
            let text = message(key);
            assert!(
                text.starts_with(&format!("unknown field; did you mean `{field}`?")),
                "{key}: {text}"
            );
        }
        assert!(message("Tác giả").contains("write `author:` instead of `Tác giả:`"));
    }

    #[test]
    fn a_field_nothing_is_close_to_points_at_extra_fields() {
        let text = message("nhuan_but");
        assert!(
            text.starts_with("unknown field: trangtin does not use it"),
            "{text}"
        );
        assert!(
            text.contains("add `nhuan_but` to `extra_fields` in config.yaml"),
            "{text}"
        );
    }

    #[test]
    fn keys_without_letters_are_not_field_names() {
        assert!(message("1").starts_with("is not a field name"));
        assert!(message("[a, b]").starts_with("is not a field name"));
        assert!(message("null").starts_with("is not a field name"));
        assert!(message("True").starts_with("is not a field name"));
    }

    #[test]
    fn every_synonym_names_a_known_field_and_is_folded() {
        for (word, field) in SYNONYMS {
            assert!(kind(field).is_some(), "{word} → {field}");
            assert_eq!(&folded(word), word);
            assert!(kind(word).is_none(), "{word} is a field itself");
        }
    }

    #[test]
    fn declaring_a_known_field_is_a_config_error_at_its_line() {
        let text = "title: X\nextra_fields: [nguon, title]\n";
        let config = Config::parse(text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        let problems = check_declared(&config, dir.path());
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "config.yaml:2: field `extra_fields`: `title` is a field trangtin reads itself \
             (see the list of front-matter fields); remove it from the list"
        );
    }
}
