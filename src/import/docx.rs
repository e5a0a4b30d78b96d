//! WordprocessingML (`word/document.xml`) → the converter's model: paragraphs with their
//! heading or list kind, runs merged by formatting, hyperlinks, tables, images. Word's
//! bookkeeping is dropped on the way (bookmarks, proofing marks, comments, deleted
//! revisions, hidden text, field instructions); what cannot be converted is counted.

use super::model::{Block, Format, Inline, Kind, Para};
use super::package::{Package, Target};
use super::report::{Report, Skipped};
use super::styles::{num_pr, Heading, Numbering, Styles};
use super::xml::{toggle, Element};
use super::DocxError;
use crate::media::Format as ImageFormat;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// An image stored in the document that browsers can show.
#[derive(Debug, Clone)]
pub(crate) struct Picture {
    /// The part it came from (`word/media/image1.png`).
    pub(crate) part: String,
    pub(crate) bytes: Vec<u8>,
    /// `jpg`, `png` or `webp`, from the bytes.
    pub(crate) extension: &'static str,
}

/// The document read: its blocks, its images, what was left out.
pub(crate) struct Parsed {
    pub(crate) blocks: Vec<Block>,
    pub(crate) pictures: Vec<Picture>,
    pub(crate) report: Report,
}

/// Reads the main document of an opened package.
pub(crate) fn read(package: &mut Package<'_>) -> Result<Parsed, DocxError> {
    let part = package.document.clone();
    let root = package
        .xml(&part)?
        .ok_or(DocxError::NotDocx("it has no document part"))?;
    let styles = match package.xml("word/styles.xml")? {
        Some(xml) => Styles::parse(&xml),
        None => Styles::default(),
    };
    let numbering = match package.xml("word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml),
        None => Numbering::default(),
    };
    let rels = package.relationships(&part)?;
    let mut walker = Walker {
        package,
        styles,
        numbering,
        rels,
        pictures: Vec::new(),
        by_part: HashMap::new(),
        report: Report::default(),
        fields: Vec::new(),
        counters: HashMap::new(),
    };
    let body = root.child("w:body").ok_or_else(|| DocxError::Damaged {
        part: part.clone(),
        message: "it has no w:body".into(),
    })?;
    let mut blocks = Vec::new();
    walker.body(body, &mut blocks)?;
    Ok(Parsed {
        blocks,
        pictures: walker.pictures,
        report: walker.report,
    })
}

/// A field (`{ HYPERLINK "..." }`, `{ PAGE }`, ...) being read: its instruction, whether its
/// displayed result has started, and the link it makes.
struct Field {
    instruction: String,
    result: bool,
    link: Option<Rc<str>>,
}

struct Walker<'p, 'a> {
    package: &'p mut Package<'a>,
    styles: Styles,
    numbering: Numbering,
    rels: HashMap<String, Target>,
    pictures: Vec<Picture>,
    /// Image parts already read: their index in `pictures`, `None` when skipped.
    by_part: HashMap<String, Option<usize>>,
    report: Report,
    fields: Vec<Field>,
    /// The next number of each list level, by (`numId`, level).
    counters: HashMap<(String, usize), u32>,
}

impl Walker<'_, '_> {
    fn body(&mut self, parent: &Element, out: &mut Vec<Block>) -> Result<(), DocxError> {
        for child in parent.elements() {
            match child.name.as_str() {
                "w:p" => out.push(Block::Para(self.paragraph(child)?)),
                "w:tbl" => {
                    let rows = self.table(child)?;
                    if !rows.is_empty() {
                        out.push(Block::Table(rows));
                    }
                }
                "w:sdt" => {
                    if let Some(content) = child.child("w:sdtContent") {
                        self.body(content, out)?;
                    }
                }
                "w:customXml" | "w:ins" | "w:moveTo" => self.body(child, out)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn table(&mut self, table: &Element) -> Result<Vec<Vec<Vec<Para>>>, DocxError> {
        let mut rows = Vec::new();
        for row in table.elements().filter(|e| e.name == "w:tr") {
            let mut cells = Vec::new();
            for cell in row.elements().filter(|e| e.name == "w:tc") {
                let props = cell.child("w:tcPr");
                let span = props
                    .and_then(|p| p.child_val("w:gridSpan"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                // A cell merged with the one above (vMerge without "restart") shows nothing.
                let continued = props
                    .and_then(|p| p.child("w:vMerge"))
                    .is_some_and(|m| m.attr("w:val") != Some("restart"));
                let mut paras = Vec::new();
                if !continued {
                    self.cell(cell, &mut paras)?;
                }
                cells.push(paras);
                cells.extend((1..span).map(|_| Vec::new()));
            }
            if !cells.is_empty() {
                rows.push(cells);
            }
        }
        Ok(rows)
    }

    /// The paragraphs of a cell; a table inside it gives its cells' paragraphs.
    fn cell(&mut self, parent: &Element, out: &mut Vec<Para>) -> Result<(), DocxError> {
        for child in parent.elements() {
            match child.name.as_str() {
                "w:p" => out.push(self.paragraph(child)?),
                "w:tbl" => {
                    self.report.add(Skipped::NestedTable);
                    for row in self.table(child)? {
                        out.extend(row.into_iter().flatten());
                    }
                }
                "w:sdt" => {
                    if let Some(content) = child.child("w:sdtContent") {
                        self.cell(content, out)?;
                    }
                }
                "w:customXml" => self.cell(child, out)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, p: &Element) -> Result<Para, DocxError> {
        let kind = self.kind(p.child("w:pPr"));
        let mut inlines = Vec::new();
        self.inline(p, &Format::default(), &mut inlines)?;
        Ok(Para { kind, inlines })
    }

    /// Heading (by style or outline level), list item (by its own or its style's
    /// numbering), or body text.
    fn kind(&mut self, props: Option<&Element>) -> Kind {
        let Some(props) = props else {
            return Kind::Body;
        };
        let style = props.child_val("w:pStyle");
        let heading = style.and_then(|s| self.styles.heading(s)).or_else(|| {
            props
                .child_val("w:outlineLvl")
                .and_then(|v| v.parse::<u8>().ok())
                .filter(|l| *l < 6)
                .map(|l| Heading::Level(l + 1))
        });
        match heading {
            Some(Heading::Title) => return Kind::Title,
            Some(Heading::Level(n)) => return Kind::Heading(n),
            None => {}
        }
        let numbered = match props.child("w:numPr") {
            Some(num) => num_pr(num),
            None => style.and_then(|s| self.styles.numbering(s)),
        };
        let Some((id, level)) = numbered else {
            return Kind::Body;
        };
        let level = level.min(8);
        let Some(format) = self.numbering.level(&id, level) else {
            return Kind::Body;
        };
        // Deeper levels start again under each item of this level.
        self.counters
            .retain(|(num, l), _| !(*num == id && *l > level));
        let counter = self.counters.entry((id, level)).or_insert(format.start);
        let number = *counter;
        *counter = counter.saturating_add(1);
        Kind::Item {
            ordered: format.ordered,
            level,
            number,
        }
    }

    /// The inline content of a paragraph, a hyperlink, an insertion, ...
    fn inline(
        &mut self,
        parent: &Element,
        format: &Format,
        out: &mut Vec<Inline>,
    ) -> Result<(), DocxError> {
        for child in parent.elements() {
            match child.name.as_str() {
                "w:r" => self.run(child, format, out)?,
                "w:hyperlink" => {
                    let link = match child.attr("r:id").and_then(|id| self.rels.get(id)) {
                        Some(Target::External(url)) => safe_link(url),
                        _ => {
                            if child.attr("w:anchor").is_some() {
                                self.report.add(Skipped::InternalLink);
                            }
                            None
                        }
                    };
                    let inner = Format {
                        link: link.or_else(|| format.link.clone()),
                        ..format.clone()
                    };
                    self.inline(child, &inner, out)?;
                }
                "w:fldSimple" => {
                    let link = child.attr("w:instr").and_then(hyperlink_of);
                    let inner = Format {
                        link: link.or_else(|| format.link.clone()),
                        ..format.clone()
                    };
                    self.inline(child, &inner, out)?;
                }
                "w:ins" | "w:moveTo" | "w:smartTag" | "w:customXml" | "w:dir" | "w:bdo" => {
                    self.inline(child, format, out)?;
                }
                "w:sdt" => {
                    if let Some(content) = child.child("w:sdtContent") {
                        self.inline(content, format, out)?;
                    }
                }
                "m:oMath" | "m:oMathPara" => self.report.add(Skipped::Equation),
                // w:del, w:moveFrom, bookmarks, proofErr, comment ranges, w:pPr, ...
                _ => {}
            }
        }
        Ok(())
    }

    fn run(
        &mut self,
        run: &Element,
        outer: &Format,
        out: &mut Vec<Inline>,
    ) -> Result<(), DocxError> {
        let props = run.child("w:rPr");
        if toggle(props.and_then(|p| p.child("w:vanish"))) {
            return Ok(());
        }
        let (style_bold, style_italic) = props
            .and_then(|p| p.child_val("w:rStyle"))
            .map(|s| self.styles.character(s))
            .unwrap_or_default();
        let own = |name: &str, from_style: bool| match props.and_then(|p| p.child(name)) {
            Some(e) => toggle(Some(e)),
            None => from_style,
        };
        let format = Format {
            bold: own("w:b", style_bold),
            italic: own("w:i", style_italic),
            link: outer.link.clone(),
        };
        self.run_content(run, &format, out)
    }

    fn run_content(
        &mut self,
        run: &Element,
        format: &Format,
        out: &mut Vec<Inline>,
    ) -> Result<(), DocxError> {
        for child in run.elements() {
            let hidden = self.fields.iter().any(|f| !f.result);
            match child.name.as_str() {
                "w:t" if !hidden => self.text(&child.text(), format, out),
                "w:tab" | "w:ptab" if !hidden => self.text(" ", format, out),
                "w:noBreakHyphen" if !hidden => self.text("-", format, out),
                // Page and column breaks mean nothing on a web page.
                "w:br" if !hidden && !matches!(child.attr("w:type"), Some("page" | "column")) => {
                    out.push(Inline::Break)
                }
                "w:cr" if !hidden => out.push(Inline::Break),
                "w:instrText" => {
                    if let Some(field) = self.fields.last_mut() {
                        field.instruction.push_str(&child.text());
                    }
                }
                "w:fldChar" => match child.attr("w:fldCharType") {
                    Some("begin") => self.fields.push(Field {
                        instruction: String::new(),
                        result: false,
                        link: None,
                    }),
                    Some("separate") => {
                        if let Some(field) = self.fields.last_mut() {
                            field.result = true;
                            field.link = hyperlink_of(&field.instruction);
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "w:sym" if !hidden => self.report.add(Skipped::Symbol),
                "w:drawing" if !hidden => self.drawing(child, out)?,
                "w:pict" if !hidden => self.pict(child, out)?,
                "mc:AlternateContent" => {
                    // Choice is Word's own form; Fallback repeats it for older readers.
                    if let Some(choice) = child.child("mc:Choice") {
                        self.run_content(choice, format, out)?;
                    }
                }
                "w:object" if !hidden => self.report.add(Skipped::Object),
                "w:footnoteReference" | "w:endnoteReference" => self.report.add(Skipped::Note),
                // w:delText, w:rPr, comment references, rendered page breaks, ...
                _ => {}
            }
        }
        Ok(())
    }

    /// Adds text in `format` (a field's link applies inside its result), merged into the
    /// previous piece when it has the same format.
    fn text(&self, text: &str, format: &Format, out: &mut Vec<Inline>) {
        let field_link = self.fields.iter().rev().find_map(|f| f.link.clone());
        let format = match field_link {
            Some(link) => Format {
                link: Some(link),
                ..format.clone()
            },
            None => format.clone(),
        };
        if let Some(Inline::Text(previous, f)) = out.last_mut() {
            if *f == format {
                previous.push_str(text);
                return;
            }
        }
        out.push(Inline::Text(text.to_string(), format));
    }

    fn drawing(&mut self, drawing: &Element, out: &mut Vec<Inline>) -> Result<(), DocxError> {
        let alt = drawing
            .find("wp:docPr")
            .and_then(|d| {
                [d.attr("descr"), d.attr("title")]
                    .into_iter()
                    .flatten()
                    .find(|t| !t.trim().is_empty())
            })
            .unwrap_or("")
            .to_string();
        match drawing.find("a:blip") {
            Some(blip) => match blip.attr("r:embed") {
                Some(id) => self.image(id, alt, out)?,
                None => self.report.add(Skipped::LinkedImage),
            },
            None if drawing.find("w:txbxContent").is_some() => self.report.add(Skipped::TextBox),
            None => self.report.add(Skipped::Drawing),
        }
        Ok(())
    }

    /// An image the old way (VML, Word 2003 and documents converted from .doc).
    fn pict(&mut self, pict: &Element, out: &mut Vec<Inline>) -> Result<(), DocxError> {
        match pict.find("v:imagedata").and_then(|i| i.attr("r:id")) {
            Some(id) => {
                let alt = pict
                    .find("v:shape")
                    .and_then(|s| s.attr("alt"))
                    .unwrap_or("")
                    .to_string();
                self.image(id, alt, out)?;
            }
            None if pict.find("w:txbxContent").is_some() => self.report.add(Skipped::TextBox),
            None => self.report.add(Skipped::Drawing),
        }
        Ok(())
    }

    fn image(&mut self, id: &str, alt: String, out: &mut Vec<Inline>) -> Result<(), DocxError> {
        let part = match self.rels.get(id) {
            Some(Target::Part(part)) => part.clone(),
            _ => {
                self.report.add(Skipped::LinkedImage);
                return Ok(());
            }
        };
        let index = match self.by_part.get(&part) {
            Some(known) => *known,
            None => {
                let index = self.load_image(&part)?;
                self.by_part.insert(part, index);
                index
            }
        };
        match index {
            Some(index) => out.push(Inline::Image(index, alt)),
            None => self.report.add(Skipped::ImageFormat),
        }
        Ok(())
    }

    /// Reads an image part; `None` (with a note) when it is missing or not JPEG/PNG/WebP.
    fn load_image(&mut self, part: &str) -> Result<Option<usize>, DocxError> {
        let Some(bytes) = self.package.read(part)? else {
            self.report
                .notes
                .push(format!("{part}: missing from the file"));
            return Ok(None);
        };
        let extension = match crate::media::sniff(Path::new(part), &bytes) {
            Ok(ImageFormat::Jpeg) => "jpg",
            Ok(ImageFormat::Png) => "png",
            Ok(ImageFormat::WebP) => "webp",
            Err(_) => {
                self.report
                    .notes
                    .push(format!("{part} ({})", format_name(part, &bytes)));
                return Ok(None);
            }
        };
        self.pictures.push(Picture {
            part: part.to_string(),
            bytes,
            extension,
        });
        Ok(Some(self.pictures.len() - 1))
    }
}

/// The name of an image format browsers cannot show, from its bytes or its file name.
fn format_name(part: &str, bytes: &[u8]) -> String {
    if bytes.len() >= 44 && &bytes[40..44] == b" EMF" {
        return "EMF".into();
    }
    if bytes.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A]) || bytes.starts_with(&[1, 0, 9, 0]) {
        return "WMF".into();
    }
    match part.rsplit_once('.') {
        Some((_, ext)) if !ext.contains('/') => ext.to_uppercase(),
        _ => "unknown format".into(),
    }
}

/// The address of a `HYPERLINK "..."` field instruction (none for `\l`, a place in the
/// document).
fn hyperlink_of(instruction: &str) -> Option<Rc<str>> {
    let rest = instruction.trim();
    let rest = rest
        .get(..9)
        .filter(|p| p.eq_ignore_ascii_case("HYPERLINK"))
        .map(|_| &rest[9..])?;
    if rest.split_whitespace().next() == Some("\\l") {
        return None;
    }
    let url = match rest.split_once('"') {
        Some((_, quoted)) => quoted.split('"').next()?,
        None => rest.split_whitespace().find(|t| !t.starts_with('\\'))?,
    };
    safe_link(url)
}

/// Web, mail and telephone addresses only: anything else (`file:`, `javascript:`) is not
/// a link a reader can follow.
fn safe_link(url: &str) -> Option<Rc<str>> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|s| lower.starts_with(s))
        .then(|| Rc::from(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperlink_fields_give_their_address() {
        assert_eq!(
            hyperlink_of(" HYPERLINK \"https://a.gov.vn/x\" \\o \"tip\" ").as_deref(),
            Some("https://a.gov.vn/x")
        );
        assert_eq!(hyperlink_of("HYPERLINK \\l \"_Toc1\""), None);
        assert_eq!(hyperlink_of("PAGE"), None);
        assert_eq!(hyperlink_of("HYPERLINK \"javascript:alert(1)\""), None);
    }

    #[test]
    fn formats_browsers_cannot_show_are_named() {
        let mut emf = vec![1, 0, 0, 0];
        emf.resize(40, 0);
        emf.extend(b" EMF");
        assert_eq!(format_name("word/media/image1.emf", &emf), "EMF");
        assert_eq!(
            format_name("word/media/image2.wmf", &[0xD7, 0xCD, 0xC6, 0x9A]),
            "WMF"
        );
        assert_eq!(format_name("word/media/image3.tiff", b"II*\0"), "TIFF");
    }
}
