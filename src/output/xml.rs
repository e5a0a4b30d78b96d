//! XML text that is always well-formed: quick-xml escapes, we strip what XML 1.0 forbids.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::io::Cursor;

/// The writer every generated XML file is written with.
pub type XmlWriter = Writer<Cursor<Vec<u8>>>;

/// An XML document written in memory: the declaration, then what `body` writes.
pub fn document(body: impl FnOnce(&mut XmlWriter) -> std::io::Result<()>) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 1);
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|_| body(&mut writer))
        .expect("writing XML to memory cannot fail");
    let mut bytes = writer.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

/// `<name>value</name>`, with the value escaped and stripped of what XML forbids.
pub fn text_element(w: &mut XmlWriter, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_safe(value)))
        .map(|_| ())
}

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
