//! A Word document or a piece of HTML as the converter sees it: paragraphs of formatted text, list items,
//! headings, tables, and the images they show. Built by `docx` and `html`,
//! written out by `markdown`.

use std::rc::Rc;

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Para(Para),
    /// Rows of cells; a cell holds its paragraphs.
    Table(Vec<Vec<Vec<Para>>>),
    /// A quotation (HTML's `<blockquote>`): its blocks, written after `> `.
    Quote(Vec<Block>),
}

/// What sort of paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Body,
    Title,
    Heading(u8),
    /// A list item: numbered or bulleted, its level (0 = outermost), its number.
    Item {
        ordered: bool,
        level: usize,
        number: u32,
    },
}

/// One paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Para {
    pub(crate) kind: Kind,
    pub(crate) inlines: Vec<Inline>,
}

/// Formatting of a piece of text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Format {
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    pub(crate) link: Option<Rc<str>>,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Inline {
    Text(String, Format),
    Break,
    /// An image, by its index in the document's images, with its alternative text.
    Image(usize, String),
}

impl Para {
    /// The paragraph's text without formatting (the title; whether it is empty).
    pub(crate) fn plain_text(&self) -> String {
        let mut out = String::new();
        for inline in &self.inlines {
            match inline {
                Inline::Text(text, _) => out.push_str(text),
                Inline::Break => out.push(' '),
                Inline::Image(..) => {}
            }
        }
        crate::text::nfc(&collapse_spaces(&out)).into_owned()
    }
}

/// Word's spacing made plain: non-breaking, tab and other spaces become one space each
/// and runs of them one space; zero-width characters and controls are dropped. The ends
/// are trimmed.
pub(crate) fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else if matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}') || c.is_control() {
            continue;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_of_every_kind_collapse_to_one() {
        assert_eq!(
            collapse_spaces("  Hà\u{00A0}\u{00A0}Nội\t\tngày\u{200B} 5 "),
            "Hà Nội ngày 5"
        );
    }
}
