//! Control characters (NUL, BEL, ESC, ... and the C1 range) have no place in a news page:
//! they are removed from everything loaded, and the lines they were on are reported.

/// Whether `c` is removed: C0 controls other than tab and line feed (carriage returns are
/// turned into line feeds before this runs), DEL, and C1 controls (U+0080–U+009F).
pub fn is_removed_control(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// Whether `text` may hold a removed control character: a quick test on the bytes, 64 at a
/// time (the compiler turns it into vector instructions), that is true for every such text
/// (C1 controls are encoded C2 80..9F) and rarely for any other (C2 also leads `°`, `«`, ...).
fn may_have_controls(text: &str) -> bool {
    text.as_bytes().chunks(64).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\t') & (b != b'\n')) | (b == 0x7f) | (b == 0xc2)
        })
    })
}

/// Removes the control characters of `text`; returns the 1-based lines (counted from the
/// start of `text`) where some were, each once, in order.
pub fn strip_controls(text: &mut String) -> Vec<usize> {
    if !may_have_controls(text) || !text.chars().any(is_removed_control) {
        return Vec::new();
    }
    let mut lines = Vec::new();
    let mut line = 1;
    let mut kept = String::with_capacity(text.len());
    for c in text.chars() {
        if is_removed_control(c) {
            if lines.last() != Some(&line) {
                lines.push(line);
            }
            continue;
        }
        if c == '\n' {
            line += 1;
        }
        kept.push(c);
    }
    *text = kept;
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_c0_del_and_c1_but_not_tabs_or_line_breaks() {
        let mut text = "a\u{0}b\tc\n\u{7}d\u{1b}[31m\u{7f}\n\u{85}e°\n".to_string();
        assert_eq!(strip_controls(&mut text), [1, 2, 3]);
        assert_eq!(text, "ab\tc\nd[31m\ne°\n");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let mut text = "Khoa học « 25°C » và công nghệ\n\tthụt lề\n".to_string();
        assert!(strip_controls(&mut text).is_empty());
        assert_eq!(text, "Khoa học « 25°C » và công nghệ\n\tthụt lề\n");
    }
}
