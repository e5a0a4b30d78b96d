//! Answers one request from the current generation: URL path → file, page, redirect or 404,
//! with the error overlay over HTML pages while the last rebuild failed.
//! Nothing here touches the disk except reading a theme file or content asset that the site
//! itself lists, so no request path can reach any other file.

use super::state::{ErrorItem, Found, Generation, Good};
use crate::html::escape_html;
use percent_encoding::percent_decode_str;

/// An answer, before it becomes an HTTP response.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`, when there is a body.
    pub content_type: &'static str,
    /// `Location`, for redirects.
    pub location: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: text.as_bytes().to_vec(),
        }
    }

    fn redirect(to: String) -> Reply {
        Reply {
            status: 308,
            content_type: "text/plain; charset=utf-8",
            body: format!("Moved to {to}\n").into_bytes(),
            location: Some(to),
        }
    }

    fn html(status: u16, html: String) -> Reply {
        Reply {
            status,
            content_type: HTML,
            location: None,
            body: html.into_bytes(),
        }
    }
}

pub use crate::file_types::content_type;
use crate::file_types::HTML;

/// A request path made safe: percent-decoded, NFC, no `..`/`.` segments, backslashes or
/// NUL bytes. `None` means 400.
pub fn clean_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    if decoded.split('/').any(|s| s == ".." || s == ".") {
        return None;
    }
    Some(crate::text::nfc(&decoded).into_owned())
}

/// Answers `GET raw_path` (the path as sent, still percent-encoded).
pub fn respond(generation: &Generation, raw_path: &str, query: Option<&str>) -> Reply {
    let Some(good) = &generation.good else {
        let page = error_page(&generation.errors);
        return Reply::html(500, inject_before_body_end(&page, &reload_script()));
    };
    let mut reply = respond_good(good, raw_path, query);
    if reply.content_type == HTML {
        let html = String::from_utf8_lossy(&reply.body);
        let mut extra = String::new();
        if !generation.errors.is_empty() {
            extra.push_str(&overlay(&generation.errors));
        }
        extra.push_str(&reload_script());
        reply.body = inject_before_body_end(&html, &extra).into_bytes();
    }
    reply
}

/// Where tower-livereload answers the browsers' event streams.
pub const LIVERELOAD_PREFIX: &str = "/_trangtin/livereload";

/// The script injected into every HTML page: it listens to the live-reload event stream and
/// reloads the page on every rebuild, and when the server comes back after a restart.
pub fn reload_script() -> String {
    format!(
        "<script data-trangtin-livereload>(()=>{{addEventListener(\"pageshow\",()=>{{\
         const s=new EventSource(\"{LIVERELOAD_PREFIX}/event-stream\");let lost=false;\
         s.addEventListener(\"reload\",()=>{{s.close();location.reload();}});\
         s.addEventListener(\"error\",()=>{{lost=true;}});\
         s.addEventListener(\"init\",()=>{{if(lost){{s.close();location.reload();}}}});\
         addEventListener(\"pagehide\",()=>s.close());}});}})();</script>"
    )
}

fn respond_good(good: &Good, raw_path: &str, query: Option<&str>) -> Reply {
    let Some(path) = clean_path(raw_path) else {
        return Reply::text(400, "Bad request: this path is not allowed.\n");
    };
    let base = good.base_path();
    let Some(relative) = path.strip_prefix(base) else {
        if path == "/" || format!("{path}/") == base {
            return Reply::redirect(base.to_string());
        }
        return not_found(good);
    };
    let key = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    if let Some(found) = good.find(&key) {
        return serve(good, found, &key, 200);
    }
    if !relative.is_empty()
        && !relative.ends_with('/')
        && good.find(&format!("{relative}/index.html")).is_some()
    {
        let mut to = format!("{raw_path}/");
        if let Some(q) = query {
            to.push('?');
            to.push_str(q);
        }
        return Reply::redirect(to);
    }
    not_found(good)
}

fn not_found(good: &Good) -> Reply {
    match good.find(crate::routes::NOT_FOUND_FILE) {
        Some(found) => serve(good, found, crate::routes::NOT_FOUND_FILE, 404),
        None => Reply::text(404, "Not found\n"),
    }
}

fn serve(good: &Good, found: Found<'_>, key: &str, status: u16) -> Reply {
    let body = match found {
        Found::Page(index) => match good.page(index) {
            Ok(html) => html.as_bytes().to_vec(),
            Err(err) => return Reply::html(500, error_page(&ErrorItem::list(&err))),
        },
        Found::Bytes(bytes) => bytes.to_vec(),
        Found::Disk(path) => match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                return Reply::html(
                    500,
                    error_page(&[ErrorItem {
                        location: path.display().to_string(),
                        field: None,
                        message: format!("cannot read the file: {e}"),
                    }]),
                )
            }
        },
    };
    Reply {
        status,
        content_type: content_type(key),
        location: None,
        body,
    }
}

/// The id of the overlay element (tests look for it).
pub const OVERLAY_ID: &str = "trangtin-error-overlay";

/// The error panel shown over pages while the site has errors.
pub fn overlay(errors: &[ErrorItem]) -> String {
    let mut html = format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"position:fixed;z-index:2147483647;\
         left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;\
         background:#fff5f5;color:#1a1a1a;border:3px solid #c00;border-radius:6px;\
         box-shadow:0 4px 24px rgba(0,0,0,.35);padding:1rem 1.25rem;\
         font:15px/1.5 system-ui,sans-serif;text-align:left\">\
         <strong style=\"display:block;color:#c00;font-size:1.1rem;margin-bottom:.5rem\">\
         Lỗi khi dựng trang ({n}) — Build failed: the page shows the last good version</strong>\
         <ul style=\"margin:0;padding-left:1.25rem\">",
        n = errors.len()
    );
    for e in errors {
        html.push_str("<li style=\"margin:.25rem 0\"><code style=\"font-weight:bold\">");
        html.push_str(&escape_html(&e.location));
        html.push_str("</code>: ");
        if let Some(field) = &e.field {
            html.push_str("field <code>");
            html.push_str(&escape_html(field));
            html.push_str("</code>: ");
        }
        html.push_str(&escape_html(&e.message));
        html.push_str("</li>");
    }
    html.push_str(
        "</ul><small style=\"display:block;margin-top:.5rem;color:#555\">\
         Sửa tệp và lưu lại, trang sẽ tự tải lại. Fix the file and save; the page reloads \
         by itself.</small></div>",
    );
    html
}

/// `html` with the overlay before its last `</body>` (or at its end).
pub fn inject_overlay(html: &str, errors: &[ErrorItem]) -> String {
    inject_before_body_end(html, &overlay(errors))
}

/// `html` with `panel` inserted before its last `</body>` (or at its end).
pub fn inject_before_body_end(html: &str, panel: &str) -> String {
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + panel.len());
    out.push_str(&html[..at]);
    out.push_str(panel);
    out.push_str(&html[at..]);
    out
}

/// A whole page for when no version of the site has built yet.
pub fn error_page(errors: &[ErrorItem]) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <title>Lỗi khi dựng trang</title></head><body>{}</body></html>\n",
        overlay(errors)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        for raw in [
            "/../Cargo.toml",
            "/%2e%2e/config.yaml",
            "/..%2fconfig.yaml",
            "/a/%2E%2E/%2E%2E/x",
            "/a\\..\\x",
            "/%5c..%5cx",
            "/./x",
            "/%00",
            "/%ff",
            "relative",
        ] {
            assert_eq!(clean_path(raw), None, "{raw}");
        }
        assert_eq!(
            clean_path("/chung/h%E1%BB%99i-ngh%E1%BB%8B/").as_deref(),
            Some("/chung/hội-nghị/")
        );
        assert_eq!(clean_path("/a..b/").as_deref(), Some("/a..b/"));
    }

    #[test]
    fn text_types_say_utf8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("rss.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("x.PNG"), "image/png");
        assert_eq!(content_type("bao-cao.pdf"), "application/pdf");
        assert_eq!(content_type("noext"), "application/octet-stream");
        assert_eq!(content_type("a.b/noext"), "application/octet-stream");
    }

    #[test]
    fn the_overlay_goes_before_body_and_escapes() {
        let errors = [ErrorItem {
            location: "content/a.md:3".into(),
            field: Some("date".into()),
            message: "`<b>` is not a date".into(),
        }];
        let html = inject_overlay("<html><body><p>x</p></body></html>", &errors);
        assert!(html.ends_with("</div></body></html>"), "{html}");
        assert!(html.contains("content/a.md:3"));
        assert!(html.contains("&lt;b&gt;"));
        assert!(!html.contains("<b>"));
    }
}
