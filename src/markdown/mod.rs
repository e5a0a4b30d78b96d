//! Markdown → HTML with pulldown-cmark: heading anchors, link rewriting, summary and plain text.

mod embeds;
pub mod stored;

use crate::sanitize::unsafe_url;
use crate::text::slug::slugify;
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// What to do with one link or image destination written in an article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkTarget {
    /// Leave it as written.
    Keep,
    /// Replace the destination.
    Rewrite(String),
    /// Drop the link, keep its text (a link to an unpublished article); the message is a warning.
    PlainText(String),
    /// The destination does not exist; the message is an error.
    Broken(String),
    /// A file the link or image names is not in `content/`: the link is dropped (an image
    /// keeps its address); the message is a warning.
    MissingFile(String),
}

/// A problem with a link or raw HTML, at a line of the Markdown body (1-based, from the body's start).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkIssue {
    /// Line within the body.
    pub body_line: usize,
    /// True for errors (broken links), false for warnings.
    pub is_error: bool,
    /// True when the link names a file that is not there.
    pub missing_file: bool,
    /// What is wrong.
    pub message: String,
}

impl LinkIssue {
    /// A warning at `body_line`.
    fn warning(body_line: usize, message: String) -> Self {
        LinkIssue {
            body_line,
            is_error: false,
            missing_file: false,
            message,
        }
    }
}

/// An article body rendered.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// The HTML.
    #[serde(with = "stored")]
    pub html: String,
    /// Plain text of the first paragraph (the default summary).
    #[serde(with = "stored")]
    pub first_paragraph: String,
    /// Plain text of the body (up to the limit the caller asked for), for related articles
    /// and search.
    #[serde(with = "stored")]
    pub plain: String,
    /// Link problems found.
    pub issues: Vec<LinkIssue>,
    /// Addresses (as written) of the links to documents (PDF, DOCX, XLSX, ...) that were
    /// found: the article's attachments.
    pub documents: Vec<String>,
    /// Resolved addresses of the images found (Markdown images and raw HTML `src`) with
    /// their line in the body, so that a problem with an image file can name its line.
    pub images: Vec<(String, usize)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// What to do with raw HTML and link addresses written in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlPolicy {
    /// Raw HTML goes through the sanitizer ([`crate::sanitize`]) and links or images with a
    /// scheme that could run a script are neutralised; each removal is a warning.
    #[default]
    Sanitize,
    /// Raw HTML and addresses are published as written (`trusted_html: true`).
    Trusted,
}

/// How to render a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Bytes of plain text to keep (cut at a character boundary).
    pub plain_limit: usize,
    /// What to do with raw HTML and link addresses.
    pub html: HtmlPolicy,
}

/// Renders `markdown` with [`HtmlPolicy::Sanitize`]; see [`render_with`].
pub fn render(
    markdown: &str,
    resolve: &dyn Fn(&str, bool) -> LinkTarget,
    plain_limit: usize,
) -> Rendered {
    let html = HtmlPolicy::Sanitize;
    render_with(markdown, resolve, RenderOptions { plain_limit, html })
}

/// Renders `markdown` in one pass: the HTML, the summary (first paragraph), the plain text
/// (at most `render_options.plain_limit` bytes) and the link issues, asking
/// `resolve(destination, is_image)` about every link and image. Under
/// [`HtmlPolicy::Sanitize`], only a body that has raw HTML goes through the sanitizer:
/// pulldown-cmark's own output is escaped already.
pub fn render_with(
    markdown: &str,
    resolve: &dyn Fn(&str, bool) -> LinkTarget,
    render_options: RenderOptions,
) -> Rendered {
    let RenderOptions { plain_limit, html } = render_options;
    let markdown = &*bracket_spaced_addresses(markdown);
    let sanitize = html == HtmlPolicy::Sanitize;
    let mut raw_html = RawHtml {
        line: 1,
        ..RawHtml::default()
    };
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut lines = Lines::default();
    let mut plain_links: Vec<bool> = Vec::new();
    let mut in_first_paragraph = None::<bool>;

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let line = lines.at(markdown, range.start);
                if let Some(message) = sanitize.then(|| unsafe_url(&dest_url)).flatten() {
                    let message = format!("{message}; only the link's text is shown");
                    out.issues.push(LinkIssue::warning(line, message));
                    plain_links.push(true);
                    continue;
                }
                let target = resolve(&dest_url, false);
                let is_error = matches!(target, LinkTarget::Broken(_));
                let missing_file = matches!(target, LinkTarget::MissingFile(_));
                match target {
                    LinkTarget::Keep => {
                        plain_links.push(false);
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        })
                    }
                    LinkTarget::Rewrite(url) => {
                        plain_links.push(false);
                        if crate::content::is_document(&dest_url) {
                            out.documents.push(dest_url.to_string());
                        }
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url: url.into(),
                            title,
                            id,
                        })
                    }
                    LinkTarget::PlainText(message)
                    | LinkTarget::Broken(message)
                    | LinkTarget::MissingFile(message) => {
                        // The link is dropped and its text kept: never a dead link.
                        out.issues.push(LinkIssue {
                            body_line: line,
                            is_error,
                            missing_file,
                            message,
                        });
                        plain_links.push(true);
                        continue;
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                if plain_links.pop().unwrap_or(false) {
                    continue;
                }
                Event::End(TagEnd::Link)
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let line = lines.at(markdown, range.start);
                if let Some(message) = sanitize.then(|| unsafe_url(&dest_url)).flatten() {
                    // An empty address loads nothing; the alt text stays.
                    let message = format!("{message}; the image is left without its address");
                    out.issues.push(LinkIssue::warning(line, message));
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::Borrowed(""),
                        title,
                        id,
                    }));
                    continue;
                }
                let target = resolve(&dest_url, true);
                let missing_file = matches!(target, LinkTarget::MissingFile(_));
                let dest_url = match target {
                    LinkTarget::Rewrite(url) => {
                        out.images.push((url.clone(), line));
                        url.into()
                    }
                    LinkTarget::Keep => dest_url,
                    LinkTarget::PlainText(message)
                    | LinkTarget::Broken(message)
                    | LinkTarget::MissingFile(message) => {
                        out.issues.push(LinkIssue {
                            body_line: line,
                            is_error: false,
                            missing_file,
                            message,
                        });
                        dest_url
                    }
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Paragraph) => {
                if in_first_paragraph.is_none() {
                    in_first_paragraph = Some(true);
                }
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => {
                if in_first_paragraph == Some(true) {
                    in_first_paragraph = Some(false);
                }
                out.plain.push('\n');
                Event::End(TagEnd::Paragraph)
            }
            Event::Text(ref words) | Event::Code(ref words) => {
                if out.plain.len() < plain_limit {
                    out.plain.push_str(words);
                }
                if in_first_paragraph == Some(true) {
                    out.first_paragraph.push_str(words);
                }
                event
            }
            Event::SoftBreak | Event::HardBreak => {
                out.plain.push(' ');
                if in_first_paragraph == Some(true) {
                    out.first_paragraph.push(' ');
                }
                event
            }
            Event::Start(Tag::HtmlBlock) => {
                raw_html.start(markdown, range.start);
                event
            }
            Event::Html(html) => {
                let line = lines.at(markdown, range.start);
                let html = raw_addresses(html, resolve, line, &mut out);
                raw_html.block.push_str(&html);
                Event::Html(raw_html.mark(markdown, sanitize, html))
            }
            Event::End(TagEnd::HtmlBlock) => {
                raw_html.end_block(sanitize, &mut out.issues);
                // Text written as HTML (old portals' articles) is text for search and, when
                // no Markdown paragraph came first, the summary.
                if out.plain.len() < plain_limit {
                    out.plain.push_str(&crate::html::text(&raw_html.block));
                }
                if in_first_paragraph.is_none() {
                    if let Some(first) = crate::html::first_paragraph(&raw_html.block) {
                        out.first_paragraph = first;
                        in_first_paragraph = Some(false);
                    }
                }
                event
            }
            Event::InlineHtml(html) => {
                let line = lines.at(markdown, range.start);
                let html = raw_addresses(html, resolve, line, &mut out);
                raw_html.start(markdown, range.start);
                raw_html.block.push_str(&html);
                raw_html.end_block(sanitize, &mut out.issues);
                Event::InlineHtml(raw_html.mark(markdown, sanitize, html))
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                out.plain.push('\n');
                event
            }
            other => other,
        };
        events.push(event);
    }
    out.first_paragraph = out.first_paragraph.trim().to_string();
    truncate_at_char(&mut out.plain, plain_limit);
    add_heading_ids(&mut events);
    embeds::embed(&mut events, resolve);
    // The HTML is kept until its page is written: written into a buffer that each thread
    // reuses, then copied at its exact size, so no spare capacity is held (a quarter more
    // memory than the text itself when the string grows as it is written).
    HTML_BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        html::push_html(buffer, events.into_iter());
        out.html = if sanitize && raw_html.seen {
            crate::sanitize::clean_marked(buffer, &raw_html.pieces)
        } else {
            buffer.as_str().to_owned()
        };
    });
    out
}

/// `markdown` with link and image addresses that hold spaces written in angle brackets, as
/// CommonMark wants them: `![Ảnh](Ảnh hội nghị 02.jpg)` (the file names phones and Word
/// give) would otherwise stay literal text. Only an address that names a file (its last
/// segment has an extension) is changed, a title after it (`"Chú thích"`) kept outside the
/// brackets; fenced code and code spans are left alone. Lines are kept, so line numbers stay right.
pub fn bracket_spaced_addresses(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains("](") || !has_spaced_address(markdown) {
        return Cow::Borrowed(markdown);
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut fence: Option<&str> = None;
    let mut line_start = 0;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m => fence = None,
            _ if fence.is_none() => {
                for (start, end) in spaced_addresses(line) {
                    out.push_str(&markdown[copied..line_start + start]);
                    out.push('<');
                    out.push_str(&line[start..end]);
                    out.push('>');
                    copied = line_start + end;
                }
            }
            _ => {}
        }
        line_start += line.len();
    }
    if copied == 0 {
        return Cow::Borrowed(markdown);
    }
    out.push_str(&markdown[copied..]);
    Cow::Owned(out)
}

/// Whether some `](` is followed by a space before its line's next `)`: the cheap test
/// that lets nearly every body through untouched.
fn has_spaced_address(markdown: &str) -> bool {
    let mut from = 0;
    while let Some(at) = markdown[from..].find("](").map(|i| from + i + 2) {
        let rest = &markdown[at..];
        let end = rest.find([')', '\n']).unwrap_or(rest.len());
        if rest[..end].contains(' ') {
            return true;
        }
        from = at;
    }
    false
}

/// The byte ranges, in `line`, of link addresses that hold a space and name a file.
fn spaced_addresses(line: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = line[from..].find("](").map(|i| from + i) {
        let start = at + 2;
        from = start;
        let in_code = line[..at].matches('`').count() % 2 == 1;
        let Some(len) = balanced_address(&line[start..]) else {
            continue;
        };
        let written = &line[start..start + len];
        // A title after the address (`"..."` or `'...'`) stays outside the brackets.
        let address = ['"', '\'']
            .into_iter()
            .filter(|&q| written.ends_with(q))
            .find_map(|q| {
                let open = written[..written.len() - 1].rfind(q)?;
                written[..open]
                    .ends_with([' ', '\t'])
                    .then(|| written[..open].trim_end())
            })
            .unwrap_or(written);
        let names_file = address
            .rsplit('/')
            .next()
            .and_then(|name| name.rsplit_once('.'))
            .is_some_and(|(stem, ext)| {
                !stem.is_empty()
                    && (1..=5).contains(&ext.len())
                    && ext.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if !in_code && address.contains(' ') && !address.starts_with('<') && names_file {
            found.push((start, start + address.len()));
            from = start + len;
        }
    }
    found
}

/// The length of a link address up to its closing `)` (parentheses inside balanced), or
/// `None` when the line ends first.
fn balanced_address(text: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            '\n' => return None,
            _ => {}
        }
    }
    None
}

/// Raw HTML with the addresses of its links and images resolved like Markdown ones: a
/// root-relative `/Uploads/...` gets the base path, a relative one is found beside the
/// article, a link to an article's `.md` becomes its URL. Where the target is missing the
/// address stays as written, with a warning at `line` (raw HTML cannot drop a link).
/// Images resolved go to `out.images`, problems to `out.issues`.
fn raw_addresses<'a>(
    html: CowStr<'a>,
    resolve: &dyn Fn(&str, bool) -> LinkTarget,
    line: usize,
    out: &mut Rendered,
) -> CowStr<'a> {
    let rewritten =
        crate::html::rewrite_urls(&html, |url, is_image| match resolve(url, is_image) {
            LinkTarget::Rewrite(url) => {
                if is_image {
                    out.images.push((url.clone(), line));
                }
                Some(url)
            }
            LinkTarget::Keep => None,
            LinkTarget::PlainText(message)
            | LinkTarget::Broken(message)
            | LinkTarget::MissingFile(message) => {
                out.issues.push(LinkIssue::warning(line, message));
                None
            }
        });
    match rewritten {
        std::borrow::Cow::Borrowed(_) => html,
        std::borrow::Cow::Owned(new) => new.into(),
    }
}

/// The 1-based line of byte offsets met in increasing order, counting only the text since
/// the last offset asked about.
#[derive(Default)]
struct Lines {
    line: usize,
    pos: usize,
}

impl Lines {
    /// The line of byte `at` of `text` (an offset not before the previous one).
    fn at(&mut self, text: &str, at: usize) -> usize {
        if at > self.pos {
            self.line += text[self.pos..at].matches('\n').count();
            self.pos = at;
        }
        self.line + 1
    }
}

/// `text` without its last byte (an ASCII character), borrowed when it was.
fn without_last_byte(text: CowStr<'_>) -> CowStr<'_> {
    match text {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[..s.len() - 1]),
        other => CowStr::from(other[..other.len() - 1].to_string()),
    }
}

/// The raw HTML of a body as it is read: whether there is any, the fragment being read (a
/// whole HTML block, or one inline tag) with the line it starts on, and the raw HTML pieces
/// replaced by marks (see [`crate::sanitize::clean_marked`]).
#[derive(Default)]
struct RawHtml<'a> {
    seen: bool,
    block: String,
    line: usize,
    lines: Lines,
    /// Whether raw HTML is replaced by marks: when sanitizing, and the Markdown has no
    /// character that a mark is made of (decided at the first raw HTML).
    marking: Option<bool>,
    pieces: Vec<CowStr<'a>>,
}

impl<'a> RawHtml<'a> {
    /// The event text for the raw HTML `html`: a mark when sanitizing (the HTML is kept in
    /// `pieces`), else the HTML itself.
    fn mark(&mut self, markdown: &str, sanitize: bool, html: CowStr<'a>) -> CowStr<'a> {
        let marking = *self
            .marking
            .get_or_insert_with(|| sanitize && !crate::sanitize::has_mark_characters(markdown));
        if !marking {
            return html;
        }
        // A line break that ends the HTML stays outside the mark, where pulldown-cmark sees
        // it (it adds one before the next block otherwise).
        let (html, newline) = match html.strip_suffix('\n') {
            Some(_) => (without_last_byte(html), "\n"),
            None => (html, ""),
        };
        self.pieces.push(html);
        format!("{}{newline}", crate::sanitize::mark(self.pieces.len() - 1)).into()
    }

    /// A fragment starts at byte `at` of `markdown`.
    fn start(&mut self, markdown: &str, at: usize) {
        self.line = self.lines.at(markdown, at);
        self.seen = true;
        self.block.clear();
    }

    /// The fragment is read: when sanitizing, each thing the sanitizer removes from it is a
    /// warning at its line.
    fn end_block(&mut self, sanitize: bool, issues: &mut Vec<LinkIssue>) {
        if !sanitize {
            return;
        }
        for (offset, message) in crate::sanitize::removals(&self.block) {
            let line = self.line + self.block[..offset].matches('\n').count();
            issues.push(LinkIssue::warning(
                line,
                format!(
                    "{message}: raw HTML is sanitized unless config.yaml sets `trusted_html: true`"
                ),
            ));
        }
    }
}

thread_local! {
    static HTML_BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Cuts `text` to at most `max` bytes, at a character boundary.
fn truncate_at_char(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// Gives every heading without an explicit id a Vietnamese slug id, unique within the page.
/// Linear in the number of headings: each base id remembers the last number it was given,
/// so a page of 20,000 identical headings does not try 1, 2, 3, ... for every one of them.
fn add_heading_ids(events: &mut [Event<'_>]) {
    let mut used: HashSet<String> = HashSet::new();
    let mut last_number: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = match slugify(&text) {
                s if s.is_empty() => "muc".to_string(),
                s => s,
            };
            let id = unique_id(base, &mut used, &mut last_number);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
            i = j;
        }
        i += 1;
    }
}

/// `base`, or `base-2`, `base-3`, ...: the first not in `used` (which it joins), starting
/// after the number `base` was last given.
fn unique_id(
    base: String,
    used: &mut HashSet<String>,
    last_number: &mut HashMap<String, usize>,
) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    let n = last_number.entry(base.clone()).or_insert(1);
    loop {
        *n += 1;
        let id = format!("{base}-{n}");
        if used.insert(id.clone()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_spaces_that_name_files_are_bracketed() {
        let md = "![Ảnh](Ảnh hội nghị 02.jpg) và [QĐ](/files/QĐ 456.pdf)\n\
                  [a](x.pdf \"Tiêu đề\") [b](<c d.pdf>) [e](một trang) `[f](g h.pdf)`\n\
                  ```\n[i](j k.pdf)\n```\n[l](Ảnh (1) m.png)\n\
                  ![Quang cảnh](Ảnh triển lãm 1.jpg \"Gian trưng bày\") ![n](o p.jpg 'Tiêu đề')\n";
        assert_eq!(
            bracket_spaced_addresses(md),
            "![Ảnh](<Ảnh hội nghị 02.jpg>) và [QĐ](</files/QĐ 456.pdf>)\n\
             [a](x.pdf \"Tiêu đề\") [b](<c d.pdf>) [e](một trang) `[f](g h.pdf)`\n\
             ```\n[i](j k.pdf)\n```\n[l](<Ảnh (1) m.png>)\n\
             ![Quang cảnh](<Ảnh triển lãm 1.jpg> \"Gian trưng bày\") ![n](<o p.jpg> 'Tiêu đề')\n"
        );
        assert!(matches!(
            bracket_spaced_addresses("[a](b.pdf)"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_link_to_a_file_with_spaces_is_a_link() {
        let resolve =
            |dest: &str, _: bool| LinkTarget::Rewrite(format!("/x/{}", dest.replace(' ', "%20")));
        let r = render("Xem [Quyết định](QĐ 456.pdf).\n", &resolve, usize::MAX);
        assert!(
            r.html
                .contains("<a href=\"/x/Q%C4%90%20456.pdf\">Quyết định</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_gets_the_site_addresses_and_gives_its_text() {
        let resolve = |dest: &str, _: bool| match dest.strip_prefix('/') {
            Some(rest) => LinkTarget::Rewrite(format!("/tin-tuc/{rest}")),
            None => LinkTarget::Keep,
        };
        let md = "<p style=\"text-align:justify\">Sáng 13/10, Sở tổ chức <b>hội nghị</b>.</p>\n\
                  <p><img src=\"/Uploads/images/a.jpg\" alt=\"x\"></p>\n";
        let r = render(md, &resolve, usize::MAX);
        assert!(
            r.html.contains("src=\"/tin-tuc/Uploads/images/a.jpg\""),
            "{}",
            r.html
        );
        assert_eq!(r.first_paragraph, "Sáng 13/10, Sở tổ chức hội nghị.");
        assert!(r.plain.contains("Sở tổ chức hội nghị"), "{:?}", r.plain);
    }

    fn keep(_: &str, _: bool) -> LinkTarget {
        LinkTarget::Keep
    }

    #[test]
    fn renders_tables_footnotes_strikethrough_and_task_lists() {
        let md =
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~cũ~~ mới[^1]\n\n- [x] xong\n\n[^1]: Ghi chú.\n";
        let html = render(md, &keep, usize::MAX).html;
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>cũ</del>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
    }

    #[test]
    fn headings_get_unique_vietnamese_ids() {
        let html = render(
            "## Kết quả đạt được\n\n## Kết quả đạt được\n",
            &keep,
            usize::MAX,
        )
        .html;
        assert!(html.contains("<h2 id=\"ket-qua-dat-duoc\">"), "{html}");
        assert!(html.contains("<h2 id=\"ket-qua-dat-duoc-2\">"), "{html}");
    }

    #[test]
    fn numbered_ids_skip_those_already_taken() {
        let html = render("## A 2\n\n## A\n\n## A\n\n## A\n", &keep, usize::MAX).html;
        let ids: Vec<_> = html
            .match_indices(" id=\"")
            .map(|(i, _)| &html[i + 5..i + 8])
            .collect();
        assert_eq!(ids, ["a-2", "a\">", "a-3", "a-4"], "{html}");
    }

    #[test]
    fn twenty_thousand_identical_headings_take_linear_time() {
        let md = "## Tin\n\n".repeat(20_000);
        let start = std::time::Instant::now();
        let html = render(&md, &keep, 0).html;
        assert!(html.contains("id=\"tin-20000\""));
        // Quadratic id assignment took 30 s here; linear takes a few milliseconds.
        assert!(
            start.elapsed() < std::time::Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        let r = render(
            "## Tiêu đề\n\nĐoạn **một**\ntiếp.\n\nĐoạn hai.\n",
            &keep,
            usize::MAX,
        );
        assert_eq!(r.first_paragraph, "Đoạn một tiếp.");
        assert!(r.plain.contains("Đoạn hai."));
    }

    #[test]
    fn the_plain_text_is_cut_at_its_limit() {
        let md = "Đoạn một dài.\n\nĐoạn hai.\n\nĐoạn ba.\n";
        let full = render(md, &keep, usize::MAX).plain;
        for limit in 0..full.len() + 2 {
            let cut = render(md, &keep, limit).plain;
            assert!(
                cut.len() <= limit && full.starts_with(&cut),
                "{limit}: {cut:?}"
            );
            assert!(cut.len() + 3 >= limit.min(full.len()), "{limit}: {cut:?}");
        }
    }

    #[test]
    fn rewrites_links_and_reports_lines() {
        let resolve = |dest: &str, _: bool| match dest {
            "a.md" => LinkTarget::Rewrite("/chung/a/".into()),
            "draft.md" => LinkTarget::PlainText("unpublished".into()),
            "missing.md" => LinkTarget::Broken("no such file".into()),
            _ => LinkTarget::Keep,
        };
        let md = "Xem [bài A](a.md).\n\nXem [bản nháp](draft.md).\n\nXem [mất](missing.md).\n";
        let r = render(md, &resolve, usize::MAX);
        assert!(
            r.html.contains("<a href=\"/chung/a/\">bài A</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("Xem bản nháp."), "{}", r.html);
        assert_eq!(r.issues.len(), 2);
        assert_eq!((r.issues[0].body_line, r.issues[0].is_error), (3, false));
        assert_eq!((r.issues[1].body_line, r.issues[1].is_error), (5, true));
    }

    #[test]
    fn raw_html_is_sanitized_and_each_removal_named_with_its_line() {
        let md = "Đoạn một.\n\n<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>\n\n\
                  Chữ <img src=\"a.jpg\" onerror=\"alert(1)\"> cuối.\n";
        let r = render(md, &keep, usize::MAX);
        assert!(
            !r.html.contains("onclick") && !r.html.contains("script"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<img src=\"a.jpg\">"), "{}", r.html);
        let found: Vec<_> = r.issues.iter().map(|i| (i.body_line, i.is_error)).collect();
        assert_eq!(
            found,
            [(3, false), (4, false), (7, false)],
            "{:?}",
            r.issues
        );
        assert!(r.issues[2].message.contains("`onerror` of `<img>`"));
    }

    #[test]
    fn script_urls_in_markdown_links_and_images_are_neutralised() {
        let md = "[bấm](javascript:alert(1)) và [cũng](jav&#x61;script:x)\n\n\
                  ![ảnh](data:text/html,x) <vbscript:x>\n";
        let r = render(md, &keep, usize::MAX);
        assert!(
            !r.html.contains("href") && !r.html.contains("data:"),
            "{}",
            r.html
        );
        assert!(r.html.contains("bấm") && r.html.contains("<img src=\"\" alt=\"ảnh\""));
        let lines: Vec<_> = r.issues.iter().map(|i| i.body_line).collect();
        assert_eq!(lines, [1, 1, 3, 3], "{:?}", r.issues);
    }

    #[test]
    fn raw_html_in_alt_text_or_beside_an_open_tag_stays_harmless() {
        for md in [
            "![<img src=x onerror=alert(1)>](a.png)\n",
            "<div title=\"a\n\n[x](/y) <img src=x onerror=alert(1)>\n\n\">\n",
            "<iframe src=\"https://www.youtube.com/embed/x\">\n\n<img src=x onerror=alert(1)>\n",
            "Chữ \u{e000}0\u{e001} <img src=x onerror=alert(1)>\n",
        ] {
            let html = render(md, &keep, usize::MAX).html;
            // `onerror` may remain as escaped text (in the alt text), never as an attribute.
            let as_text = html.matches("&lt;img src=x onerror").count();
            assert_eq!(
                html.matches("onerror").count(),
                as_text,
                "{md:?} gives {html}"
            );
        }
    }

    #[test]
    fn a_tag_written_over_several_lines_is_sanitized_whole() {
        let md = "- [x] xong\n\n<img\nsrc=\"a.jpg\"\nonerror=\"x()\">\n";
        let html = render(md, &keep, usize::MAX).html;
        assert!(html.contains("<img src=\"a.jpg\">"), "{html}");
        // pulldown-cmark's own `/>`: only the raw HTML went through the sanitizer.
        assert!(html.contains("checked=\"\"/>"), "{html}");
    }

    #[test]
    fn trusted_html_is_published_as_written() {
        let md = "<p onclick=\"x()\">a</p>\n\n[b](javascript:x)\n";
        let options = RenderOptions {
            plain_limit: usize::MAX,
            html: HtmlPolicy::Trusted,
        };
        let r = render_with(md, &keep, options);
        assert!(r.html.contains("<p onclick=\"x()\">a</p>"), "{}", r.html);
        assert!(r.html.contains("href=\"javascript:x\""), "{}", r.html);
        assert!(r.issues.is_empty());
    }

    #[test]
    fn a_body_without_raw_html_is_left_as_pulldown_writes_it() {
        let md = "- [x] xong\n\n| a |\n|:-:|\n| 1 |\n\nChú thích[^1]\n\n[^1]: Ghi chú.\n";
        let plain = render(md, &keep, usize::MAX).html;
        let with_html = render(&format!("{md}\n<b>x</b>\n"), &keep, usize::MAX).html;
        // Only the raw HTML goes through the sanitizer: pulldown-cmark's HTML is kept as is.
        assert!(with_html.starts_with(&plain), "{plain}\n---\n{with_html}");
        assert!(with_html.ends_with("<p><b>x</b></p>\n"), "{with_html}");
        let blocks = "<figure><img src=\"a.jpg\"></figure>\n\nChữ.\n\n<div>\n<p>x</p>\n</div>\n";
        let options = RenderOptions {
            plain_limit: 0,
            html: HtmlPolicy::Trusted,
        };
        assert_eq!(
            render(blocks, &keep, 0).html,
            render_with(blocks, &keep, options).html,
            "allowed raw HTML comes out as written, line breaks included"
        );
    }

    #[test]
    fn no_mix_of_markdown_and_hostile_html_leaves_anything_the_sanitizer_removes() {
        const PARTS: &[&str] = &[
            "<div class=\"a\" onclick=\"x\">",
            "</div>",
            "<img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "<a href=\"javascript:x\">",
            "</a>",
            "[l](javascript:y)",
            "![<b onclick=x>y</b>](a.png)",
            "<iframe src=\"https://evil.example/\">",
            "<iframe src=\"https://www.youtube.com/embed/x\">",
            "</iframe>",
            "<p title=\"a",
            "\">",
            "**b**",
            "chữ",
            "\n\n",
            "\n",
            "| a |\n|---|\n| <b onclick=1>x</b> |\n",
            "<!-- c -->",
            "<!--",
            "-->",
            "<style>x</style>",
            "`<code>`",
            "<svg><style><img src=x onerror=1>",
            "<textarea>",
            "</textarea>",
            "\u{e000}0\u{e001}",
            "<table>",
            "</table>",
            "<td>",
            "> <span onmouseover=1>",
            "<math><mi><a href=\"vbscript:x\">",
            "<noscript><p title=\"</noscript><img src=x onerror=1>\">",
            "- [x] <i>",
            "[^1]\n\n[^1]: <u onclick=1>n</u>",
            "# <em>h</em>\n",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let count = 1 + next(12);
            let md: String = (0..count).map(|_| PARTS[next(PARTS.len())]).collect();
            let html = render(&md, &keep, usize::MAX).html;
            let left = crate::sanitize::removals(&html);
            assert!(left.is_empty(), "{md:?}\ngives {html}\nwith {left:?}");
        }
    }
}
