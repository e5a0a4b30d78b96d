//! HTML and URLs written by editors, made safe to publish: raw HTML in Markdown goes through
//! ammonia with an allow-list made for news (tables, figures, videos from known hosts), and
//! every URL an editor writes (links, images, `image:`, menus) must have a safe scheme.
//!
//! ammonia does the cleaning; [`removals`] reads each raw HTML fragment with the same
//! allow-list to say, file and line, what the cleaning took away.

use crate::html::{Attribute, Tag};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

/// URL schemes allowed in links and images; a URL without a scheme (a path) is allowed too.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "sms", "ftp"];

/// Hosts an `<iframe>` may show: video players only.
pub const VIDEO_HOSTS: &[&str] = &[
    "www.youtube.com",
    "youtube.com",
    "www.youtube-nocookie.com",
    "youtube-nocookie.com",
    "player.vimeo.com",
];

/// Attributes allowed on every tag.
const GENERIC_ATTRIBUTES: &[&str] = &["class", "id", "title", "lang", "dir", "style"];

/// CSS properties kept in `style` attributes (text layout only: Word and CMS copies use
/// them; nothing that loads a resource).
const STYLE_PROPERTIES: &[&str] = &[
    "text-align",
    "width",
    "max-width",
    "height",
    "float",
    "margin",
    "margin-left",
    "margin-right",
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "text-decoration",
    "vertical-align",
];

/// Tags allowed, each with the attributes it may have besides the generic ones.
const TAGS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "name", "target"]),
    ("abbr", &[]),
    ("b", &[]),
    ("blockquote", &["cite"]),
    ("br", &[]),
    ("caption", &[]),
    ("center", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("col", &["span", "width"]),
    ("colgroup", &["span", "width"]),
    ("dd", &[]),
    ("del", &[]),
    ("details", &["open"]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("hr", &[]),
    ("i", &[]),
    (
        "iframe",
        &[
            "src",
            "width",
            "height",
            "loading",
            "allow",
            "allowfullscreen",
            "frameborder",
            "referrerpolicy",
        ],
    ),
    (
        "img",
        &["src", "alt", "width", "height", "loading", "align"],
    ),
    // Task lists: pulldown-cmark writes `<input disabled="" type="checkbox"/>`.
    ("input", &["type", "checked", "disabled"]),
    ("ins", &[]),
    ("kbd", &[]),
    ("li", &["value"]),
    ("mark", &[]),
    ("ol", &["start", "type"]),
    ("p", &["align"]),
    ("pre", &[]),
    ("q", &["cite"]),
    ("s", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &[]),
    ("table", &["border", "width"]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan", "align", "width"]),
    ("tfoot", &[]),
    ("th", &["colspan", "rowspan", "align", "width", "scope"]),
    ("thead", &[]),
    ("time", &["datetime"]),
    ("tr", &[]),
    ("u", &[]),
    ("ul", &[]),
    ("wbr", &[]),
    (
        "video",
        &[
            "src",
            "controls",
            "preload",
            "poster",
            "width",
            "height",
            "aria-label",
        ],
    ),
    ("source", &["src", "type"]),
];

/// Tags removed together with their content.
const REMOVED_WITH_CONTENT: &[&str] = &["script", "style"];

/// Attributes whose value is a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite"];

/// Why `url` must not be published as a link or image address (`None` when it is safe):
/// its scheme, as a browser reads it, is not one of [`SAFE_SCHEMES`].
pub fn unsafe_url(url: &str) -> Option<String> {
    let scheme = url_scheme(url)?;
    (!SAFE_SCHEMES.contains(&scheme.as_str()))
        .then(|| format!("a `{scheme}:` URL is not allowed (it could run a script)"))
}

/// The scheme of `url` as a browser reads it (lower case), or `None` for a relative URL.
/// Browsers ignore leading spaces and control characters and any tab or line break, so
/// `" java\tscript:"` is a `javascript:` URL.
pub fn url_scheme(url: &str) -> Option<String> {
    let mut scheme = String::new();
    let trimmed = url.trim_start_matches(|c: char| c <= ' ');
    for c in trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' => return (!scheme.is_empty()).then_some(scheme),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                scheme.push(c.to_ascii_lowercase())
            }
            _ => return None,
        }
    }
    None
}

/// Whether an `<iframe src>` points at one of the [`VIDEO_HOSTS`] over https.
pub fn is_video_url(url: &str) -> bool {
    let url = url.trim();
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("//"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    VIDEO_HOSTS.contains(&host.to_ascii_lowercase().as_str())
}

/// The sanitizer, built once.
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::empty();
        builder
            .add_tags(TAGS.iter().map(|(tag, _)| *tag))
            .add_generic_attributes(GENERIC_ATTRIBUTES)
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
            .url_schemes(SAFE_SCHEMES.iter().copied().collect())
            .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
            // Links keep what pulldown-cmark writes; no `rel` is added.
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(|element, attribute, value| {
                if element == "iframe" && attribute == "src" && !is_video_url(value) {
                    None
                } else {
                    Some(Cow::Borrowed(value))
                }
            });
        for (tag, attributes) in TAGS {
            builder.add_tag_attributes(tag, attributes.iter());
        }
        builder
    })
}

/// `html` with every tag, attribute and URL outside the allow-list removed.
pub fn clean(html: &str) -> String {
    empty_iframes(cleaner().clean(html).to_string())
}

/// Removes what is written inside `<iframe>` elements. Browsers never show it (it is raw
/// text), but the sanitizer keeps it as written, so `<img onerror=...>` there would come
/// alive in any later tool (a feed reader, a copy into another page) that strips the
/// `<iframe>` tags and keeps their content.
fn empty_iframes(html: String) -> String {
    if !html.contains("<iframe") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(content) = after_iframe_start_tag(rest) {
        out.push_str(&rest[..content]);
        let end = iframe_end_tag(&rest[content..]).map_or(rest.len(), |e| content + e);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where the content of the first `<iframe>` of sanitized `html` starts: just after its
/// start tag, found by reading tags (attribute values in double quotes may hold `<`, `>`).
/// Where the end tag of an iframe's content starts: a `</iframe` that a browser takes as one
/// (followed by white space, `/` or `>`); `</iframe!` and the like are still its text.
fn iframe_end_tag(content: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find_ignoring_case(&content[from..], "</iframe").map(|i| from + i) {
        let after = content.as_bytes().get(at + "</iframe".len());
        if after.is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn after_iframe_start_tag(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(open) = html[i..].find('<') {
        i += open + 1;
        let is_iframe = html[i..].starts_with("iframe")
            && !bytes.get(i + 6).is_some_and(u8::is_ascii_alphanumeric);
        let mut in_value = false;
        loop {
            match bytes.get(i)? {
                b'"' => in_value = !in_value,
                b'>' if !in_value => break,
                _ => {}
            }
            i += 1;
        }
        i += 1;
        if is_iframe {
            return Some(i);
        }
    }
    None
}

/// The two characters (from the Private Use Area) a mark is made of: `\u{E000}`, a number,
/// `\u{E001}`.
const MARK: [char; 2] = ['\u{E000}', '\u{E001}'];

/// The mark that stands for raw HTML piece (or Markdown HTML piece) number `n`.
pub fn mark(n: usize) -> String {
    format!("{}{n}{}", MARK[0], MARK[1])
}

/// Whether `text` has a character marks are made of (then marks cannot be used on it).
pub fn has_mark_characters(text: &str) -> bool {
    text.contains(MARK)
}

/// Sanitizes a rendered body where each raw HTML piece was replaced by its [`mark`]
/// (`raw[n]` for mark `n`), running the sanitizer on the raw HTML only, not on the whole
/// body: pulldown-cmark's own HTML is escaped already.
///
/// The raw pieces are sanitized together, in order, with a mark standing for each piece of
/// Markdown HTML between them, so that a `<div>` opened in one HTML block and closed in
/// another still wraps what is between; then the Markdown HTML is put back in place of its
/// marks. That is safe only when every mark is in text, both in pulldown-cmark's HTML (raw
/// HTML in an image's `alt` is not) and in the sanitized HTML (not in an attribute), and
/// the sanitizer kept every mark, once, in order; otherwise the whole body is sanitized.
pub fn clean_marked(html: &str, raw: &[impl AsRef<str>]) -> String {
    split_marked(html, raw.len())
        .and_then(|markdown| clean_pieces(&markdown, raw))
        .unwrap_or_else(|| clean(&unmark(html, raw)))
}

/// The Markdown HTML between the marks `0..count` of `html`, when the marks are all there,
/// in order and in text (not inside a tag).
fn split_marked(html: &str, count: usize) -> Option<Vec<&str>> {
    let mut pieces = Vec::with_capacity(count + 1);
    let mut rest = html;
    for n in 0..count {
        let at = rest.find(MARK[0])?;
        let piece = &rest[..at];
        let mark = mark(n);
        if !ends_in_text(piece) || !rest[at..].starts_with(&mark) {
            return None;
        }
        pieces.push(piece);
        rest = &rest[at + mark.len()..];
    }
    (!rest.contains(MARK)).then(|| {
        pieces.push(rest);
        pieces
    })
}

/// Sanitizes `raw` with a mark for each piece of `markdown` HTML between them (but spaces),
/// then puts the Markdown HTML back; `None` when a mark did not come through in text.
fn clean_pieces(markdown: &[&str], raw: &[impl AsRef<str>]) -> Option<String> {
    // Line breaks between the lines of an HTML block go in as they are, so that a tag
    // written over several lines stays whole.
    let marked = |piece: &&str| !piece.trim_ascii().is_empty();
    let mut skeleton = String::new();
    for (n, piece) in markdown.iter().enumerate() {
        if marked(piece) {
            skeleton.push_str(&mark(n));
        } else {
            skeleton.push_str(piece);
        }
        if let Some(raw) = raw.get(n) {
            skeleton.push_str(raw.as_ref());
        }
    }
    let cleaned = clean(&skeleton);
    let mut out =
        String::with_capacity(cleaned.len() + markdown.iter().map(|p| p.len()).sum::<usize>());
    let mut rest = cleaned.as_str();
    for (n, piece) in markdown.iter().enumerate().filter(|(_, p)| marked(p)) {
        let at = rest.find(MARK[0])?;
        let mark = mark(n);
        if !ends_in_text(&rest[..at]) || !rest[at..].starts_with(&mark) {
            return None;
        }
        out.push_str(&rest[..at]);
        out.push_str(piece);
        rest = &rest[at + mark.len()..];
    }
    if rest.contains(MARK) {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

/// Whether HTML that starts in text ends in text: not inside a tag (attribute values in
/// double quotes, as pulldown-cmark and the sanitizer write them), nor inside an
/// `<iframe>`, whose content is raw text (the one such element the sanitizer keeps). Exact
/// for the HTML these two write; anything else makes it answer `false`, never wrongly `true`
/// for them.
fn ends_in_text(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(open) = html[i..].find('<') {
        i += open + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name_end = html[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(html.len(), |n| name_start + n);
        let mut in_value = false;
        i = name_end;
        loop {
            match bytes.get(i) {
                None => return false,
                Some(b'"') => in_value = !in_value,
                Some(b'>') if !in_value => break,
                _ => {}
            }
            i += 1;
        }
        i += 1;
        if !closing && html[name_start..name_end].eq_ignore_ascii_case("iframe") {
            match find_ignoring_case(&html[i..], "</iframe") {
                Some(end) => i += end,
                None => return false,
            }
        }
    }
    true
}

/// Where `needle` (ASCII) first occurs in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `html` with each mark replaced by its raw HTML again.
fn unmark(html: &str, raw: &[impl AsRef<str>]) -> String {
    let mut out = html.to_string();
    for (n, piece) in raw.iter().enumerate().rev() {
        out = out.replacen(&mark(n), piece.as_ref(), 1);
    }
    out
}

/// What [`clean`] removes from one raw HTML fragment, each with its byte offset in the
/// fragment, so that warnings can name the line.
pub fn removals(fragment: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, tag) in crate::html::tags(fragment) {
        if !tag.closing {
            found.extend(tag_removals(&tag).into_iter().map(|m| (at, m)));
        }
    }
    found
}

/// What the allow-list takes away from one opening tag.
fn tag_removals(tag: &Tag) -> Vec<String> {
    let name = tag.name.as_str();
    if REMOVED_WITH_CONTENT.contains(&name) {
        return vec![format!("removed `<{name}>` and its content")];
    }
    let Some((_, allowed)) = TAGS.iter().find(|(t, _)| *t == name) else {
        return vec![format!("removed the tag `<{name}>` (its text is kept)")];
    };
    let mut out = Vec::new();
    for Attribute {
        name: attribute,
        value,
        ..
    } in &tag.attributes
    {
        let attribute = attribute.as_str();
        if !allowed.contains(&attribute) && !GENERIC_ATTRIBUTES.contains(&attribute) {
            out.push(format!("removed the attribute `{attribute}` of `<{name}>`"));
        } else if URL_ATTRIBUTES.contains(&attribute) && unsafe_url(value).is_some() {
            let scheme = url_scheme(value).unwrap_or_default();
            out.push(format!(
                "removed the `{scheme}:` URL in `{attribute}` of `<{name}>`"
            ));
        } else if name == "iframe" && attribute == "src" && !is_video_url(value) {
            out.push(format!(
                "removed `src` of `<iframe>`: only https videos from {} may be embedded",
                VIDEO_HOSTS.join(", ")
            ));
        } else if attribute == "style" {
            out.extend(style_removals(name, value));
        }
    }
    out
}

/// The CSS properties of a `style` attribute that are not kept.
fn style_removals(tag: &str, style: &str) -> Vec<String> {
    let kept: HashSet<&str> = STYLE_PROPERTIES.iter().copied().collect();
    style
        .split(';')
        .filter_map(|declaration| declaration.split_once(':'))
        .map(|(property, _)| property.trim().to_ascii_lowercase())
        .filter(|property| !property.is_empty() && !kept.contains(property.as_str()))
        .map(|property| format!("removed the style `{property}` of `<{tag}>`"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iframe_is_emptied_up_to_its_real_end_tag() {
        // Found by tests/fuzz_input.rs: `</iframe!` is text to a browser, not the end.
        let html = "<iframe src=\"https://www.youtube.com/embed/x\"></iframe!\n<script>alert(1)</script></iframe><p>b</p>";
        let emptied = empty_iframes(html.to_string());
        assert_eq!(
            emptied,
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe><p>b</p>"
        );
        assert_eq!(iframe_end_tag("a</iframe >"), Some(1));
        assert_eq!(iframe_end_tag("a</iframe!x"), None);
    }

    #[test]
    fn reads_schemes_as_browsers_do() {
        assert_eq!(
            url_scheme("JavaScript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(url_scheme(" java\tscript:x").as_deref(), Some("javascript"));
        assert_eq!(url_scheme("/tin-tuc/a:b"), None);
        assert_eq!(url_scheme("a.md"), None);
        assert_eq!(url_scheme("#muc-1"), None);
        assert!(unsafe_url("vbscript:x").is_some());
        assert!(unsafe_url("data:text/html,<script>").is_some());
        assert!(unsafe_url("https://example.gov.vn/").is_none());
        assert!(unsafe_url("mailto:toasoan@example.gov.vn").is_none());
    }

    #[test]
    fn removes_scripts_handlers_and_bad_urls() {
        let html = clean(
            "<p onclick=\"x()\">a<script>alert(1)</script></p>\
             <img src=\"x.jpg\" onerror=\"alert(1)\">\
             <a href=\"jav&#x61;script:alert(1)\">b</a>",
        );
        assert_eq!(html, "<p>a</p><img src=\"x.jpg\"><a>b</a>");
    }

    #[test]
    fn keeps_what_news_needs() {
        let html = "<figure class=\"anh\"><img src=\"/a.jpg\" alt=\"Ảnh\" width=\"600\" \
                    loading=\"lazy\"><figcaption>Chú thích</figcaption></figure>\
                    <table><tbody><tr><td colspan=\"2\" style=\"text-align:center\">1</td>\
                    </tr></tbody></table>\
                    <iframe src=\"https://www.youtube-nocookie.com/embed/x\" \
                    allowfullscreen=\"\"></iframe>";
        assert_eq!(clean(html), html);
    }

    #[test]
    fn iframes_are_left_empty() {
        assert_eq!(
            clean("<iframe src=\"https://www.youtube.com/embed/x\"><img src=x onerror=alert(1)></iframe><p title=\"<iframe>\">a</p>"),
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe><p title=\"&lt;iframe&gt;\">a</p>"
        );
    }

    #[test]
    fn iframes_only_from_video_hosts() {
        assert_eq!(
            clean("<iframe src=\"https://evil.example/x\"></iframe>"),
            "<iframe></iframe>"
        );
        assert!(is_video_url("https://player.vimeo.com/video/1"));
        assert!(!is_video_url("http://www.youtube.com/embed/x"));
        assert!(!is_video_url("https://www.youtube.com.evil.example/"));
    }

    #[test]
    fn names_every_removal() {
        let found = removals(
            "<div onclick=\"x\">\n<script>a</script>\n<a href=\"jav&#x61;script&colon;x\">\
             <iframe src=\"https://evil.example/\"></iframe><object></object>\
             <p style=\"color:red;position:fixed\">",
        );
        let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "removed the attribute `onclick` of `<div>`",
                "removed `<script>` and its content",
                "removed the `javascript:` URL in `href` of `<a>`",
                "removed `src` of `<iframe>`: only https videos from www.youtube.com, \
                 youtube.com, www.youtube-nocookie.com, youtube-nocookie.com, \
                 player.vimeo.com may be embedded",
                "removed the tag `<object>` (its text is kept)",
                "removed the style `position` of `<p>`",
            ]
        );
        assert_eq!(found[1].0, "<div onclick=\"x\">\n".len());
    }

    #[test]
    fn allowed_html_has_no_removals() {
        assert!(
            removals("<figure><img src=\"a.jpg\" alt=\"x > y\"></figure><!-- <script> -->")
                .is_empty()
        );
    }

    /// Sanitizes `parts` (Markdown HTML and raw HTML in turn) the fast way.
    fn marked(parts: &[&str]) -> String {
        let mut html = String::new();
        let mut raw = Vec::new();
        for (n, part) in parts.iter().enumerate() {
            if n % 2 == 0 {
                html.push_str(part);
            } else {
                html.push_str(&mark(raw.len()));
                raw.push(*part);
            }
        }
        clean_marked(&html, &raw)
    }

    #[test]
    fn marked_raw_html_is_sanitized_in_place_and_keeps_its_structure() {
        let html = marked(&[
            "<p>Mở đầu.</p>\n",
            "<div class=\"hop\" onclick=\"x()\">\n",
            "<p>Trong <strong>hộp</strong>.</p>\n",
            "</div>\n",
            "<p>Chữ ",
            "<img src=\"a.jpg\" onerror=\"alert(1)\">",
            " cuối.</p>\n",
        ]);
        assert_eq!(
            html,
            "<p>Mở đầu.</p>\n<div class=\"hop\">\n<p>Trong <strong>hộp</strong>.</p>\n\
             </div>\n<p>Chữ <img src=\"a.jpg\"> cuối.</p>\n"
        );
    }

    #[test]
    fn marks_outside_text_fall_back_to_sanitizing_the_whole_body() {
        // Raw HTML in an image's alt text: pulldown-cmark escapes it into the attribute.
        let html = marked(&[
            "<p><img src=\"a.jpg\" alt=\"",
            "<b title=\"x\">",
            "\" /></p>",
        ]);
        assert!(!html.contains("<b"), "{html}");
        // A tag left open in raw HTML swallows the Markdown HTML into an attribute.
        let html = marked(&[
            "",
            "<div title=\"a",
            "<p><a href=\"/x\">x</a></p>",
            "\">",
            "",
        ]);
        assert!(!html.contains("<a href"), "{html}");
        // Markdown HTML inside an iframe is raw text there.
        let html = marked(&[
            "",
            "<iframe src=\"https://www.youtube.com/embed/x\">",
            "<p>x</p>",
            "</iframe>",
            "",
        ]);
        assert!(html.starts_with("<iframe"), "{html}");
    }

    #[test]
    fn tells_text_from_tags() {
        assert!(ends_in_text("<p class=\"a>b\">x</p>"));
        assert!(!ends_in_text("<p class=\"a"));
        assert!(!ends_in_text("<img alt=\"x"));
        assert!(!ends_in_text("<iframe src=\"x\">"));
        assert!(ends_in_text("<iframe src=\"x\"></iframe> y"));
    }
}
