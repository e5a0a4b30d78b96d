//! Reading the raw HTML that editors write in Markdown (or that old portals left in their
//! articles): its tags and attributes with where each value stands, character references,
//! and its text. The sanitizer reads it to say what it removes; Markdown rendering reads it
//! to give links and images the site's addresses and to take the text for search and the
//! summary. Nothing here decides what is safe (see [`crate::sanitize`]).

use std::borrow::Cow;
use std::ops::Range;

/// One attribute of a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Lowercase name.
    pub name: String,
    /// Value with character references decoded (empty when there is none).
    pub value: String,
    /// Where the value is written, quotes excluded, in bytes from the tag's `<`; `None` for
    /// an attribute without a value.
    pub span: Option<Range<usize>>,
}

/// One tag as read from raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lowercase name.
    pub name: String,
    /// `</name>`.
    pub closing: bool,
    /// Attributes in the order written.
    pub attributes: Vec<Attribute>,
    /// Bytes from the `<` up to and with the `>`.
    pub len: usize,
}

impl Tag {
    /// The attribute named `name`, if written.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// Every tag of `html` with the byte offset of its `<`, comments skipped.
pub fn tags(html: &str) -> Vec<(usize, Tag)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(at) = html[rest..].find('<').map(|i| rest + i) {
        let after = &html[at + 1..];
        if after.starts_with("!--") {
            rest = after.find("-->").map_or(html.len(), |i| at + 1 + i + 3);
            continue;
        }
        match read_tag(after) {
            Some(tag) => {
                rest = at + tag.len;
                found.push((at, tag));
            }
            None => rest = at + 1,
        }
    }
    found
}

/// Reads the tag after a `<` (`text` starts after it); `None` when it is not a tag.
fn read_tag(text: &str) -> Option<Tag> {
    let (closing, body) = match text.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(body.len());
    if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    // Offsets in `body` are turned into offsets from the `<`.
    let shift = 1 + (text.len() - body.len());
    let name = body[..name_len].to_ascii_lowercase();
    let mut attributes = Vec::new();
    let mut i = name_len;
    let bytes = body.as_bytes();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            break;
        }
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = body[start..i].to_ascii_lowercase();
        let (mut value, mut span) = (String::new(), None);
        if bytes.get(i) == Some(&b'=') {
            let (raw, end) = read_value(body, i + 1);
            value = decode_entities(&body[raw.clone()]).into_owned();
            span = Some(raw.start + shift..raw.end + shift);
            i = end;
        }
        attributes.push(Attribute { name, value, span });
    }
    Some(Tag {
        name,
        closing,
        attributes,
        len: shift + (i + 1).min(body.len()),
    })
}

/// Where an attribute value starting at `start` is written (quotes excluded), and where the
/// attribute ends.
fn read_value(body: &str, start: usize) -> (Range<usize>, usize) {
    let rest = &body[start..];
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
            Some(close) => (start + 1..start + 1 + close, start + close + 2),
            None => (start + 1..body.len(), body.len()),
        },
        _ => {
            let len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(rest.len());
            (start..start + len, start + len)
        }
    }
}

/// Decodes character references: numeric ones, the few that can hide a URL scheme
/// (`&colon;`, `&tab;`, `&newline;`) and the common named ones (`&amp;`, `&lt;`, `&gt;`,
/// `&quot;`, `&apos;`, `&nbsp;`). Others are left as written.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(after.len());
        let name = &after[..end];
        let decoded = match name.strip_prefix('#') {
            Some(n) => match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            }
            .and_then(char::from_u32),
            None => match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => None,
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = after[end..].strip_prefix(';').unwrap_or(&after[end..]);
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Text as HTML: `&`, `<`, `>` and quotes become entities.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Tags whose content is not text a reader sees.
const NOT_TEXT: &[&str] = &["script", "style", "template", "noscript", "iframe"];

/// Tags that end a line of text (so words of two blocks do not run together).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "figure",
    "figcaption",
    "section",
    "article",
    "header",
    "footer",
    "pre",
    "hr",
    "dd",
    "dt",
];

/// The text of `html` as a reader sees it: tags dropped (blocks end a line), the content of
/// scripts and styles left out, character references decoded.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut from = 0;
    let mut skip_until: Option<String> = None;
    for (at, tag) in tags(html) {
        if skip_until.is_none() {
            out.push_str(&decode_entities(&html[from..at]));
        }
        from = at + tag.len;
        match &skip_until {
            Some(name) if tag.closing && *name == tag.name => skip_until = None,
            Some(_) => {}
            None if !tag.closing && NOT_TEXT.contains(&tag.name.as_str()) => {
                skip_until = Some(tag.name.clone());
            }
            None if BLOCKS.contains(&tag.name.as_str()) => out.push('\n'),
            None => {}
        }
    }
    if skip_until.is_none() {
        out.push_str(&decode_entities(&html[from.min(html.len())..]));
    }
    out
}

/// The text of the first `<p>` element of `html` with its white space collapsed, if it
/// has any text.
pub fn first_paragraph(html: &str) -> Option<String> {
    let tags = tags(html);
    let (open, tag) = tags.iter().find(|(_, t)| t.name == "p" && !t.closing)?;
    let start = open + tag.len;
    let end = tags
        .iter()
        .find(|(at, t)| *at >= start && t.closing && t.name == "p")
        .map_or(html.len(), |(at, _)| *at);
    let text = text(&html[start..end]);
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// `html` with the address of every link and image (`href`, `src`) replaced where
/// `rewrite(address, is_image)` gives a new one; borrowed when nothing changes. A new
/// address is written in double quotes with `&` and `"` escaped.
pub fn rewrite_urls<'a>(
    html: &'a str,
    mut rewrite: impl FnMut(&str, bool) -> Option<String>,
) -> Cow<'a, str> {
    let mut out = String::new();
    let mut copied = 0;
    for (at, tag) in tags(html) {
        if tag.closing {
            continue;
        }
        for attribute in &tag.attributes {
            let is_image = match attribute.name.as_str() {
                "href" => false,
                "src" => true,
                _ => continue,
            };
            let (Some(span), Some(new)) = (&attribute.span, rewrite(&attribute.value, is_image))
            else {
                continue;
            };
            let (start, end) = (at + span.start, at + span.end);
            let quoted = start > 0 && matches!(html.as_bytes()[start - 1], b'"' | b'\'');
            out.push_str(&html[copied..start]);
            let escaped = new.replace('&', "&amp;").replace('"', "&quot;");
            if quoted {
                out.push_str(&escaped);
            } else {
                out.push('"');
                out.push_str(&escaped);
                out.push('"');
            }
            copied = end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_know_where_each_value_is_written() {
        let html = "<p>x <a class=b href='/Uploads/a b.pdf' data-x>y</a> <img src=c.jpg></p>";
        let found = tags(html);
        let (at, a) = &found[1];
        assert_eq!(a.name, "a");
        let href = a.attribute("href").unwrap();
        assert_eq!(href.value, "/Uploads/a b.pdf");
        let span = href.span.clone().unwrap();
        assert_eq!(&html[at + span.start..at + span.end], "/Uploads/a b.pdf");
        assert_eq!(a.attribute("data-x").unwrap().span, None);
        assert_eq!(
            &html[*at..at + a.len],
            "<a class=b href='/Uploads/a b.pdf' data-x>"
        );
        assert!(found[2].1.closing);
    }

    #[test]
    fn comments_are_not_tags() {
        let found = tags("<!-- <a href=x> --><b>");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.name, "b");
    }

    #[test]
    fn entities_that_hide_a_scheme_or_text_are_decoded() {
        assert_eq!(decode_entities("jav&#x61;script&colon;"), "javascript:");
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &nbsp;"),
            "a & b <c> \u{a0}"
        );
        assert_eq!(decode_entities("&unknown; &"), "&unknown; &");
        assert!(matches!(decode_entities("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_leaves_out_tags_scripts_and_styles_and_breaks_blocks() {
        let html = "<div><p>Hội nghị <b>tổng kết</b></p><script>var a = '<p>';</script>\
                    <style>p{}</style><p>Năm&nbsp;2024 &amp; 2025</p></div>";
        assert_eq!(
            text(html).split_whitespace().collect::<Vec<_>>().join(" "),
            "Hội nghị tổng kết Năm 2024 & 2025"
        );
        assert!(text("<p>a</p><p>b</p>").contains("a\n"));
    }

    #[test]
    fn the_first_paragraph_is_the_text_of_the_first_p() {
        let html = "<div class=x><img src=a.jpg></div>\n<p style=\"text-align:justify\">\n  \
                    Sáng 13/10, <strong>Sở</strong> tổ chức hội nghị.\n</p><p>Sau.</p>";
        assert_eq!(
            first_paragraph(html).as_deref(),
            Some("Sáng 13/10, Sở tổ chức hội nghị.")
        );
        assert_eq!(first_paragraph("<p> </p>"), None);
        assert_eq!(first_paragraph("<div>x</div>"), None);
    }

    #[test]
    fn addresses_are_rewritten_in_place_and_quoted() {
        let html = "<p><a href=\"/Uploads/QĐ 456.pdf\">QĐ</a> <img alt=x src=/a.jpg> \
                    <a name=top>t</a> <a href='https://x.vn/?a=1&amp;b=2'>x</a></p>";
        let out = rewrite_urls(html, |url, is_image| {
            url.starts_with('/').then(|| {
                format!(
                    "/tin-tuc{}{}",
                    url.replace(' ', "%20"),
                    if is_image { "#i" } else { "" }
                )
            })
        });
        assert_eq!(
            out,
            "<p><a href=\"/tin-tuc/Uploads/QĐ%20456.pdf\">QĐ</a> <img alt=x src=\"/tin-tuc/a.jpg#i\"> \
             <a name=top>t</a> <a href='https://x.vn/?a=1&amp;b=2'>x</a></p>"
        );
        assert!(matches!(
            rewrite_urls("<p>x</p>", |_, _| None),
            Cow::Borrowed(_)
        ));
    }
}
