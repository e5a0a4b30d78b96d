//! The mistakes editors make when they type front matter by hand, recognized from the YAML
//! parser's error and the lines around it, and explained in plain words with the fix: a
//! colon in an unquoted title, a tab for indentation, a value starting with a character YAML
//! reserves (`*`, `&`, `!`, `@`, `%`, `` ` ``, `|`, `>`, `[`, `{`), quotes that do not match,
//! a missing space after a colon or a full-width colon, a field written twice, a line of
//! text among the fields, a `#` that cuts a value. (Mistyped `---` lines: [`super::fences`].)
//!
//! Only the text is looked at here; the parser is in [`crate::yaml`]. [`explain`] gives
//! file lines (the caller says on which file line the YAML starts).

use super::fields::{self, Kind};
use crate::yaml::YamlError;

/// A recognized mistake: the file line, the field concerned (if any) and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// 1-based line in the file.
    pub line: usize,
    /// The field the line belongs to, when there is one.
    pub field: Option<String>,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
}

/// Characters that mean something to YAML at the start of a plain value, with words of the
/// parser's message when it trips on them (an error elsewhere on the line, or a real anchor
/// such as `&a [x]`, is not explained as this mistake).
const RESERVED: &[(char, &str)] = &[
    ('*', "anchor"),
    ('&', "anchor"),
    ('!', "tag"),
    ('@', "cannot start any token"),
    ('%', "cannot start any token"),
    ('`', "cannot start any token"),
    ('|', "block scalar"),
    ('>', "block scalar"),
];
/// Starts of a value that YAML reads as a list or mapping: a mistake for a field of text.
const STRUCTURE_STARTS: &[&str] = &["[", "{", "- ", "? "];

/// Explains a YAML error in front matter that starts on file line `first_line`, when it is
/// one of the mistakes this module knows; `None` otherwise (the parser's message is then
/// the best there is).
pub fn explain(
    yaml: &str,
    first_line: usize,
    error: &YamlError,
    declared: &[String],
) -> Option<Explanation> {
    let lines: Vec<&str> = yaml.lines().collect();
    if lines.is_empty() {
        return None;
    }
    // The parser's line, within the YAML (it may be one past the end).
    let at = error
        .line
        .unwrap_or(lines.len())
        .clamp(1, lines.len().max(1));
    let file_line = |i: usize| i + first_line - 1;
    let found = duplicate(&lines, &error.message)
        .or_else(|| tab(&lines, at))
        .or_else(|| full_width_colon(&lines, at))
        .or_else(|| unclosed_quote(&lines, &error.message))
        .or_else(|| on_the_line(&lines, at, &error.message, declared))
        .or_else(|| missing_space(&lines, at, &error.message))
        .or_else(|| not_a_field_line(&lines, at, &error.message))?;
    Some(Explanation {
        line: file_line(found.line),
        field: found.field,
        message: found
            .message
            .replace(OTHER_LINE, &file_line(found.other_line).to_string()),
    })
}

/// Stands for the file line of [`Found::other_line`] in a message: a NUL, which no text
/// from the file holds (control characters are removed when a file is read).
const OTHER_LINE: &str = "\u{0}";

/// A mistake found at a line of the YAML (1-based), with another line the message names.
struct Found {
    line: usize,
    field: Option<String>,
    message: String,
    other_line: usize,
}

impl Found {
    fn new(line: usize, field: Option<&str>, message: String) -> Found {
        Found {
            line,
            field: field.map(str::to_string),
            message,
            other_line: line,
        }
    }
}

/// A top-level `key: value` line: the key (without quotes) and the value (trimmed, with
/// any comment), or `None` for any other line.
pub fn entry(line: &str) -> Option<(&str, &str)> {
    if line.starts_with([' ', '\t', '#', '-', '?', ':', '[', '{']) || line.trim().is_empty() {
        return None;
    }
    let (key, rest) = match line.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let end = line[1..].find(q)? + 1;
            (&line[1..end], line[end + 1..].trim_start())
        }
        _ => {
            let at = line
                .char_indices()
                .find(|&(i, c)| {
                    c == ':' && line[i + 1..].chars().next().is_none_or(char::is_whitespace)
                })?
                .0;
            (line[..at].trim_end(), &line[at..])
        }
    };
    let value = rest.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    Some((key, value.trim()))
}

/// The field whose entry is on line `i` (1-based) or, for an indented line, above it.
fn owner<'a>(lines: &[&'a str], i: usize) -> Option<(usize, &'a str)> {
    (1..=i.min(lines.len()))
        .rev()
        .find_map(|j| entry(lines[j - 1]).map(|(key, _)| (j, key)))
}

/// How to call a field's value in a sentence: "the title", "the value".
fn noun(key: &str) -> String {
    match key {
        "title" | "summary" | "category" | "author" | "date" => format!("the {key}"),
        _ => "the value".into(),
    }
}

/// `text` in the quotes that need no escapes: `"…"`, else `'…'`, else `"…"` with escapes.
pub fn quoted(text: &str) -> String {
    let plain = !text.contains(['\\', '\n']) && !text.chars().any(char::is_control);
    if plain && !text.contains('"') {
        format!("\"{text}\"")
    } else if plain && !text.contains('\'') {
        format!("'{text}'")
    } else {
        crate::yaml::quote(text)
    }
}

/// `key: "value"`, the line to write instead.
fn fixed(key: &str, value: &str) -> String {
    format!("{key}: {}", quoted(value))
}

/// `duplicate entry with key "title"`: both lines of the field.
fn duplicate(lines: &[&str], message: &str) -> Option<Found> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .strip_suffix('"')?;
    let mut at = (1..=lines.len()).filter(|&i| entry(lines[i - 1]).is_some_and(|(k, _)| k == key));
    let first = at.next()?;
    let second = at.next()?;
    Some(Found {
        line: second,
        field: Some(key.to_string()),
        message: format!(
            "is written twice, here and on line {OTHER_LINE}: keep one of the two lines"
        ),
        other_line: first,
    })
}

/// A tab in the indentation of a line at or before the parser's line.
fn tab(lines: &[&str], at: usize) -> Option<Found> {
    let i = (1..=at).find(|&i| {
        let line = lines[i - 1];
        let rest = line.trim_start_matches([' ', '\t']);
        line[..line.len() - rest.len()].contains('\t') && !rest.is_empty()
    })?;
    let rest = lines[i - 1].trim_start_matches([' ', '\t']);
    let (field, fix) = match entry(rest) {
        Some((key, _)) => (
            Some(key),
            format!("remove it, so that `{key}:` starts at the beginning of the line"),
        ),
        None => (
            owner(lines, i).map(|(_, key)| key),
            "replace it with two spaces".to_string(),
        ),
    };
    Some(Found::new(
        i,
        field,
        format!(
            "this line starts with a tab, and front matter is indented with spaces only; {fix}"
        ),
    ))
}

/// A full-width colon `：` (from a Vietnamese or Chinese keyboard) after a field name.
fn full_width_colon(lines: &[&str], at: usize) -> Option<Found> {
    let i = (1..=at).find(|&i| {
        let line = lines[i - 1];
        !line.starts_with([' ', '\t', '#']) && line.contains('：') && entry(line).is_none()
    })?;
    let key = lines[i - 1].split('：').next().unwrap_or("").trim();
    Some(Found::new(
        i,
        Some(key).filter(|k| !k.is_empty()),
        format!(
            "the colon after `{key}` is a full-width `：`; type the ordinary colon `:` \
             (then a space)"
        ),
    ))
}

/// A quoted value whose closing quote is missing (the parser reaches the end).
fn unclosed_quote(lines: &[&str], message: &str) -> Option<Found> {
    if !message.contains("quoted scalar") || !message.contains("end of stream") {
        return None;
    }
    let (i, key, value) = (1..=lines.len()).find_map(|i| {
        let (key, value) = entry(lines[i - 1])?;
        let q = value.chars().next().filter(|&c| c == '"' || c == '\'')?;
        closing_quote(value, q).is_none().then_some((i, key, value))
    })?;
    let q = &value[..1];
    let text = value[1..].trim();
    Some(Found::new(
        i,
        Some(key),
        format!(
            "the quote mark {q} that starts {} is never closed; end it on the same line: {}",
            noun(key),
            fixed(key, text)
        ),
    ))
}

/// The byte offset of the quote that closes a value starting with `q`, if there is one.
fn closing_quote(value: &str, q: char) -> Option<usize> {
    let bytes = value.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == '"' => i += 2,
            b'\'' if q == '\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == q as u8 => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Mistakes on the parser's line itself: a colon, quotes, a reserved first character.
fn on_the_line(lines: &[&str], at: usize, message: &str, declared: &[String]) -> Option<Found> {
    let line = *lines.get(at - 1)?;
    let Some((key, value)) = entry(line) else {
        return continued_value(lines, at, message, declared);
    };
    let kind = fields::kind(key);
    let subject = noun(key);
    if let Some(q) = value.chars().next().filter(|&c| c == '"' || c == '\'') {
        let end = closing_quote(value, q)?;
        let after = value[end + 1..].trim();
        if after.is_empty() || after.starts_with('#') {
            return None;
        }
        let message = if value.ends_with(q) && value.len() > 1 {
            let inner = &value[1..value.len() - 1];
            format!(
                "{subject} is in quote marks {q} and has the same quote mark inside, which ends \
                 it too early; use the other kind of quote marks around it: {}",
                fixed(key, inner)
            )
        } else {
            format!(
                "{subject} starts with a quote mark, so it must end with one; put the whole \
                 {} in quotes: {}",
                subject.trim_start_matches("the "),
                fixed(key, value)
            )
        };
        return Some(Found::new(at, Some(key), message));
    }
    let first = value.chars().next()?;
    let structure = STRUCTURE_STARTS.iter().find(|s| value.starts_with(**s));
    let text_field =
        matches!(kind, Some(Kind::Text)) || (kind.is_none() && !declared.iter().any(|d| d == key));
    let reserved = RESERVED
        .iter()
        .any(|&(c, words)| c == first && message.contains(words));
    if reserved || (structure.is_some() && text_field) {
        let shown = match structure.map_or(first.to_string(), |s| s.trim().to_string()) {
            tick if tick == "`" => "a backquote `".to_string(),
            other => format!("`{other}`"),
        };
        return Some(Found::new(
            at,
            Some(key),
            format!(
                "{subject} starts with {shown}, which has a special meaning at the start of a \
                 value; put {subject} in quotes: {}",
                fixed(key, value)
            ),
        ));
    }
    if value.starts_with('[') && matches!(kind, Some(Kind::List)) && !value.contains(']') {
        return Some(Found::new(
            at,
            Some(key),
            format!(
                "the list is not closed: end it with `]` on the same line, as in {key}: [a, b]"
            ),
        ));
    }
    if message.contains("mapping values") && (value.contains(": ") || value.ends_with(':')) {
        return Some(Found::new(
            at,
            Some(key),
            format!(
                "{subject} has a colon followed by a space (`: `), which front matter reads as \
                 the start of another field; put {subject} in quotes: {}",
                fixed(key, value)
            ),
        ));
    }
    None
}

/// An indented line with `: ` in it: a field indented by mistake, or the continuation of the
/// value above (a long summary broken over two lines) that has a colon.
fn continued_value(lines: &[&str], at: usize, message: &str, declared: &[String]) -> Option<Found> {
    let line = lines[at - 1];
    let rest = line.trim_start_matches(' ');
    if rest.len() == line.len() || !message.contains("mapping values") {
        return None;
    }
    if let Some((key, _)) = entry(rest) {
        if fields::kind(key).is_some() || declared.iter().any(|d| d == key) {
            return Some(Found::new(
                at,
                Some(key),
                format!(
                    "this line starts with spaces, but a field starts at the beginning of its \
                     line; remove the spaces before `{key}:`"
                ),
            ));
        }
    }
    let (j, key) = owner(lines, at)?;
    let (_, first) = entry(lines[j - 1])?;
    let mut whole = first.to_string();
    for part in &lines[j..at] {
        whole.push(' ');
        whole.push_str(part.trim());
    }
    let subject = noun(key);
    Some(Found {
        line: at,
        field: Some(key.to_string()),
        message: format!(
            "this line continues {subject} of line {OTHER_LINE} and has a colon followed by a space \
             (`: `), which front matter reads as the start of another field; put the whole \
             {} on one line, in quotes: {}",
            subject.trim_start_matches("the "),
            fixed(key, whole.trim())
        ),
        other_line: j,
    })
}

/// `title:Bài` on the line before the parser's: YAML needs a space after the colon.
fn missing_space(lines: &[&str], at: usize, message: &str) -> Option<Found> {
    if !message.contains("mapping values") && !message.contains("could not find expected ':'") {
        return None;
    }
    let i = (1..at).rev().find(|&i| !lines[i - 1].trim().is_empty())?;
    let line = lines[i - 1];
    if line.starts_with([' ', '\t', '#', '-', '"', '\'']) || entry(line).is_some() {
        return None;
    }
    let (key, value) = line.split_once(':')?;
    if key.is_empty() || (key.contains(' ') && fields::kind(key.trim()).is_none()) {
        return None;
    }
    let key = key.trim();
    Some(Found::new(
        i,
        Some(key),
        format!("a space is needed after the colon: {key}: {}", value.trim()),
    ))
}

/// A line at or before the parser's that is neither a field nor part of one: text of the
/// article above a missing closing `---`, or a line that belongs to the field above.
fn not_a_field_line(lines: &[&str], at: usize, message: &str) -> Option<Found> {
    if !message.contains("mapping values") && !message.contains("could not find expected ':'") {
        return None;
    }
    let i = (1..=at).rev().find(|&i| {
        let line = lines[i - 1];
        !line.trim().is_empty() && !line.starts_with([' ', '\t', '#', '-']) && !line.contains(':')
    })?;
    let shown: String = lines[i - 1].chars().take(60).collect();
    Some(Found::new(
        i,
        None,
        format!(
            "`{shown}` is not a `field: value` line; if it belongs to the field above, put it \
             on that field's line; if it is the article's text, the front matter needs its \
             closing `---` line before it"
        ),
    ))
}

/// A value whose end YAML reads as a note (`title: Kết quả #1` or `title: #1 Thông báo`):
/// the text before ` #` (trimmed; empty when the value starts with `#`) and the note.
/// `None` for a value without a note, and for quoted or bracketed values (a note after
/// them cuts nothing).
pub fn comment_in_value(value: &str) -> Option<(&str, &str)> {
    if value.starts_with(['"', '\'', '[', '{', '|', '>']) {
        return None;
    }
    if value.starts_with('#') {
        return Some(("", value));
    }
    let at = value
        .char_indices()
        .find(|&(i, c)| c == '#' && value[..i].ends_with([' ', '\t']))?
        .0;
    Some((value[..at].trim_end(), &value[at..]))
}

/// The problem with a value cut by a `#` (see [`comment_in_value`]), for a field of text:
/// `Err` when nothing is left of it, `Ok` (a warning) when only its end is lost.
pub fn cut_by_comment(key: &str, value: &str) -> Option<Result<String, String>> {
    let (before, note) = comment_in_value(value)?;
    let subject = noun(key);
    let fix = fixed(key, value);
    Some(if before.is_empty() {
        Err(format!(
            "is empty, because front matter reads a `#` at the start of a value, and all \
             after it, as a note; put {subject} in quotes: {fix}"
        ))
    } else {
        Ok(format!(
            "the text from `#` on (`{note}`) is read as a note and left out, so {subject} is \
             only `{before}`; to keep it, put {subject} in quotes: {fix}"
        ))
    })
}

/// What to add to "must be text, found a list" when the value was written in brackets
/// (`title: [Thông báo]`): it may be meant as text.
pub fn brackets_hint(key: &str, written: &str) -> Option<String> {
    written.starts_with(['[', '{']).then(|| {
        format!(
            "; if it is meant as text, put it in quotes: {}",
            fixed(key, written)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The explanation of the YAML error of front matter `yaml` (file line 2 onwards).
    fn explained(yaml: &str) -> Explanation {
        let error = crate::yaml::parse_mapping(yaml).expect_err("a YAML error");
        explain(yaml, 2, &error, &[]).unwrap_or_else(|| panic!("not explained: {error:?}"))
    }

    #[test]
    fn reads_entries() {
        assert_eq!(entry("title: A: b"), Some(("title", "A: b")));
        assert_eq!(entry("title:"), Some(("title", "")));
        assert_eq!(entry("\"ti tle\" : x"), Some(("ti tle", "x")));
        assert_eq!(entry("Tác giả: Y"), Some(("Tác giả", "Y")));
        assert_eq!(
            entry("url: https://x.vn/a"),
            Some(("url", "https://x.vn/a"))
        );
        assert_eq!(entry("  date: x"), None);
        assert_eq!(entry("- a: b"), None);
        assert_eq!(entry("title:Bài"), None);
        assert_eq!(entry("Nội dung"), None);
    }

    #[test]
    fn a_colon_in_a_title_says_to_quote_it() {
        let e = explained("title: Thông báo: Lịch tiếp công dân\ndate: 2024-03-01\n");
        assert_eq!(e.line, 2);
        assert_eq!(e.field.as_deref(), Some("title"));
        assert_eq!(
            e.message,
            "the title has a colon followed by a space (`: `), which front matter reads as the \
             start of another field; put the title in quotes: title: \"Thông báo: Lịch tiếp \
             công dân\""
        );
        let e = explained("title: A\nsummary: Ghi chú: buổi sáng\n");
        assert_eq!((e.line, e.field.as_deref()), (3, Some("summary")));
        assert!(
            e.message.ends_with("summary: \"Ghi chú: buổi sáng\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_quoted_fix_uses_the_quotes_the_text_does_not_have() {
        assert_eq!(quoted("a: b"), "\"a: b\"");
        assert_eq!(quoted("Hội nghị \"Xanh\""), "'Hội nghị \"Xanh\"'");
        assert_eq!(quoted("\"Xanh\" và 'Sạch'"), "\"\\\"Xanh\\\" và 'Sạch'\"");
        for text in ["a: b", "Hội nghị \"Xanh\"", "\"Xanh\" và 'Sạch'", "C:\\tệp"] {
            let yaml = format!("t: {}\n", quoted(text));
            let map = crate::yaml::parse_mapping(&yaml).unwrap();
            assert_eq!(map[0].1.as_str(), Some(text), "{yaml}");
        }
    }

    #[test]
    fn a_tab_for_indentation_is_named_with_its_field() {
        let e = explained("title: A\n\tdate: 2024-03-01\ncategory: C\n");
        assert_eq!((e.line, e.field.as_deref()), (3, Some("date")));
        assert!(
            e.message.starts_with("this line starts with a tab"),
            "{}",
            e.message
        );
        assert!(e
            .message
            .ends_with("so that `date:` starts at the beginning of the line"));
        let e = explained("title: A\ntags:\n\t- a\n");
        assert_eq!((e.line, e.field.as_deref()), (4, Some("tags")));
        assert!(
            e.message.ends_with("replace it with two spaces"),
            "{}",
            e.message
        );
    }

    #[test]
    fn reserved_first_characters_say_to_quote() {
        for (value, shown) in [
            ("*Quan trọng* họp", "`*`"),
            ("& và", "`&`"),
            ("@Sở KHCN thông báo", "`@`"),
            ("%50 dân số", "`%`"),
            ("`mã` họp", "a backquote `"),
            ("!Khẩn", "`!`"),
            ("| Thông báo", "`|`"),
            ("> 50 người", "`>`"),
            ("[Thông báo] Lịch họp", "`[`"),
            ("{Thông báo} Lịch họp", "`{`"),
            ("- Thông báo", "`-`"),
            ("? hỏi", "`?`"),
        ] {
            let e = explained(&format!("title: {value}\ndate: 2024-03-01\n"));
            assert_eq!((e.line, e.field.as_deref()), (2, Some("title")), "{value}");
            assert_eq!(
                e.message,
                format!(
                    "the title starts with {shown}, which has a special meaning at the start \
                     of a value; put the title in quotes: title: {}",
                    quoted(value)
                ),
                "{value}"
            );
        }
    }

    #[test]
    fn mismatched_quotes_are_explained() {
        let e = explained("title: \"Hội nghị\" tổng kết\ndate: 2024-03-01\n");
        assert!(
            e.message
                .ends_with("put the whole title in quotes: title: '\"Hội nghị\" tổng kết'"),
            "{}",
            e.message
        );
        let e = explained("title: \"Hội nghị \"Xanh\" 2024\"\ndate: 2024-03-01\n");
        assert!(
            e.message.ends_with(
                "use the other kind of quote marks around it: title: 'Hội nghị \"Xanh\" 2024'"
            ),
            "{}",
            e.message
        );
        let e = explained("title: \"Bài viết\ndate: 2024-03-01\ncategory: C\n");
        assert_eq!((e.line, e.field.as_deref()), (2, Some("title")));
        assert!(
            e.message
                .ends_with("end it on the same line: title: \"Bài viết\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn colons_without_a_space_or_full_width_are_named_on_their_line() {
        let e = explained("title:Bài\ndate: 2024-03-01\n");
        assert_eq!((e.line, e.field.as_deref()), (2, Some("title")));
        assert_eq!(e.message, "a space is needed after the colon: title: Bài");
        let e = explained("title： Bài\ndate: 2024-03-01\n");
        assert_eq!((e.line, e.field.as_deref()), (2, Some("title")));
        assert!(e.message.contains("full-width `：`"), "{}", e.message);
    }

    #[test]
    fn an_indented_field_and_a_broken_value_are_told_apart() {
        let e = explained("title: A\n  date: 2024-03-01\n");
        assert_eq!((e.line, e.field.as_deref()), (3, Some("date")));
        assert!(
            e.message.contains("remove the spaces before `date:`"),
            "{}",
            e.message
        );
        let e = explained("summary: Một tóm tắt dài\n  tiếp theo: hết\ntitle: A\n");
        assert_eq!((e.line, e.field.as_deref()), (3, Some("summary")));
        assert!(
            e.message.contains("continues the summary of line 2")
                && e.message
                    .ends_with("summary: \"Một tóm tắt dài tiếp theo: hết\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_field_written_twice_names_both_lines() {
        let e = explained("title: A\ndate: 2024-03-01\ntitle: B\n");
        assert_eq!((e.line, e.field.as_deref()), (4, Some("title")));
        assert_eq!(
            e.message,
            "is written twice, here and on line 2: keep one of the two lines"
        );
    }

    #[test]
    fn text_without_a_colon_inside_front_matter_points_at_the_closing_fence() {
        let e = explained("title: A\nNội dung bài viết\ndate: 2024-03-01\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("closing `---`"), "{}", e.message);
    }

    #[test]
    fn a_real_anchor_is_not_taken_for_a_mistake() {
        let yaml = "a: &a [\"x\", \"x\"]\nb: [*a, *a]\ntitle: A\n";
        let error = YamlError {
            message: "repetition limit exceeded".into(),
            line: Some(1),
        };
        assert_eq!(explain(yaml, 2, &error, &[]), None);
    }

    #[test]
    fn other_errors_are_left_to_the_parser() {
        let yaml = "%YAML 1.2\ntitle: A\n";
        let error = crate::yaml::parse_mapping(yaml).unwrap_err();
        assert_eq!(explain(yaml, 2, &error, &[]), None);
    }

    #[test]
    fn a_hash_cuts_plain_values_only() {
        assert_eq!(
            comment_in_value("Kết quả #1 của Sở"),
            Some(("Kết quả", "#1 của Sở"))
        );
        assert_eq!(comment_in_value("#1 Thông báo"), Some(("", "#1 Thông báo")));
        assert_eq!(comment_in_value("Số#1"), None);
        assert_eq!(comment_in_value("\"Kết quả #1\""), None);
        assert_eq!(comment_in_value("[a, b] # ghi chú"), None);
        let Some(Ok(warning)) = cut_by_comment("title", "Kết quả #1 của Sở") else {
            panic!()
        };
        assert!(warning.contains("the title is only `Kết quả`"), "{warning}");
        assert!(
            warning.ends_with("title: \"Kết quả #1 của Sở\""),
            "{warning}"
        );
        assert!(matches!(
            cut_by_comment("title", "#1 Thông báo"),
            Some(Err(_))
        ));
    }
}
