//! The text of the users file: parsed (through `crate::yaml`) into entries that know the
//! lines of their fields, and written back with a comment that says how to manage it.

use super::{Role, User};
use crate::error::Problem;
use serde::Deserialize;
use std::path::Path;

/// The first lines of the file, for the person who opens it.
const HEADER: &str = "# Tài khoản soạn tin của trangtin. Quản lý bằng lệnh: \
                      trangtin user add|remove|passwd|list\n";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    users: Option<Vec<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: String,
    #[serde(default)]
    display_name: Option<String>,
    role: Role,
    password: String,
}

/// One user as the file has it, not yet checked, with where its fields are.
pub(super) struct Entry {
    pub(super) name: String,
    pub(super) display_name: Option<String>,
    pub(super) role: Role,
    pub(super) password: String,
    /// The line of the entry's `-`, then of each field found on its own line.
    start: usize,
    field_lines: Vec<(String, usize)>,
}

impl Entry {
    /// The 1-based line of `field` in this entry, else the line where the entry starts.
    pub(super) fn line_of(&self, field: &str) -> usize {
        self.field_lines
            .iter()
            .find(|(name, _)| name == field)
            .map_or(self.start, |(_, line)| *line)
    }
}

/// A problem of the whole file: YAML syntax or a field of the wrong kind.
#[derive(Debug)]
pub(super) struct FileProblem {
    line: Option<usize>,
    field: Option<String>,
    message: String,
}

impl FileProblem {
    pub(super) fn into_problem(self, path: &Path) -> Problem {
        let problem = Problem::error(path, self.message).at_line(self.line);
        match self.field {
            Some(field) => problem.in_field(field),
            None => problem,
        }
    }
}

/// The entries of the users file, in order.
pub(super) fn parse(text: &str) -> Result<Vec<Entry>, FileProblem> {
    let document: Document = crate::yaml::from_str(text).map_err(|e| {
        let (field, message) = split_field(&e.message);
        FileProblem {
            line: e.line,
            field,
            message,
        }
    })?;
    let raw = document.users.unwrap_or_default();
    let starts = entry_lines(text);
    Ok(raw
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let start = starts.get(i).copied().unwrap_or(1);
            let end = starts.get(i + 1).copied();
            Entry {
                name: raw.name,
                display_name: raw.display_name,
                role: raw.role,
                password: raw.password,
                start,
                field_lines: field_lines(text, start, end),
            }
        })
        .collect())
}

/// The file's text for these users and their PHC hash strings.
pub(super) fn render(users: &[(&User, String)]) -> String {
    let mut out = String::from(HEADER);
    if users.is_empty() {
        out.push_str("users: []\n");
        return out;
    }
    out.push_str("users:\n");
    for (user, hash) in users {
        out.push_str(&format!("  - name: {}\n", plain_or_quoted(&user.name)));
        out.push_str(&format!(
            "    display_name: {}\n",
            crate::yaml::quote(&user.display_name)
        ));
        out.push_str(&format!("    role: {}\n", user.role.key()));
        out.push_str(&format!("    password: {}\n", plain_or_quoted(hash)));
    }
    out
}

/// A login name or a PHC string as it is when YAML reads it back as that text (`lan`,
/// `$argon2id$...`), quoted otherwise (`"123"`, `"true"`, `".inf"`, `"-x"`).
fn plain_or_quoted(text: &str) -> String {
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '$')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "$=,+/._-".contains(c))
        && !matches!(
            text,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        crate::yaml::quote(text)
    }
}

/// serde_yaml names the field in front of its message (`users[1].role: unknown variant`,
/// `users[0]: missing field `password``): the field apart, and the message without it.
fn split_field(message: &str) -> (Option<String>, String) {
    let quoted = |m: &str, lead: &str| {
        let rest = m.split_once(lead)?.1;
        Some(rest.split('`').next()?.to_string())
    };
    let Some((path, rest)) = message.split_once(": ") else {
        return (None, message.to_string());
    };
    if !path.starts_with("users") || path.contains(' ') {
        return (None, message.to_string());
    }
    let field = quoted(rest, "missing field `")
        .or_else(|| quoted(rest, "unknown field `"))
        .or_else(|| {
            let last = path.rsplit('.').next()?;
            (!last.contains('[')).then(|| last.to_string())
        });
    (field, rest.to_string())
}

/// The 1-based lines where the entries of the `users:` list start (their `-`), in order.
fn entry_lines(text: &str) -> Vec<usize> {
    let mut lines = text.lines().enumerate();
    if !lines.any(|(_, line)| line.starts_with("users:")) {
        return Vec::new();
    }
    let mut starts = Vec::new();
    let mut dash_indent = None;
    for (i, line) in lines {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 && !content.starts_with('-') {
            break; // the next top-level key
        }
        if content == "-" || content.starts_with("- ") {
            let dash = *dash_indent.get_or_insert(indent);
            if indent == dash {
                starts.push(i + 1);
            }
        }
    }
    starts
}

/// The 1-based lines of the fields written `field: ...` on lines from `start` up to `end`
/// (the next entry), the first line after its `- `.
fn field_lines(text: &str, start: usize, end: Option<usize>) -> Vec<(String, usize)> {
    text.lines()
        .enumerate()
        .skip(start - 1)
        .take_while(|(i, _)| end.is_none_or(|end| i + 1 < end))
        .filter_map(|(i, line)| {
            let content = line.trim_start();
            let content = content.strip_prefix("- ").unwrap_or(content).trim_start();
            let (key, _) = content.split_once(':')?;
            let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
            (!key.is_empty() && !key.contains(' ')).then(|| (key.to_string(), i + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_where_entries_and_fields_are() {
        let text =
            "# comment\nusers:\n  - name: lan\n    role: nguoi-duyet\n\n  - name: minh\n    \
                    # note\n    password: x\nother: 1\n- not: this\n";
        assert_eq!(entry_lines(text), [3, 6]);
        let first = field_lines(text, 3, Some(6));
        assert_eq!(first, [("name".to_string(), 3), ("role".to_string(), 4)]);
        let second = field_lines(text, 6, None);
        assert_eq!(second[1], ("password".to_string(), 8));
    }

    #[test]
    fn a_list_at_the_keys_indentation_is_found_too() {
        let text = "users:\n- name: lan\n  role: x\n- name: minh\n";
        assert_eq!(entry_lines(text), [2, 4]);
    }

    #[test]
    fn the_field_is_taken_out_of_the_parsers_message() {
        assert_eq!(
            split_field("users[1].role: unknown variant `x`, expected y"),
            (
                Some("role".to_string()),
                "unknown variant `x`, expected y".to_string()
            )
        );
        assert_eq!(
            split_field("users[0]: missing field `password`"),
            (
                Some("password".to_string()),
                "missing field `password`".to_string()
            )
        );
        assert_eq!(
            split_field("did not find expected key: while parsing"),
            (None, "did not find expected key: while parsing".to_string())
        );
    }

    #[test]
    fn names_that_yaml_would_read_otherwise_are_quoted() {
        assert_eq!(plain_or_quoted("lan"), "lan");
        assert_eq!(plain_or_quoted("nguyen.lan_2"), "nguyen.lan_2");
        for odd in ["123", "true", "null", "no", "-x", ".inf", "1e3", "_a"] {
            assert_eq!(plain_or_quoted(odd), format!("\"{odd}\""));
        }
        let phc = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
        assert_eq!(plain_or_quoted(phc), phc);
    }
}
