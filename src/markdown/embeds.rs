//! Videos and photo galleries, written with the syntax editors already know:
//!
//! - a line with a YouTube or Vimeo address alone, or `![Tiêu đề](https://youtu.be/...)`,
//!   becomes a responsive 16:9 player titled for screen readers;
//! - `![Tiêu đề](clip.mp4 "anh-bia.jpg")` (a `.mp4`, `.webm` or `.ogv` file; the optional
//!   title names a poster image) becomes `<video controls preload="metadata">`;
//! - a paragraph made only of two or more images becomes a gallery: a grid of captioned
//!   photos (the caption is the image's title, or else its text), each a link to the photo
//!   itself, so it opens large, by mouse, touch or keyboard, without a script.

use super::LinkTarget;
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use quick_xml::escape::escape;

/// An image as written: its (resolved) address, title and text.
struct Image<'a> {
    url: CowStr<'a>,
    title: CowStr<'a>,
    alt: String,
}

/// What one item of a paragraph is.
enum Item<'a> {
    Image(Image<'a>),
    /// A bare address alone on its line (text or an autolink).
    Address(String),
    /// Spaces and line breaks between images.
    Space,
    Other,
}

/// Replaces video images and addresses with players, and image-only paragraphs with
/// galleries; `resolve` finds a poster named in a video's title.
pub(super) fn embed(events: &mut Vec<Event<'_>>, resolve: &dyn Fn(&str, bool) -> LinkTarget) {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::Start(Tag::Paragraph)) {
            if let Some(end) = paragraph_end(events, i) {
                if let Some(html) = paragraph_embed(&events[i + 1..end], resolve) {
                    out.push(Event::Html(html.into()));
                    i = end + 1;
                    continue;
                }
            }
        }
        if let Some((html, len)) = inline_video(&events[i..], resolve) {
            out.push(Event::InlineHtml(html.into()));
            i += len;
            continue;
        }
        out.push(std::mem::replace(&mut events[i], Event::SoftBreak));
        i += 1;
    }
    *events = out;
}

/// The index of the `End(Paragraph)` of the paragraph starting at `start`.
fn paragraph_end(events: &[Event<'_>], start: usize) -> Option<usize> {
    events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        .map(|p| start + p)
}

/// The HTML that replaces a whole paragraph, if it is one video or a gallery.
fn paragraph_embed(
    inner: &[Event<'_>],
    resolve: &dyn Fn(&str, bool) -> LinkTarget,
) -> Option<String> {
    let items = items(inner);
    let mut images = Vec::new();
    let mut addresses = Vec::new();
    for item in items {
        match item {
            Item::Image(image) => images.push(image),
            Item::Address(url) => addresses.push(url),
            Item::Space => {}
            Item::Other => return None,
        }
    }
    match (images.as_slice(), addresses.as_slice()) {
        ([], [url]) => player(url, "Video", "", resolve).map(|p| figure(&p, "")),
        ([image], []) => {
            player(&image.url, &image.alt, &image.title, resolve).map(|p| figure(&p, &image.alt))
        }
        (images, []) if images.len() >= 2 => Some(gallery(images)),
        _ => None,
    }
}

/// A video image inside a paragraph with other text: the player alone, and how many
/// events it replaces.
fn inline_video(
    events: &[Event<'_>],
    resolve: &dyn Fn(&str, bool) -> LinkTarget,
) -> Option<(String, usize)> {
    let Event::Start(Tag::Image {
        dest_url, title, ..
    }) = events.first()?
    else {
        return None;
    };
    let end = events
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Image)))?;
    let alt = text_of(&events[1..end]);
    let html = player(dest_url, &alt, title, resolve)?;
    Some((html, end + 1))
}

/// Reads a paragraph's events as images, bare addresses, spaces and anything else.
fn items<'a>(inner: &[Event<'a>]) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    let mut i = 0;
    while i < inner.len() {
        match &inner[i] {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let Some(len) = inner[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Image)))
                else {
                    return vec![Item::Other];
                };
                items.push(Item::Image(Image {
                    url: dest_url.clone(),
                    title: title.clone(),
                    alt: text_of(&inner[i + 1..i + len]),
                }));
                i += len + 1;
                continue;
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url,
                ..
            }) => {
                let Some(len) = inner[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Link)))
                else {
                    return vec![Item::Other];
                };
                items.push(Item::Address(dest_url.to_string()));
                i += len + 1;
                continue;
            }
            Event::Text(text) if text.trim().is_empty() => items.push(Item::Space),
            Event::Text(text) if is_address(text.trim()) => {
                items.push(Item::Address(text.trim().to_string()))
            }
            Event::SoftBreak | Event::HardBreak => items.push(Item::Space),
            _ => items.push(Item::Other),
        }
        i += 1;
    }
    items
}

fn is_address(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
}

fn text_of(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            out.push_str(t);
        }
    }
    out
}

/// The player for `url` (titled `title` for screen readers; `poster` names a poster image
/// for a video file), or `None` when `url` is not a video.
fn player(
    url: &str,
    title: &str,
    poster: &str,
    resolve: &dyn Fn(&str, bool) -> LinkTarget,
) -> Option<String> {
    let title = if title.trim().is_empty() {
        "Video"
    } else {
        title.trim()
    };
    if let Some(embed) = embed_url(url) {
        return Some(format!(
            "<iframe src=\"{}\" title=\"{}\" loading=\"lazy\" allow=\"encrypted-media; picture-in-picture; fullscreen\" allowfullscreen referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>",
            escape(embed.as_str()),
            escape(title)
        ));
    }
    if !is_video_file(url) {
        return None;
    }
    let poster = match poster.trim() {
        "" => String::new(),
        written => {
            let url = match resolve(written, true) {
                LinkTarget::Rewrite(url) => url,
                _ => written.to_string(),
            };
            format!(" poster=\"{}\"", escape(url.as_str()))
        }
    };
    Some(format!(
        "<video controls preload=\"metadata\" src=\"{url}\"{poster} aria-label=\"{title}\"><a href=\"{url}\">{title}</a></video>",
        url = escape(url),
        title = escape(title),
    ))
}

/// The embeddable address of a YouTube or Vimeo video page, if `url` is one.
pub(super) fn embed_url(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .unwrap_or(host);
    let id = match host {
        "youtu.be" => path.split(['?', '#', '/']).next(),
        "youtube.com" => match path.split_once('?') {
            Some(("watch", query)) => query.split('&').find_map(|p| p.strip_prefix("v=")),
            _ => path
                .strip_prefix("shorts/")
                .or_else(|| path.strip_prefix("embed/"))
                .and_then(|p| p.split(['?', '#', '/']).next()),
        },
        "vimeo.com" => {
            let id = path.split(['?', '#', '/']).next()?;
            return (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
                .then(|| format!("https://player.vimeo.com/video/{id}"));
        }
        _ => None,
    }?;
    let valid = id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
}

fn is_video_file(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let lower = path.to_ascii_lowercase();
    [".mp4", ".webm", ".ogv"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn figure(player: &str, caption: &str) -> String {
    let caption = caption.trim();
    let caption = if caption.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{}</figcaption>", escape(caption))
    };
    format!("<figure class=\"video\">{player}{caption}</figure>\n")
}

fn gallery(images: &[Image<'_>]) -> String {
    let mut html = String::from("<div class=\"gallery\">\n");
    for image in images {
        let caption = if image.title.trim().is_empty() {
            image.alt.trim()
        } else {
            image.title.trim()
        };
        html.push_str(&format!(
            "<figure><a href=\"{url}\"><img src=\"{url}\" alt=\"{alt}\" loading=\"lazy\"></a>",
            url = escape(image.url.as_ref()),
            alt = escape(image.alt.trim()),
        ));
        if !caption.is_empty() {
            html.push_str(&format!("<figcaption>{}</figcaption>", escape(caption)));
        }
        html.push_str("</figure>\n");
    }
    html.push_str("</div>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_and_vimeo_pages_give_their_player_address() {
        let yt = Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ".to_string());
        assert_eq!(
            embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10"),
            yt
        );
        assert_eq!(embed_url("https://youtu.be/dQw4w9WgXcQ?si=x"), yt);
        assert_eq!(embed_url("https://m.youtube.com/shorts/dQw4w9WgXcQ"), yt);
        assert_eq!(
            embed_url("https://vimeo.com/123456"),
            Some("https://player.vimeo.com/video/123456".into())
        );
        assert_eq!(embed_url("https://youtube.com/watch?v=short"), None);
        assert_eq!(embed_url("https://example.com/watch?v=dQw4w9WgXcQ"), None);
        assert_eq!(embed_url("/videos/a.mp4"), None);
    }

    fn render(md: &str) -> String {
        let resolve = |dest: &str, _: bool| match dest.starts_with("http") {
            true => LinkTarget::Keep,
            false => LinkTarget::Rewrite(format!("/2024/03/{dest}")),
        };
        super::super::render(md, &resolve, usize::MAX).html
    }

    #[test]
    fn an_address_alone_on_its_line_becomes_a_titled_player() {
        let html = render("Mở đầu.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<https://youtu.be/dQw4w9WgXcQ>\n");
        assert_eq!(html.matches("<figure class=\"video\"><iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"Video\"").count(), 2, "{html}");
        assert!(!html.contains("<p>https://"), "{html}");
    }

    #[test]
    fn an_image_of_a_video_gives_a_player_titled_by_its_text() {
        let html = render("![Lễ ký kết hợp tác](https://vimeo.com/123456)\n");
        assert!(
            html.contains(
                "<iframe src=\"https://player.vimeo.com/video/123456\" title=\"Lễ ký kết hợp tác\""
            ),
            "{html}"
        );
        assert!(
            html.contains("<figcaption>Lễ ký kết hợp tác</figcaption></figure>"),
            "{html}"
        );
        assert!(!html.contains("<p>"), "{html}");
    }

    #[test]
    fn a_video_file_plays_in_a_video_element_with_its_poster() {
        let html = render("![Hội thảo](hoi-thao.mp4 \"anh-bia.jpg\")\n");
        assert!(
            html.contains("<video controls preload=\"metadata\" src=\"/2024/03/hoi-thao.mp4\" poster=\"/2024/03/anh-bia.jpg\" aria-label=\"Hội thảo\">"),
            "{html}"
        );
        let inline = render("Xem ![clip](a.webm) tại đây.\n");
        assert!(inline.contains("<p>Xem <video controls"), "{inline}");
    }

    #[test]
    fn a_paragraph_of_images_becomes_a_gallery_of_links_with_captions() {
        let html = render("![Quang cảnh](a.jpg \"Quang cảnh hội nghị\")\n![Phát biểu](b.jpg)\n");
        assert!(html.starts_with("<div class=\"gallery\">"), "{html}");
        assert!(html.contains("<figure><a href=\"/2024/03/a.jpg\"><img src=\"/2024/03/a.jpg\" alt=\"Quang cảnh\" loading=\"lazy\"></a><figcaption>Quang cảnh hội nghị</figcaption></figure>"), "{html}");
        assert!(
            html.contains("<figcaption>Phát biểu</figcaption>"),
            "{html}"
        );
        let single = render("![Một ảnh](a.jpg)\n");
        assert!(
            single.contains("<p><img src=\"/2024/03/a.jpg\""),
            "one image stays an image: {single}"
        );
        let mixed = render("Chữ ![a](a.jpg) ![b](b.jpg)\n");
        assert!(!mixed.contains("gallery"), "{mixed}");
    }
}
