//! HTML → Markdown: what an editor pastes from Word, Google Docs or a web page, and the
//! bodies of an old portal's pages. The HTML is parsed as a browser would (html5ever,
//! through `scraper`), walked into the converter's `model` and written by `markdown`, so
//! a pasted page, a .docx and an imported page give the same Markdown.
//!
//! Kept: headings (h1 becomes `##`: the article's title is the page's only h1),
//! paragraphs, line breaks, bold, italic, links (http, https, mailto and relative
//! addresses), lists (also Word's typed ones), tables (pipe tables, the first row as
//! header), quotations, images and figure captions. Dropped: styles, fonts, classes,
//! Word's `<o:p>`, conditional comments, scripts, empty paragraphs.

mod table;
mod word;

#[cfg(test)]
mod tests;

use super::markdown;
use super::model::{Block, Format, Inline, Kind, Para};
use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};
use std::rc::Rc;

/// An image of the HTML, as the page gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSource {
    /// Its address as written (`src` of `<img>`, or of Word's `<v:imagedata>`).
    pub src: String,
    /// Its alternative text (else the figure's caption, else its `title`), NFC.
    pub alt: String,
}

/// The Markdown of a piece of HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// The Markdown (NFC), ending with a newline unless it is empty.
    pub markdown: String,
    /// What was left out, one sentence each (images dropped, embedded frames, ...).
    pub notes: Vec<String>,
}

/// Converts HTML to Markdown. `images` is asked about each image in order and returns
/// the address to write in the Markdown, or `None` to leave the image out (a note says
/// so). Any input converts: nothing here fails or panics.
pub fn html_to_markdown(
    html: &str,
    images: &mut dyn FnMut(&ImageSource) -> Option<String>,
) -> Converted {
    let document = Html::parse_document(html);
    convert_element(document.root_element(), images)
}

/// Converts the content of one element of a parsed page (the body an import selected).
pub(crate) fn convert_element(
    element: ElementRef<'_>,
    images: &mut dyn FnMut(&ImageSource) -> Option<String>,
) -> Converted {
    let mut walker = Walker {
        images,
        addresses: Vec::new(),
        notes: Vec::new(),
        containers: vec![Vec::new()],
        para: Vec::new(),
        kind: Kind::Body,
        lists: Vec::new(),
        items: 0,
        tables: 0,
        pre: 0,
        caption: None,
    };
    walker.children(*element, &Format::default(), 0);
    walker.flush();
    let blocks = walker.containers.pop().unwrap_or_default();
    Converted {
        markdown: markdown::render(&blocks, &walker.addresses),
        notes: walker.notes,
    }
}

/// How deep elements may nest before the rest of a branch is taken as plain text (the
/// walk is recursive; a page of a million nested `<div>`s must not overflow the stack).
const MAX_DEPTH: usize = 200;

/// An open list: ordered or not, the number of its next item.
struct List {
    ordered: bool,
    next: u32,
}

/// The state of the walk over the tree.
struct Walker<'a> {
    images: &'a mut dyn FnMut(&ImageSource) -> Option<String>,
    /// The Markdown address of each image kept, by its index in `Inline::Image`.
    addresses: Vec<String>,
    notes: Vec<String>,
    /// The blocks being filled: the body, then each open quotation or table cell.
    containers: Vec<Vec<Block>>,
    /// The paragraph being filled, and its kind.
    para: Vec<Inline>,
    kind: Kind,
    lists: Vec<List>,
    /// How many `<li>` are open.
    items: usize,
    /// How many tables are open.
    tables: usize,
    /// How many `<pre>` are open (their line feeds are line breaks).
    pre: usize,
    /// The caption of the open figure, for its images without alternative text.
    caption: Option<String>,
}

impl Walker<'_> {
    fn children(&mut self, node: NodeRef<'_, Node>, format: &Format, depth: usize) {
        for child in node.children() {
            self.node(child, format, depth + 1);
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>, format: &Format, depth: usize) {
        match node.value() {
            Node::Text(text) => self.text(text, format),
            Node::Element(_) if depth > MAX_DEPTH => {
                let text: String = node
                    .descendants()
                    .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                    .collect();
                self.text(&text, format);
                let note = "elements nested too deeply: their text was kept as plain text";
                if !self.notes.iter().any(|n| n == note) {
                    self.notes.push(note.to_string());
                }
            }
            Node::Element(_) => {
                if let Some(element) = ElementRef::wrap(node) {
                    self.element(element, format, depth);
                }
            }
            // Comments (Word's conditional comments among them), doctypes, ...
            _ => {}
        }
    }

    fn text(&mut self, text: &str, format: &Format) {
        if self.pre > 0 {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.para.push(Inline::Break);
                }
                self.para
                    .push(Inline::Text(line.to_string(), format.clone()));
            }
        } else {
            self.para
                .push(Inline::Text(text.to_string(), format.clone()));
        }
    }

    fn element(&mut self, element: ElementRef<'_>, format: &Format, depth: usize) {
        let value = element.value();
        if word::hidden(value) {
            return;
        }
        let mut format = format.clone();
        if let Some(bold) = word::weight(value) {
            format.bold = bold;
        }
        if let Some(italic) = word::italic(value) {
            format.italic = italic;
        }
        let name = value.name();
        // Word's typed list items are paragraphs.
        let word_item = if name == "p" {
            word::list_item(element)
        } else {
            None
        };
        match name {
            "head" | "style" | "script" | "noscript" | "template" | "meta" | "link" | "title"
            | "o:p" | "xml" | "svg" | "math" | "input" | "select" | "textarea" | "button" => {}
            "iframe" | "object" | "embed" | "video" | "audio" | "canvas" => {
                let what = value
                    .attr("src")
                    .or_else(|| value.attr("data"))
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                self.notes.push(format!(
                    "an embedded <{name}>{what} was left out; add it again by hand"
                ));
            }
            "br" => self.para.push(Inline::Break),
            "b" | "strong" => {
                format.bold = word::weight(value).unwrap_or(true);
                self.children(*element, &format, depth);
            }
            "i" | "em" => {
                format.italic = word::italic(value).unwrap_or(true);
                self.children(*element, &format, depth);
            }
            "a" => {
                format.link = self.link(value.attr("href")).map(Rc::from);
                self.children(*element, &format, depth);
            }
            "img" | "v:imagedata" => self.image(element),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.kind = Kind::Heading(name.as_bytes()[1] - b'0');
                self.children(*element, &format, depth);
                self.flush();
            }
            "ul" | "ol" | "dir" | "menu" => {
                self.flush();
                let start = value
                    .attr("start")
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .unwrap_or(1);
                self.lists.push(List {
                    ordered: name == "ol",
                    next: start,
                });
                self.children(*element, &format, depth);
                self.lists.pop();
                self.flush();
            }
            "li" => {
                self.flush();
                let level = self.lists.len().saturating_sub(1);
                let (ordered, number) = match self.lists.last_mut() {
                    Some(list) => {
                        let number = value
                            .attr("value")
                            .and_then(|s| s.trim().parse::<u32>().ok())
                            .unwrap_or(list.next);
                        list.next = number.saturating_add(1);
                        (list.ordered, number)
                    }
                    None => (false, 1),
                };
                self.kind = Kind::Item {
                    ordered,
                    level,
                    number,
                };
                self.items += 1;
                self.children(*element, &format, depth);
                self.items -= 1;
                self.flush();
            }
            "p" if word_item.is_some() => {
                let (ordered, level, number) = word_item.unwrap_or((false, 0, 1));
                self.flush();
                self.kind = Kind::Item {
                    ordered,
                    level,
                    number,
                };
                self.children(*element, &format, depth);
                self.flush();
            }
            "table" => self.table(element, &format, depth),
            "blockquote" => {
                self.flush();
                self.containers.push(Vec::new());
                self.children(*element, &format, depth);
                self.flush();
                let blocks = self.containers.pop().unwrap_or_default();
                if !blocks.is_empty() {
                    self.push(Block::Quote(blocks));
                }
            }
            "figure" => {
                let caption = element
                    .descendent_elements()
                    .find(|e| e.value().name() == "figcaption")
                    .map(|e| super::model::collapse_spaces(&e.text().collect::<String>()))
                    .filter(|c| !c.is_empty());
                let outer = std::mem::replace(&mut self.caption, caption);
                self.boundary();
                self.children(*element, &format, depth);
                self.boundary();
                self.caption = outer;
            }
            "figcaption" => {
                self.boundary();
                format.italic = true;
                self.children(*element, &format, depth);
                self.boundary();
            }
            "pre" => {
                self.boundary();
                self.pre += 1;
                self.children(*element, &format, depth);
                self.pre -= 1;
                self.boundary();
            }
            "hr" => self.boundary(),
            "p" | "div" | "section" | "article" | "header" | "footer" | "main" | "aside"
            | "nav" | "address" | "center" | "dl" | "dt" | "dd" | "caption" | "tr" | "td"
            | "th" | "form" | "fieldset" | "legend" | "details" | "summary" | "body" | "html" => {
                self.boundary();
                self.children(*element, &format, depth);
                self.boundary();
            }
            // span, font, u, s, sub, sup, small, abbr, Word's own elements, ...: their
            // content only.
            _ => self.children(*element, &format, depth),
        }
    }

    /// The end of a paragraph; inside a list item, a line break of the item instead.
    fn boundary(&mut self) {
        if self.items > 0 && matches!(self.kind, Kind::Item { .. }) {
            if has_content(&self.para) && !matches!(self.para.last(), Some(Inline::Break)) {
                self.para.push(Inline::Break);
            }
        } else {
            self.flush();
        }
    }

    /// Ends the paragraph being filled: kept when it has text or an image.
    fn flush(&mut self) {
        let inlines = std::mem::take(&mut self.para);
        let kind = std::mem::replace(&mut self.kind, Kind::Body);
        if has_content(&inlines) {
            self.push(Block::Para(Para { kind, inlines }));
        }
    }

    fn push(&mut self, block: Block) {
        if let Some(container) = self.containers.last_mut() {
            container.push(block);
        }
    }

    /// A link's address as written in Markdown; `None` (the text stays, unlinked) for
    /// anchors inside the page and for schemes other than http, https and mailto.
    fn link(&mut self, href: Option<&str>) -> Option<String> {
        let href = href?.trim();
        if href.is_empty() || href.starts_with('#') {
            return None;
        }
        let scheme = href
            .find([':', '/', '?', '#'])
            .filter(|&i| href[i..].starts_with(':'))
            .map(|i| href[..i].to_ascii_lowercase());
        match scheme.as_deref() {
            None | Some("http" | "https" | "mailto") => Some(href.to_string()),
            Some(other) => {
                let shown: String = href.chars().take(60).collect();
                self.notes.push(format!(
                    "a link to `{shown}` was dropped ({other}: addresses are not kept); its text stays"
                ));
                None
            }
        }
    }

    fn image(&mut self, element: ElementRef<'_>) {
        let value = element.value();
        let src = value
            .attr("src")
            .filter(|s| !s.trim().is_empty())
            .or_else(|| value.attr("data-src"))
            .unwrap_or("")
            .trim();
        let alt = [
            value.attr("alt"),
            value.attr("o:title"),
            value.attr("title"),
        ]
        .into_iter()
        .flatten()
        .map(super::model::collapse_spaces)
        .find(|a| !a.is_empty())
        .or_else(|| self.caption.clone())
        .unwrap_or_default();
        let alt = crate::text::nfc(&alt).into_owned();
        if src.is_empty() {
            self.notes
                .push("an image without an address was left out".to_string());
            return;
        }
        let source = ImageSource {
            src: src.to_string(),
            alt: alt.clone(),
        };
        match (self.images)(&source) {
            Some(address) => {
                self.addresses.push(address);
                self.para.push(Inline::Image(self.addresses.len() - 1, alt));
            }
            None => {
                let shown: String = src.chars().take(80).collect();
                self.notes.push(format!("the image {shown} was left out"));
            }
        }
    }
}

/// True when a paragraph has something to show: text that is not whitespace, or an
/// image.
fn has_content(inlines: &[Inline]) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::Text(text, _) => text
            .chars()
            .any(|c| !(c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}'))),
        Inline::Image(..) => true,
        Inline::Break => false,
    })
}
