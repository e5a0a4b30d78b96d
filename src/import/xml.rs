//! A small element tree of one XML part of a .docx, read with quick-xml. Word's parts are a
//! few megabytes at most, and a tree lets the converter look at a table or a run as a whole.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Deeper nesting than this is refused: no Word document comes near it, and the tree is
/// walked (and dropped) recursively.
const MAX_DEPTH: usize = 200;

/// One element: its qualified name as written (`w:p`), its attributes, its children.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Node>,
}

/// A child of an element: an element or text (entities resolved).
#[derive(Debug)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The value of an attribute by its qualified name (`w:val`).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub(crate) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The `w:val` of the child element `name` (`<w:pStyle w:val="u1"/>`).
    pub(crate) fn child_val(&self, name: &str) -> Option<&str> {
        self.child(name)?.attr("w:val")
    }

    /// The first descendant named `name`, depth first.
    pub(crate) fn find(&self, name: &str) -> Option<&Element> {
        self.elements().find_map(|e| {
            if e.name == name {
                Some(e)
            } else {
                e.find(name)
            }
        })
    }

    /// The text directly inside this element.
    pub(crate) fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }
}

/// Whether a `w:b`/`w:i`-like toggle element is on: present without `w:val`, or with a
/// value other than `0`, `false`, `off`.
pub(crate) fn toggle(element: Option<&Element>) -> bool {
    element.is_some_and(|e| !matches!(e.attr("w:val"), Some("0" | "false" | "off" | "none")))
}

/// Parses an XML part into its root element, or a message saying where it is damaged.
pub(crate) fn parse(bytes: &[u8]) -> Result<Element, String> {
    let mut reader = Reader::from_reader(bytes);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {at}: {e}"))?;
        match event {
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!("elements nested too deep at byte {at}"));
                }
                stack.push(element(&start).map_err(|e| format!("at byte {at}: {e}"))?);
            }
            Event::Empty(start) => {
                let e = element(&start).map_err(|e| format!("at byte {at}: {e}"))?;
                push(&mut stack, Node::Element(e));
            }
            Event::End(_) => {
                let done = stack.pop().filter(|_| !stack.is_empty()).ok_or_else(|| {
                    format!("XML error at byte {at}: a closing tag that opens nothing")
                })?;
                push(&mut stack, Node::Element(done));
            }
            Event::Text(text) => {
                let text = text
                    .unescape()
                    .map_err(|e| format!("XML error at byte {at}: {e}"))?;
                push(&mut stack, Node::Text(text.into_owned()));
            }
            Event::CData(data) => {
                let text = String::from_utf8_lossy(&data).into_owned();
                push(&mut stack, Node::Text(text));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if stack.len() != 1 {
        return Err("the XML ends before its elements are closed (the file is cut short)".into());
    }
    let root = stack.pop().unwrap_or_default();
    root.children
        .into_iter()
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| "the XML has no element".to_string())
}

fn push(stack: &mut [Element], node: Node) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(node);
    }
}

fn element(start: &BytesStart<'_>) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr.unescape_value().map_err(|e| e.to_string())?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_attributes_and_resolved_entities() {
        let root = parse(
            br#"<?xml version="1.0"?><w:p><w:pPr><w:pStyle w:val="u1"/></w:pPr><w:r><w:t xml:space="preserve">A &amp; B </w:t></w:r></w:p>"#,
        )
        .unwrap();
        assert_eq!(root.name, "w:p");
        assert_eq!(
            root.child("w:pPr").unwrap().child_val("w:pStyle"),
            Some("u1")
        );
        assert_eq!(root.find("w:t").unwrap().text(), "A & B ");
    }

    #[test]
    fn damaged_xml_is_an_error_not_a_panic() {
        assert!(parse(b"<w:p><w:r></w:p>").is_err());
        assert!(parse(b"<w:p><w:r>").is_err());
        assert!(parse(b"").is_err());
        assert!(parse(&b"<a>".repeat(1000)).is_err());
    }

    #[test]
    fn toggles_follow_words_rules() {
        let root = parse(br#"<r><b/><i w:val="0"/><u w:val="true"/></r>"#).unwrap();
        assert!(toggle(root.child("b")));
        assert!(!toggle(root.child("i")));
        assert!(toggle(root.child("u")));
        assert!(!toggle(root.child("strike")));
    }
}
