//! What Word's styles and numbering mean for Markdown: which paragraph styles are headings
//! (by id, by English name as `styles.xml` stores it even in a Vietnamese Word, by outline
//! level, through `basedOn`), which character styles are bold or italic, and which numbered
//! paragraphs are bulleted or numbered lists.

use super::xml::{toggle, Element};
use std::collections::HashMap;

/// What a paragraph style makes of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heading {
    /// The document title (style "Title").
    Title,
    /// A heading, 1 to 6.
    Level(u8),
}

#[derive(Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, usize)>,
    bold: bool,
    italic: bool,
}

/// The styles of `word/styles.xml`, by style id.
#[derive(Debug, Default)]
pub(crate) struct Styles {
    styles: HashMap<String, Style>,
}

impl Styles {
    /// Reads `w:styles`.
    pub(crate) fn parse(root: &Element) -> Styles {
        let mut styles = HashMap::new();
        for style in root.elements().filter(|e| e.name == "w:style") {
            let Some(id) = style.attr("w:styleId") else {
                continue;
            };
            let ppr = style.child("w:pPr");
            let rpr = style.child("w:rPr");
            styles.insert(
                id.to_string(),
                Style {
                    name: style.child_val("w:name").unwrap_or("").to_lowercase(),
                    based_on: style.child_val("w:basedOn").map(str::to_string),
                    outline: ppr
                        .and_then(|p| p.child_val("w:outlineLvl"))
                        .and_then(|v| v.parse().ok()),
                    num: ppr.and_then(|p| p.child("w:numPr")).and_then(num_pr),
                    bold: toggle(rpr.and_then(|r| r.child("w:b"))),
                    italic: toggle(rpr.and_then(|r| r.child("w:i"))),
                },
            );
        }
        Styles { styles }
    }

    /// The heading a paragraph style makes, following `basedOn` a few steps.
    pub(crate) fn heading(&self, id: &str) -> Option<Heading> {
        if let Some(h) = heading_of(id, &id.to_lowercase()) {
            return Some(h);
        }
        let mut current = id;
        for _ in 0..8 {
            let style = self.styles.get(current)?;
            if let Some(h) = heading_of(&style.name, &style.name) {
                return Some(h);
            }
            if let Some(level) = style.outline.filter(|l| *l < 6) {
                return Some(Heading::Level(level + 1));
            }
            current = style.based_on.as_deref()?;
        }
        None
    }

    /// The numbering (`numId`, level) a paragraph style carries, following `basedOn`.
    pub(crate) fn numbering(&self, id: &str) -> Option<(String, usize)> {
        let mut current = id;
        for _ in 0..8 {
            let style = self.styles.get(current)?;
            if style.num.is_some() {
                return style.num.clone();
            }
            current = style.based_on.as_deref()?;
        }
        None
    }

    /// Bold and italic from a character style (`w:rStyle`): its own run properties, or
    /// Word's "Strong" and "Emphasis".
    pub(crate) fn character(&self, id: &str) -> (bool, bool) {
        match self.styles.get(id) {
            Some(s) => (
                s.bold || s.name == "strong",
                s.italic || s.name == "emphasis",
            ),
            None => (false, false),
        }
    }
}

/// `Title`, `Heading1`..`Heading6` as ids, `title`, `heading 1`.. as names.
fn heading_of(id: &str, lower: &str) -> Option<Heading> {
    if lower == "title" {
        return Some(Heading::Title);
    }
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| id.strip_prefix("Heading"))?;
    match rest.trim().parse::<u8>() {
        Ok(n @ 1..=6) => Some(Heading::Level(n)),
        _ => None,
    }
}

/// `<w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr>`; `numId` 0 means none.
pub(crate) fn num_pr(num_pr: &Element) -> Option<(String, usize)> {
    let id = num_pr.child_val("w:numId")?;
    let level = num_pr
        .child_val("w:ilvl")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (id != "0").then(|| (id.to_string(), level))
}

/// One level of a list: numbered or bulleted, and the number it starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Level {
    /// Numbered (decimal, letters, roman numerals) rather than bulleted.
    pub(crate) ordered: bool,
    /// The first number.
    pub(crate) start: u32,
}

/// The lists of `word/numbering.xml`: `numId` → the levels of its abstract numbering.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    nums: HashMap<String, HashMap<usize, Option<Level>>>,
}

impl Numbering {
    /// Reads `w:numbering`.
    pub(crate) fn parse(root: &Element) -> Numbering {
        let mut abstracts: HashMap<&str, HashMap<usize, Option<Level>>> = HashMap::new();
        for abs in root.elements().filter(|e| e.name == "w:abstractNum") {
            let Some(id) = abs.attr("w:abstractNumId") else {
                continue;
            };
            abstracts.insert(id, levels(abs));
        }
        let mut nums = HashMap::new();
        for num in root.elements().filter(|e| e.name == "w:num") {
            let (Some(id), Some(abs)) = (num.attr("w:numId"), num.child_val("w:abstractNumId"))
            else {
                continue;
            };
            let mut levels = abstracts.get(abs).cloned().unwrap_or_default();
            for over in num.elements().filter(|e| e.name == "w:lvlOverride") {
                if let Some((index, level)) = over.child("w:lvl").and_then(level_of) {
                    levels.insert(index, level);
                }
            }
            nums.insert(id.to_string(), levels);
        }
        Numbering { nums }
    }

    /// The level of list `num_id`; `None` when it is no list (unknown, or format "none").
    pub(crate) fn level(&self, num_id: &str, level: usize) -> Option<Level> {
        let levels = self.nums.get(num_id)?;
        match levels.get(&level) {
            Some(found) => *found,
            // A level the numbering does not define: a bullet, as Word shows something.
            None => Some(Level {
                ordered: false,
                start: 1,
            }),
        }
    }
}

fn levels(abs: &Element) -> HashMap<usize, Option<Level>> {
    abs.elements()
        .filter(|e| e.name == "w:lvl")
        .filter_map(level_of)
        .collect()
}

/// One `w:lvl`: its index, and `None` for format "none" (no visible number: not a list).
fn level_of(lvl: &Element) -> Option<(usize, Option<Level>)> {
    let index = lvl.attr("w:ilvl")?.parse().ok()?;
    let format = lvl.child_val("w:numFmt").unwrap_or("decimal");
    let start = lvl
        .child_val("w:start")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let level = match format {
        "none" => None,
        format => Some(Level {
            ordered: format != "bullet",
            start,
        }),
    };
    Some((index, level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::xml::parse;

    const STYLES: &str = r#"<w:styles>
      <w:style w:type="paragraph" w:styleId="u1"><w:name w:val="heading 1"/></w:style>
      <w:style w:type="paragraph" w:styleId="u2"><w:name w:val="heading 2"/></w:style>
      <w:style w:type="paragraph" w:styleId="Tiu"><w:name w:val="Title"/></w:style>
      <w:style w:type="paragraph" w:styleId="Muclon"><w:name w:val="Mục lớn"/><w:basedOn w:val="u2"/></w:style>
      <w:style w:type="paragraph" w:styleId="Dematrang"><w:name w:val="Đề mục"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Gachdau"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
      <w:style w:type="character" w:styleId="Manh"><w:name w:val="Strong"/></w:style>
      <w:style w:type="character" w:styleId="Nghieng"><w:name w:val="Nhấn"/><w:rPr><w:i/></w:rPr></w:style>
    </w:styles>"#;

    #[test]
    fn headings_are_found_by_id_name_outline_and_base_style() {
        let styles = Styles::parse(&parse(STYLES.as_bytes()).unwrap());
        assert_eq!(styles.heading("Heading3"), Some(Heading::Level(3)));
        assert_eq!(styles.heading("u1"), Some(Heading::Level(1)));
        assert_eq!(styles.heading("Tiu"), Some(Heading::Title));
        assert_eq!(styles.heading("Title"), Some(Heading::Title));
        assert_eq!(styles.heading("Muclon"), Some(Heading::Level(2)));
        assert_eq!(styles.heading("Dematrang"), Some(Heading::Level(3)));
        assert_eq!(styles.heading("Normal"), None);
        assert_eq!(styles.heading("Heading9"), None);
        assert_eq!(styles.numbering("Gachdau"), Some(("4".into(), 0)));
    }

    #[test]
    fn character_styles_give_bold_and_italic() {
        let styles = Styles::parse(&parse(STYLES.as_bytes()).unwrap());
        assert_eq!(styles.character("Manh"), (true, false));
        assert_eq!(styles.character("Nghieng"), (false, true));
        assert_eq!(styles.character("Khac"), (false, false));
    }

    #[test]
    fn numbering_tells_bullets_from_numbers() {
        let xml = r#"<w:numbering>
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="3"/><w:numFmt w:val="lowerLetter"/></w:lvl>
            <w:lvl w:ilvl="2"><w:numFmt w:val="none"/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="2"><w:abstractNumId w:val="0"/>
            <w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:lvlOverride>
          </w:num>
        </w:numbering>"#;
        let numbering = Numbering::parse(&parse(xml.as_bytes()).unwrap());
        let level = |id, l| numbering.level(id, l);
        assert_eq!(level("1", 0).map(|l| l.ordered), Some(false));
        assert_eq!(
            level("1", 1),
            Some(Level {
                ordered: true,
                start: 3
            })
        );
        assert_eq!(level("1", 2), None);
        assert_eq!(level("2", 0).map(|l| l.ordered), Some(true));
        assert_eq!(level("9", 0), None);
    }
}
