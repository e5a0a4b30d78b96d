//! XML text that is always well-formed: quick-xml escapes, we strip what XML 1.0 forbids.

/// Removes characters XML 1.0 does not allow (control characters other than tab and line
/// breaks, U+FFFE and U+FFFF), so any text an editor typed can go into a feed.
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
    };
    if text.chars().all(allowed) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_control_characters_only() {
        assert_eq!(xml_safe("a\u{0}b\u{1b}c\td\n"), "abc\td\n");
        assert_eq!(xml_safe("Khoa học & <công nghệ>"), "Khoa học & <công nghệ>");
    }
}
