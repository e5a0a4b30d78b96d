//! The only module that knows the YAML crate. Swapping serde_yaml for a maintained fork
//! (serde_yml, serde_norway, ...) means changing this file and Cargo.toml, nothing else.

use serde::de::DeserializeOwned;
use std::fmt;

/// A YAML error with the 1-based line within the YAML text, where the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The parser's message, without its own "at line ..." suffix.
    pub message: String,
    /// 1-based line within the YAML text given to the parser.
    pub line: Option<usize>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<serde_yaml::Error> for YamlError {
    fn from(err: serde_yaml::Error) -> Self {
        let line = err.location().map(|l| l.line());
        YamlError {
            message: strip_location(&err.to_string()),
            line,
        }
    }
}

/// Removes the parser's " at line L column C" from a message; we report lines ourselves.
fn strip_location(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[at + " at line ".len()..];
    let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let mut end = digits(rest);
    if let Some(col) = rest[end..].strip_prefix(" column ") {
        end += " column ".len() + digits(col);
    }
    strip_location(&format!("{}{}", &message[..at], &rest[end..]))
}

/// Deserializes a typed value (the site configuration) from YAML text.
/// An empty document gives the type's value for an empty mapping.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.trim().is_empty() {
        return Ok(serde_yaml::from_str("{}")?);
    }
    Ok(serde_yaml::from_str(text)?)
}

/// Parses a YAML mapping (front matter) into its top-level keys and template values, in order.
/// An empty document is an empty mapping; any other non-mapping document is an error.
pub fn parse_mapping(text: &str) -> Result<Vec<(String, tera::Value)>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text)?;
    match value {
        serde_yaml::Value::Null => Ok(Vec::new()),
        serde_yaml::Value::Mapping(map) => Ok(map
            .into_iter()
            .map(|(k, v)| (key_to_string(k), to_tera(v)))
            .collect()),
        _ => Err(YamlError {
            message: "front matter must be a list of `field: value` lines".into(),
            line: Some(1),
        }),
    }
}

/// A mapping key as text: strings as they are, anything else on one line as YAML's flow
/// style writes it (`1`, `null`, `[a, b]`, `{a: b}`), so that a message can name it.
fn key_to_string(key: serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s,
        other => one_line(&other),
    }
}

fn one_line(value: &serde_yaml::Value) -> String {
    use serde_yaml::Value as Y;
    match value {
        Y::String(s) => s.clone(),
        Y::Sequence(items) => {
            let items: Vec<String> = items.iter().map(one_line).collect();
            format!("[{}]", items.join(", "))
        }
        Y::Mapping(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", one_line(k), one_line(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Y::Tagged(tagged) => one_line(&tagged.value),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

/// A YAML double-quoted scalar: safe for any text (quotes, colons, `#`, newlines, ...).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn to_tera(value: serde_yaml::Value) -> tera::Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => tera::Value::none(),
        Y::Bool(b) => b.into(),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into()
            }
        }
        Y::String(s) => s.into(),
        Y::Sequence(items) => items.into_iter().map(to_tera).collect::<Vec<_>>().into(),
        Y::Mapping(map) => {
            let mut out = tera::Map::new();
            for (k, v) in map {
                out.insert(key_to_string(k).into(), to_tera(v));
            }
            tera::Value::from(out)
        }
        Y::Tagged(tagged) => to_tera(tagged.value),
    }
}

/// The 1-based line of a top-level `key:` in YAML text, so that errors about a field's value
/// can point at it.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let quoted = |q: char| line.strip_prefix(q)?.strip_prefix(key)?.strip_prefix(q);
            let rest = line
                .strip_prefix(key)
                .or_else(|| quoted('"'))
                .or_else(|| quoted('\''));
            rest.is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// The 1-based line of a value inside block-style YAML text, by its path: keys, and list
/// positions (from 0) as numbers: `["sidebar_blocks", "1", "alt"]` is the line of `alt:` in
/// the second block. Where a step is not found (flow style such as `{alt: x}`, a missing
/// key), the line of the deepest step found.
pub fn line_of_path(text: &str, path: &[&str]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    // The column and text of a line's content from byte `from` (after a list item's `- `);
    // none for blank and comment lines.
    let content = |i: usize, from: usize| -> Option<(usize, &str)> {
        let line = lines[i];
        let rest = line.get(from..)?.trim_start_matches(' ');
        (!rest.is_empty() && !rest.starts_with('#')).then(|| (line.len() - rest.len(), rest))
    };
    let is_item = |rest: &str| rest == "-" || rest.starts_with("- ");
    let (mut start, mut end, mut from) = (0, lines.len(), 0);
    let mut found = None;
    for step in path {
        let index = step.parse::<usize>().ok();
        let mut column = None;
        let mut items = 0;
        let mut hit = None;
        for i in start..end {
            let Some((col, rest)) = content(i, if i == start { from } else { 0 }) else {
                continue;
            };
            let wanted = *column.get_or_insert(col);
            if col < wanted {
                break;
            }
            if col > wanted {
                continue;
            }
            let matched = match index {
                Some(n) if is_item(rest) => {
                    items += 1;
                    items == n + 1
                }
                Some(_) => break,
                None => {
                    !is_item(rest)
                        && rest
                            .strip_prefix(step)
                            .is_some_and(|r| r.trim_start().starts_with(':'))
                }
            };
            if matched {
                hit = Some((i, col, rest));
                break;
            }
        }
        let Some((i, col, rest)) = hit else {
            return found;
        };
        found = Some(i + 1);
        let item = is_item(rest);
        // The value's lines are deeper than `col`; under a key, a list may sit at `col` too.
        let stop = (i + 1..end)
            .find(|&j| {
                content(j, 0).is_some_and(|(c, r)| c < col || (c == col && (item || !is_item(r))))
            })
            .unwrap_or(end);
        (start, end, from) = if item {
            let inner = rest[1..].trim_start_matches(' ');
            (i, stop, lines[i].len() - inner.len())
        } else {
            (i + 1, stop, 0)
        };
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_of_a_nested_key_by_its_path() {
        let text = "title: X\nsidebar_blocks:\n  - title: A\n    links: []\n\n  # note\n  -\n    title: B\n    alt: x\nhome_blocks:\n- {image: /a.png}\n- image: /b.png\n  alt: y\n";
        assert_eq!(line_of_path(text, &["sidebar_blocks"]), Some(2));
        assert_eq!(
            line_of_path(text, &["sidebar_blocks", "0", "links"]),
            Some(4)
        );
        assert_eq!(line_of_path(text, &["sidebar_blocks", "1", "alt"]), Some(9));
        assert_eq!(
            line_of_path(text, &["sidebar_blocks", "1", "title"]),
            Some(8)
        );
        assert_eq!(line_of_path(text, &["home_blocks", "1", "alt"]), Some(13));
        assert_eq!(line_of_path(text, &["home_blocks", "1", "image"]), Some(12));
        // Flow style and missing steps: the deepest step found.
        assert_eq!(line_of_path(text, &["home_blocks", "0", "image"]), Some(11));
        assert_eq!(line_of_path(text, &["sidebar_blocks", "0", "alt"]), Some(3));
        assert_eq!(line_of_path(text, &["nothing"]), None);
    }

    #[test]
    fn finds_a_child_key_under_its_parent_only() {
        let text = "primary: x\ntheme_settings:\n  # colours\n  accent: a\n  primary: b\nz: 1\n";
        let child = |text, parent, child| line_of_path(text, &[parent, child]);
        assert_eq!(child(text, "theme_settings", "primary"), Some(5));
        assert_eq!(child(text, "theme_settings", "font"), Some(2));
        assert_eq!(child("a: 1\nt: {primary: x}\n", "t", "primary"), Some(2));
        assert_eq!(child("a: 1\n", "t", "primary"), None);
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let err = parse_mapping("title: a\ndate: [unclosed\n").unwrap_err();
        assert!(err.line.is_some(), "{err:?}");
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn strips_the_parsers_location_wherever_it_is() {
        assert_eq!(
            strip_location("did not find ']' at line 3 column 1, while parsing"),
            "did not find ']', while parsing"
        );
        assert_eq!(strip_location("bad at line 2"), "bad");
    }

    #[test]
    fn keeps_keys_in_order_and_converts_values() {
        let map = parse_mapping("b: 1\na: [x, y]\nc: true\n").unwrap();
        let keys: Vec<_> = map.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(map[1].1.as_array().unwrap().len(), 2);
        assert_eq!(map[2].1.as_bool(), Some(true));
    }

    #[test]
    fn keys_that_are_not_text_are_named_on_one_line() {
        let map = parse_mapping("? [a, b]\n: c\n1: 2\nnull: x\n? {k: v}\n: y\n").unwrap();
        let keys: Vec<_> = map.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["[a, b]", "1", "null", "{k: v}"]);
    }

    #[test]
    fn quoting_survives_yaml() {
        for text in [
            "Hội nghị: \"tổng kết\" # 2024",
            "a\\b",
            "- [x] {y}: 'z'",
            "dòng 1\ndòng 2",
        ] {
            let map = parse_mapping(&format!("t: {}\n", quote(text))).unwrap();
            assert_eq!(map[0].1.as_str(), Some(text));
        }
    }

    #[test]
    fn a_scalar_document_is_not_front_matter() {
        assert!(parse_mapping("just text").is_err());
    }

    #[test]
    fn finds_the_line_of_a_key() {
        assert_eq!(line_of_key("title: x\ndate: y\n", "date"), Some(2));
        assert_eq!(line_of_key("title: x\n  date: y\n", "date"), None);
        assert_eq!(line_of_key("a: 1\n\"date\" : y\n", "date"), Some(2));
        assert_eq!(line_of_key("a: 1\n'date': y\n", "date"), Some(2));
        assert_eq!(line_of_key("'date\": y\n", "date"), None);
    }
}
