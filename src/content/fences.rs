//! Mistyped front-matter fences: a first line that is not exactly `---` (`----`, ` ---`,
//! `— — —` from a word processor), and front matter with no closing `---` line, for which
//! the message says where the line belongs or which line is a mistyped fence.

use super::mistakes::entry;

/// Whether a line looks like a fence mistyped: `----`, `--`, ` ---`, `— — —`, `--- yaml`.
fn fence_like(line: &str) -> bool {
    let trimmed = line.trim();
    if trimmed == "---" {
        return line != trimmed;
    }
    if trimmed.starts_with("---") {
        return true;
    }
    let dashes = trimmed
        .chars()
        .filter(|c| matches!(c, '-' | '—' | '–' | '‒' | '−'))
        .count();
    dashes >= 2
        && trimmed
            .chars()
            .all(|c| matches!(c, '-' | '—' | '–' | '‒' | '−' | ' '))
}

/// What to add to "no front matter" when the first line is a mistyped fence.
pub fn opening_fence_hint(first_line: &str) -> Option<String> {
    fence_like(first_line).then(|| {
        format!(
            "; the first line is `{}`, but it must be exactly three dashes `---`, with \
             nothing before or after them",
            first_line.trim_end()
        )
    })
}

/// The line to report and the message for front matter with no closing `---`: where the
/// closing line probably belongs (after the last line that looks like a field), or which
/// line is a mistyped fence. `text` is the whole file; the opening fence is line 1.
pub fn unclosed(text: &str) -> (usize, String) {
    let start = "front matter is not closed: no `---` line after the opening one on line 1";
    let mut last_field = None;
    for (line, raw) in (2..).zip(text.lines().skip(1)) {
        if fence_like(raw) {
            return (
                line,
                format!(
                    "{start}; line {line} (`{}`) must be exactly three dashes `---`, with \
                     nothing before or after them",
                    raw.trim_end()
                ),
            );
        }
        let fieldlike = entry(raw).is_some_and(|(key, _)| key.matches(' ').count() <= 3)
            || raw.starts_with([' ', '\t', '#', '-']);
        if fieldlike {
            last_field = Some((line, raw));
        } else if !raw.trim().is_empty() {
            break;
        }
    }
    match last_field {
        Some((line, raw)) => {
            let shown: String = raw.trim_end().chars().take(60).collect();
            (
                line,
                format!("{start}; add a `---` line after this one (`{shown}`), before the article's text"),
            )
        }
        None => (1, start.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_front_matter_says_where_the_fence_goes() {
        let (line, message) = unclosed("---\ntitle: A\ndate: 2024-03-01\n\nNội dung bài viết\n");
        assert_eq!(line, 3);
        assert!(
            message.ends_with(
                "add a `---` line after this one (`date: 2024-03-01`), before the article's text"
            ),
            "{message}"
        );
        let (line, message) = unclosed("---\ntitle: A\n--\nNội dung\n");
        assert_eq!(line, 3);
        assert!(
            message.contains("line 3 (`--`) must be exactly three dashes"),
            "{message}"
        );
        assert_eq!(unclosed("---\ntitle: A\n— — —\nx\n").0, 3);
        assert_eq!(unclosed("---\ntitle: A\n--- yaml\nx\n").0, 3);
        assert_eq!(unclosed("---\n").0, 1);
        assert_eq!(unclosed("---\nSáng nay Sở tổ chức: hội nghị\n").0, 1);
    }

    #[test]
    fn a_mistyped_opening_fence_is_named() {
        assert!(opening_fence_hint("----").is_some());
        assert!(opening_fence_hint(" ---").is_some());
        assert!(opening_fence_hint("— — —").is_some());
        assert!(opening_fence_hint("# Tiêu đề").is_none());
        assert!(opening_fence_hint("-").is_none());
    }
}
