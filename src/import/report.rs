//! What an import could not convert, by kind of element, with counts.

use std::collections::BTreeMap;
use std::fmt;

/// A kind of Word element that does not become Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skipped {
    /// An image in a format browsers cannot show (EMF, WMF, TIFF, BMP, GIF, ...).
    ImageFormat,
    /// An image linked to a file outside the document, not stored in it.
    LinkedImage,
    /// A chart, SmartArt diagram or drawn shape.
    Drawing,
    /// A text box (its text is left out).
    TextBox,
    /// An equation.
    Equation,
    /// An embedded object (an Excel sheet, an old equation, ...).
    Object,
    /// A footnote or endnote (the reference mark is left out).
    Note,
    /// A symbol from a symbol font (Wingdings, Symbol).
    Symbol,
    /// A table inside a table cell (its text is kept, its rows are not).
    NestedTable,
    /// A link to a place inside the document (its text is kept).
    InternalLink,
}

impl Skipped {
    /// What it is and what became of it, in a phrase.
    pub fn describe(self) -> &'static str {
        match self {
            Skipped::ImageFormat => {
                "image(s) in a format browsers cannot show (EMF, WMF, TIFF, ...): left out; \
                 save them as JPEG or PNG and add them by hand"
            }
            Skipped::LinkedImage => "linked image(s) not stored in the document: left out",
            Skipped::Drawing => "chart(s), SmartArt or drawn shape(s): left out",
            Skipped::TextBox => "text box(es): left out",
            Skipped::Equation => "equation(s): left out",
            Skipped::Object => "embedded object(s) (Excel sheets, ...): left out",
            Skipped::Note => "footnote(s) or endnote(s): left out",
            Skipped::Symbol => "symbol(s) from a symbol font: left out",
            Skipped::NestedTable => "table(s) inside a table: flattened to text",
            Skipped::InternalLink => {
                "link(s) to places inside the document: text kept, link dropped"
            }
        }
    }
}

/// What could not be converted: counts by kind, and one note per skipped image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// How many of each kind.
    pub counts: BTreeMap<Skipped, usize>,
    /// Details (which image file, which format).
    pub notes: Vec<String>,
}

impl Report {
    /// Counts one more element of `kind`.
    pub(crate) fn add(&mut self, kind: Skipped) {
        *self.counts.entry(kind).or_default() += 1;
    }

    /// The count of one kind.
    pub fn count(&self, kind: Skipped) -> usize {
        self.counts.get(&kind).copied().unwrap_or(0)
    }

    /// True when everything was converted.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

impl fmt::Display for Report {
    /// One line per kind (`3 chart(s), ...`), then the notes indented.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, count) in &self.counts {
            writeln!(f, "  {count} {}", kind.describe())?;
        }
        for note in &self.notes {
            writeln!(f, "    {note}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_kind_and_prints_one_line_each() {
        let mut report = Report::default();
        report.add(Skipped::Equation);
        report.add(Skipped::Equation);
        report.add(Skipped::Note);
        assert_eq!(report.count(Skipped::Equation), 2);
        let text = report.to_string();
        assert!(text.contains("  2 equation(s): left out\n"), "{text}");
        assert_eq!(text.lines().count(), 2);
    }
}
