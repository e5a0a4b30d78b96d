//! Markdown → HTML with pulldown-cmark: heading anchors, link rewriting, summary and plain text.

use crate::text::slug::slugify;
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// What to do with one link or image destination written in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// A problem with a link, at a line of the Markdown body (1-based, from the body's start).
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// An article body rendered.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Plain text of the first paragraph (the default summary).
    pub first_paragraph: String,
    /// Plain text of the body (up to the limit the caller asked for), for related articles
    /// and search.
    pub plain: String,
    /// Link problems found.
    pub issues: Vec<LinkIssue>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders `markdown` in one pass: the HTML, the summary (first paragraph), the plain text
/// (at most `plain_limit` bytes, cut at a character boundary) and the link issues, asking
/// `resolve(destination, is_image)` about every link and image.
pub fn render(
    markdown: &str,
    resolve: &dyn Fn(&str, bool) -> LinkTarget,
    plain_limit: usize,
) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut line = 1;
    let mut line_pos = 0;
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
                line += markdown[line_pos..range.start].matches('\n').count();
                line_pos = range.start;
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
                line += markdown[line_pos..range.start].matches('\n').count();
                line_pos = range.start;
                let target = resolve(&dest_url, true);
                let missing_file = matches!(target, LinkTarget::MissingFile(_));
                let dest_url = match target {
                    LinkTarget::Rewrite(url) => url.into(),
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
    // The HTML is kept until its page is written: written into a buffer that each thread
    // reuses, then copied at its exact size, so no spare capacity is held (a quarter more
    // memory than the text itself when the string grows as it is written).
    HTML_BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        html::push_html(buffer, events.into_iter());
        out.html = buffer.as_str().to_owned();
    });
    out
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
fn add_heading_ids(events: &mut [Event<'_>]) {
    let mut used: HashSet<String> = HashSet::new();
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
            let mut id = base.clone();
            let mut n = 1;
            while !used.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
            i = j;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
