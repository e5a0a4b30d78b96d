//! The editor for axum: the request read within its route's limit, answered on a blocking
//! thread, and the preview's own refusal (drafts shown) when the editor guards it.

use super::*;
use std::sync::Arc;

/// The preview of `serve --edit` shows drafts: with accounts, to logged-in clerks only
/// (anyone else is sent to the login page); without, not through a proxy (as the editing
/// area). `None`: the request may go on to the preview.
pub fn preview_refusal(
    editor: &Editor,
    request: &axum::extract::Request,
) -> Option<axum::response::Response> {
    let facts = Facts {
        headers: request.headers(),
        peer: request
            .extensions()
            .get::<crate::serve::guard::Peer>()
            .map(|p| p.0.ip()),
    };
    let refusal = editor.guard.who(&facts).err()?;
    let response =
        axum::response::Response::builder().header(axum::http::header::CACHE_CONTROL, "no-store");
    let response = match refusal {
        Refusal::LogIn if request.method() == Method::GET || request.method() == Method::HEAD => {
            response.status(303).header(
                axum::http::header::LOCATION,
                format!("{}/dang-nhap", editor.prefix),
            )
        }
        Refusal::LogIn => response.status(401),
        Refusal::Status(status, message) => {
            return response
                .status(status)
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "text/plain; charset=utf-8",
                )
                .body(axum::body::Body::from(message))
                .ok()
        }
    };
    response.body(axum::body::Body::empty()).ok()
}

/// Reads and drops a request body, up to `max` bytes.
async fn drain(mut body: axum::body::Body, max: usize) {
    use axum::body::HttpBody;
    let mut seen = 0usize;
    while let Some(Ok(frame)) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        seen += frame.data_ref().map_or(0, |d| d.len());
        if seen > max {
            break;
        }
    }
}

/// What a path is encoded with in a query string: everything but letters, digits and `-._~`.
pub const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The Content-Security-Policy of the editing area's pages: its own script and style sheet
/// only (no inline script, so that a value that slipped past escaping, or a `javascript:`
/// link in the preview, runs nothing); the preview may show photos and videos from
/// anywhere, style attributes the sanitizer kept, and YouTube or Vimeo players.
pub(super) const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     style-src-attr 'unsafe-inline'; img-src 'self' data: blob: https: http:; \
     media-src 'self' https: http:; frame-src https://www.youtube-nocookie.com \
     https://player.vimeo.com; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The Content-Security-Policy of a content file (`/tep/...`) a browser could run script
/// in (HTML, SVG, XML, ...): opened on its own, a sandbox without script.
pub(super) const FILE_POLICY: &str = "sandbox; default-src 'none'; img-src 'self' data:; \
     style-src 'unsafe-inline'; media-src 'self'; frame-ancestors 'self'";

/// Serves the editing area for `serve`: reads the body (within its route's limit) and
/// answers on a blocking thread.
pub async fn serve(
    editor: Arc<Editor>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use axum::http::header;
    let (parts, body) = request.into_parts();
    let route = parts
        .uri
        .path()
        .strip_prefix(editor.prefix.as_str())
        .unwrap_or_default()
        .to_string();
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let limit = body_limit(&route);
    // The content files the preview shows set their own policy (see `content_file`).
    let page_policy = !route.starts_with("/tep/");
    let wants_json = parts
        .headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.starts_with("application/json"));
    let too_large = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > limit);
    // Only a POST of one who may use the editing area (or of the login form) has its body
    // read into memory: otherwise anyone could make the server hold megabytes per connection.
    let peer = parts
        .extensions
        .get::<crate::serve::guard::Peer>()
        .map(|p| p.0.ip());
    let needs_body = parts.method == Method::POST
        && (route == "/dang-nhap"
            || editor
                .guard
                .who(&Facts {
                    headers: &parts.headers,
                    peer,
                })
                .is_ok());
    let body = if !needs_body {
        // Read and dropped, so that the browser sees the refusal (answered below, as the
        // guard says) rather than a connection closed in the middle of its upload.
        drain(body, limit).await;
        Some(axum::body::Bytes::new())
    } else if too_large {
        // Read what is sent before answering, so that the browser sees the answer rather
        // than a connection closed in the middle of its upload.
        drain(body, 4 * limit).await;
        None
    } else {
        axum::body::to_bytes(body, limit).await.ok()
    };
    let reply = match body {
        None => Reply::refused(
            413,
            &format!(
                "Tệp hoặc nội dung quá lớn (giới hạn {} MB).",
                limit / (1024 * 1024)
            ),
            wants_json || route == "/tai-len",
        ),
        Some(body) => {
            let request = Request {
                method: parts.method.clone(),
                route,
                query,
                peer,
                headers: parts.headers,
                body: body.to_vec(),
            };
            let editor = editor.clone();
            tokio::task::spawn_blocking(move || respond(&editor, &request))
                .await
                .unwrap_or_else(|_| Reply::refused(500, "Lỗi máy chủ.", wants_json))
        }
    };
    let mut response = axum::response::Response::builder()
        .status(reply.status)
        .header(header::CONTENT_TYPE, reply.content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "same-origin");
    if page_policy {
        response = response.header(header::CONTENT_SECURITY_POLICY, PAGE_POLICY);
    }
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    let body = if parts.method == Method::HEAD {
        axum::body::Body::empty()
    } else {
        axum::body::Body::from(reply.body)
    };
    response.body(body).unwrap_or_else(|_| {
        axum::response::Response::builder()
            .status(500)
            .body(axum::body::Body::empty())
            .expect("valid response")
    })
}
