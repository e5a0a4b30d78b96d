//! The editing area's requests: a route table on the path under `{base}_soan-tin/`, each
//! handler a plain function of the editor and the request (run on a blocking thread: they
//! read and write files), answering HTML for the pages and JSON for the script.
//!
//! `articles`: the list, the form and saving; `files`: preview, paste, uploads and the
//! content files the preview shows; `trash`: delete and restore; `word`: a Word .docx
//! imported as a draft (`multipart`: a file posted by a form without the script); `http`:
//! reading the request (body limits) and writing the response for axum.

use super::file::article_text;
use super::form::{ArticleForm, FieldError, Publish};
use super::guard::{Facts, Refusal, Who};
use super::pages::{self, Filters, Frame, Row};
use super::{store, uploads, Editor};
use crate::config::Config;
use crate::content::CONTENT_DIR;
use axum::http::{HeaderMap, Method};
use chrono::{DateTime, FixedOffset, Utc};
use std::path::Path;
use std::time::{Duration, Instant};

mod articles;
mod files;
mod http;
mod multipart;
mod trash;
mod word;

use articles::{address, edit_form, list, new_form, save};
use files::{content_file, paste, preview, upload};
pub use http::{preview_refusal, serve, QUERY};
use trash::{delete, restore, trash_page};

/// The session cookie's path: the whole server, since with accounts the preview (which shows
/// drafts) asks for a login too.
pub const COOKIE_PATH: &str = "/";

/// The largest request body outside uploads (a long article with pasted HTML).
pub const FORM_LIMIT: usize = 8 * 1024 * 1024;

/// A request, read whole.
pub struct Request {
    /// GET or POST.
    pub method: Method,
    /// The path under the editing area (`/`, `/moi`, `/luu`, ...).
    pub route: String,
    /// The query string's pairs.
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The address of the connection's peer, when known.
    pub peer: Option<std::net::IpAddr>,
    /// The body.
    pub body: Vec<u8>,
}

/// An answer.
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Extra headers (`Location`, `Set-Cookie`).
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

const HTML: &str = "text/html; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

impl Reply {
    fn html(status: u16, html: String) -> Reply {
        Reply {
            status,
            content_type: HTML,
            headers: Vec::new(),
            body: html.into_bytes(),
        }
    }

    fn json(status: u16, value: serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: JSON,
            headers: Vec::new(),
            body: value.to_string().into_bytes(),
        }
    }

    fn redirect(to: String) -> Reply {
        Reply {
            status: 303,
            content_type: "text/plain; charset=utf-8",
            headers: vec![("location", to)],
            body: Vec::new(),
        }
    }

    /// A refusal: JSON for the script, a page otherwise.
    pub fn refused(status: u16, message: &str, json: bool) -> Reply {
        if json {
            Reply::json(
                status,
                serde_json::json!({"ok": false, "message": message, "errors": []}),
            )
        } else {
            Reply::html(
                status,
                format!(
                    "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
                     <title>Không thực hiện được</title></head><body><main><h1>Không thực hiện được</h1>\
                     <p role=\"alert\">{}</p></main></body></html>\n",
                    crate::html::escape_html(message)
                ),
            )
        }
    }
}

impl Request {
    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the script sent it (it wants JSON).
    fn wants_json(&self) -> bool {
        self.headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("application/json"))
    }

    /// The form's text fields: URL-encoded, or (a form with a file input) multipart.
    fn form_pairs(&self) -> Vec<(String, String)> {
        let content_type = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if let Some(boundary) = multipart::boundary(content_type) {
            return multipart::parts(&self.body, &boundary)
                .unwrap_or_default()
                .into_iter()
                .filter(|p| p.filename.is_none())
                .map(|p| (p.name, String::from_utf8_lossy(&p.data).into_owned()))
                .collect();
        }
        if content_type.starts_with("application/octet-stream") {
            return Vec::new();
        }
        form_urlencoded::parse(&self.body).into_owned().collect()
    }
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The largest login form (a name and a password).
pub const LOGIN_LIMIT: usize = 16 * 1024;

/// The largest body a route accepts.
pub fn body_limit(route: &str) -> usize {
    match route {
        "/tai-len" => uploads::IMAGE_LIMIT + 64 * 1024,
        "/nhap-word" => uploads::ATTACHMENT_LIMIT + 64 * 1024,
        "/dang-nhap" => LOGIN_LIMIT,
        _ => FORM_LIMIT,
    }
}

/// Answers one request of the editing area.
pub fn respond(editor: &Editor, request: &Request) -> Reply {
    let json = request.wants_json();
    let route = request.route.as_str();
    let facts = Facts {
        headers: &request.headers,
        peer: request.peer,
    };
    let is_get = request.method == Method::GET || request.method == Method::HEAD;
    // What the login page needs is answered to anyone.
    match (is_get, route) {
        (true, "/editor.js") => {
            return asset(super::assets::SCRIPT, "text/javascript; charset=utf-8")
        }
        (true, "/editor.css") => return asset(super::assets::STYLE, "text/css; charset=utf-8"),
        (true, "/dang-nhap") if editor.guard.has_accounts() => {
            return Reply::html(
                200,
                pages::login(&editor.prefix, editor.guard.login_token(), None, ""),
            )
        }
        (false, "/dang-nhap") if editor.guard.has_accounts() => {
            return login(editor, &facts, request)
        }
        _ => {}
    }
    let who =
        match editor.guard.who(&facts) {
            Ok(who) => who,
            Err(Refusal::Status(status, message)) => return Reply::refused(status, &message, json),
            Err(Refusal::LogIn) if json || !is_get => return Reply::refused(
                401,
                "Phiên đăng nhập đã hết; hãy đăng nhập lại (mở trang trong thẻ mới để không mất \
                 bài đang soạn).",
                json,
            ),
            Err(Refusal::LogIn) => return Reply::redirect(format!("{}/dang-nhap", editor.prefix)),
        };
    if is_get {
        return match route {
            "" => Reply::redirect(format!("{}/", editor.prefix)),
            "/" => list(editor, &who, request),
            "/moi" => new_form(editor, &who),
            "/sua" => edit_form(editor, &who, request),
            "/thung-rac" => trash_page(editor, &who, None),
            "/dia-chi" => address(editor, request),
            _ if route.starts_with("/tep/") => content_file(editor, &route["/tep/".len()..]),
            _ => Reply::refused(404, "Không có trang này trong khu soạn tin.", json),
        };
    }
    if request.method != Method::POST {
        return Reply::refused(405, "Phương thức không được hỗ trợ.", json);
    }
    // Every POST: the form's token, or the script's header.
    let pairs = if route == "/tai-len" {
        Vec::new()
    } else {
        request.form_pairs()
    };
    if let Err(refusal) = editor
        .guard
        .check_post(&facts, &who.csrf, field(&pairs, "csrf"))
    {
        let (status, message) = match refusal {
            Refusal::Status(status, message) => (status, message),
            Refusal::LogIn => (401, "Hãy đăng nhập lại.".to_string()),
        };
        return Reply::refused(status, &message, json);
    }
    match route {
        "/luu" => save(editor, &who, &pairs, json),
        "/xem-truoc" => preview(editor, &pairs),
        "/dan" => paste(editor, &who, &pairs),
        "/tai-len" => upload(editor, &who, request),
        "/nhap-word" => word::import_word(editor, &who, request),
        "/xoa" => delete(editor, &who, &pairs, json),
        "/khoi-phuc" => restore(editor, &who, &pairs, json),
        "/dang-xuat" => {
            let mut reply = Reply::redirect(format!("{}/dang-nhap", editor.prefix));
            reply
                .headers
                .push(("set-cookie", editor.guard.log_out(&facts, COOKIE_PATH)));
            reply
        }
        _ => Reply::refused(404, "Không có trang này trong khu soạn tin.", json),
    }
}

fn login(editor: &Editor, facts: &Facts<'_>, request: &Request) -> Reply {
    let pairs = request.form_pairs();
    if let Err(Refusal::Status(status, message)) =
        editor
            .guard
            .check_post(facts, editor.guard.login_token(), field(&pairs, "csrf"))
    {
        return Reply::refused(status, &message, false);
    }
    let name = field(&pairs, "name").unwrap_or_default();
    let password = field(&pairs, "password").unwrap_or_default();
    match editor.guard.log_in(facts, name, password, COOKIE_PATH) {
        Ok(cookie) => {
            let mut reply = Reply::redirect(format!("{}/", editor.prefix));
            reply.headers.push(("set-cookie", cookie));
            reply
        }
        Err((status, message)) => {
            let mut reply = Reply::html(
                status,
                pages::login(
                    &editor.prefix,
                    editor.guard.login_token(),
                    Some(&message),
                    name,
                ),
            );
            if status == 429 {
                reply.headers.push(("retry-after", "900".into()));
            }
            reply
        }
    }
}

fn asset(text: &'static str, content_type: &'static str) -> Reply {
    Reply {
        status: 200,
        content_type,
        headers: Vec::new(),
        body: text.as_bytes().to_vec(),
    }
}

fn frame<'a>(editor: &'a Editor, who: &'a Who) -> Frame<'a> {
    Frame {
        prefix: &editor.prefix,
        base: &editor.base,
        csrf: &who.csrf,
        who: &who.display,
        may_publish: who.may_publish,
        logged_in: who.logged_in,
    }
}

fn config(editor: &Editor) -> Result<Config, Reply> {
    Config::load(&editor.root).map_err(|e| {
        Reply::refused(
            500,
            &format!("Không đọc được config.yaml của trang: {e}"),
            false,
        )
    })
}

fn now(config: &Config) -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&config.timezone)
}

/// The categories a clerk chooses from: config.yaml's, or, for a site whose config lists
/// none (the build then takes any category), those its articles use.
fn category_names(editor: &Editor, config: &Config) -> Vec<String> {
    if let Some(categories) = &config.categories {
        return categories
            .iter()
            .map(|c| c.name.trim().to_string())
            .collect();
    }
    let generation = (editor.generation)();
    let mut names: Vec<String> = generation
        .good
        .iter()
        .flat_map(|g| g.rendering.site.articles.iter())
        .map(|a| a.category.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}
