//! The editing area's requests: a route table on the path under `{base}_soan-tin/`, each
//! handler a plain function of the editor and the request (run on a blocking thread: they
//! read and write files), answering HTML for the pages and JSON for the script.

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
use std::sync::Arc;
use std::time::{Duration, Instant};

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

    fn form_pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The largest body a route accepts.
pub fn body_limit(route: &str) -> usize {
    if route == "/tai-len" {
        uploads::IMAGE_LIMIT + 64 * 1024
    } else {
        FORM_LIMIT
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

fn category_names(config: &Config) -> Vec<String> {
    config
        .categories
        .as_ref()
        .map(|c| c.iter().map(|c| c.name.trim().to_string()).collect())
        .unwrap_or_default()
}

fn list(editor: &Editor, who: &Who, request: &Request) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let filters = Filters {
        q: request.param("q").unwrap_or_default().trim().to_string(),
        category: request.param("chuyen-muc").unwrap_or_default().to_string(),
        state: request.param("trang-thai").unwrap_or_default().to_string(),
    };
    let generation = (editor.generation)();
    let now = now(&config);
    let mut rows: Vec<(DateTime<FixedOffset>, Row)> = Vec::new();
    let mut total = 0;
    if let Some(good) = &generation.good {
        let site = &good.rendering.site;
        let key = crate::text::search_key(&filters.q);
        for (i, article) in site.articles.iter().enumerate() {
            if article.category.is_empty() && !article.has_date {
                continue; // a page, not an article
            }
            total += 1;
            let state = if article.draft {
                "nhap"
            } else if article.date > now {
                "hen-gio"
            } else {
                "da-dang"
            };
            if !key.is_empty() && !crate::text::search_key(&article.title).contains(&key) {
                continue;
            }
            if !filters.category.is_empty() && article.category != filters.category {
                continue;
            }
            if !filters.state.is_empty() && filters.state != state {
                continue;
            }
            rows.push((
                article.date,
                Row {
                    path: article.source.clone(),
                    title: article.title.clone(),
                    category: article.category.clone(),
                    date: article
                        .date
                        .with_timezone(&config.timezone)
                        .format("%d/%m/%Y %H:%M")
                        .to_string(),
                    state,
                    url: site.urls.get(i).cloned().unwrap_or_default(),
                },
            ));
        }
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.path.cmp(&b.1.path)));
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).take(500).collect();
    Reply::html(
        200,
        pages::list(
            &frame(editor, who),
            &rows,
            total,
            &filters,
            &category_names(&config),
        ),
    )
}

fn site_tags(editor: &Editor) -> Vec<String> {
    let generation = (editor.generation)();
    let mut tags: Vec<String> = generation
        .good
        .iter()
        .flat_map(|g| g.rendering.site.articles.iter())
        .flat_map(|a| a.tags.iter().cloned())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

fn form_page(
    editor: &Editor,
    who: &Who,
    config: &Config,
    form: &ArticleForm,
    errors: &[FieldError],
    notice: Option<&str>,
    url: Option<&str>,
) -> Reply {
    let categories = category_names(config);
    let tags = site_tags(editor);
    Reply::html(
        200,
        pages::form(
            &frame(editor, who),
            &pages::FormPage {
                form,
                categories: &categories,
                tags: &tags,
                errors,
                notice,
                url,
            },
        ),
    )
}

fn new_form(editor: &Editor, who: &Who) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let remembered = last_author(&editor.root, &who.key);
    let form = ArticleForm::new_article(&config, now(&config), remembered);
    form_page(editor, who, &config, &form, &[], None, None)
}

fn edit_form(editor: &Editor, who: &Who, request: &Request) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let path = request.param("tep").unwrap_or_default();
    let file = match store::article_file(&editor.root, path) {
        Ok(f) => f,
        Err(e) => return Reply::refused(404, &e.message(), false),
    };
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => return Reply::refused(500, &store::StoreError::Io(e).message(), false),
    };
    let hash = store::hash(&bytes);
    let text = match crate::content::decode(bytes) {
        Ok(t) => t,
        Err(line) => {
            return Reply::refused(
                422,
                &format!(
                    "Tệp {path} không phải văn bản UTF-8 (dòng {line}); hãy lưu lại dạng UTF-8."
                ),
                false,
            )
        }
    };
    match crate::content::article::parse_article(path, &text, &config) {
        Ok(article) => {
            let form = ArticleForm::from_article(&article, path, &hash, &config, now(&config));
            let url = article_url(editor, path);
            form_page(editor, who, &config, &form, &[], None, url.as_deref())
        }
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            Reply::html(
                422,
                pages::message(
                    &frame(editor, who),
                    "Tệp có lỗi",
                    &format!(
                        "Không mở được bài trong trình soạn thảo vì tệp có lỗi; hãy sửa tệp \
                         content/{path} (hoặc nhờ người quản trị): {}",
                        list.join("; ")
                    ),
                ),
            )
        }
    }
}

/// The preview URL of an article and the build's errors about it, once the preview has
/// rebuilt (the script asks again while a save's rebuild takes longer than a save waits).
fn address(editor: &Editor, request: &Request) -> Reply {
    let path = request.param("tep").unwrap_or_default();
    let generation = (editor.generation)();
    let errors = build_errors(&generation, path);
    Reply::json(
        200,
        serde_json::json!({
            "preview": article_url(editor, path), "generation": generation.number,
            "errors": errors
                .iter()
                .map(|e| serde_json::json!({"field": e.field, "message": e.message}))
                .collect::<Vec<_>>(),
        }),
    )
}

/// The errors of the current generation about the article at `source` (under `content/`).
fn build_errors(generation: &crate::serve::state::Generation, source: &str) -> Vec<FieldError> {
    let location = format!("{CONTENT_DIR}/{source}");
    generation
        .errors
        .iter()
        .filter(|e| e.location == location || e.location.starts_with(&format!("{location}:")))
        .map(|e| {
            FieldError::new(
                &form_field(e.field.as_deref()),
                format!("Lỗi khi dựng trang: {}", e.message),
            )
        })
        .collect()
}

/// The preview URL of the article at `path` (under `content/`) in the current generation.
fn article_url(editor: &Editor, path: &str) -> Option<String> {
    let generation = (editor.generation)();
    let good = generation.good.as_ref()?;
    let site = &good.rendering.site;
    let i = site.articles.iter().position(|a| a.source == path)?;
    site.urls.get(i).filter(|u| !u.is_empty()).cloned()
}

/// Maps a problem of the build's parser to a form field.
fn form_field(field: Option<&str>) -> String {
    match field {
        Some(
            f @ ("title" | "category" | "date" | "author" | "author_title" | "tags" | "summary"
            | "image" | "image_caption"),
        ) => f.to_string(),
        Some("draft") => "publish".into(),
        _ => "body".into(),
    }
}

fn save(editor: &Editor, who: &Who, pairs: &[(String, String)], json: bool) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let form = ArticleForm::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let now = now(&config);
    let answer_errors = |errors: Vec<FieldError>, status: u16, message: &str| {
        if json {
            let list: Vec<serde_json::Value> = errors
                .iter()
                .map(|e| serde_json::json!({"field": e.field, "message": e.message}))
                .collect();
            Reply::json(
                status,
                serde_json::json!({"ok": false, "message": message, "errors": list}),
            )
        } else {
            let mut page = form_page(editor, who, &config, &form, &errors, Some(message), None);
            page.status = status;
            page
        }
    };
    let checked = match form.check(&config, now) {
        Ok(c) => c,
        Err(errors) => {
            return answer_errors(errors, 422, "Chưa lưu: hãy sửa các lỗi được đánh dấu.")
        }
    };
    let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    // The existing file, its front matter and state, or the new file's place.
    let existing = if form.path.is_empty() {
        None
    } else {
        let file = match store::article_file(&editor.root, &form.path) {
            Ok(f) => f,
            Err(e) => return answer_errors(vec![], 404, &e.message()),
        };
        let text = std::fs::read(&file)
            .ok()
            .and_then(|b| crate::content::decode(b).ok())
            .unwrap_or_default();
        Some((file, text))
    };
    if !who.may_publish {
        let was_published = existing.as_ref().is_some_and(|(_, text)| {
            crate::content::article::parse_article(&form.path, text, &config)
                .is_ok_and(|a| !a.draft)
        });
        if checked.publish != Publish::Draft || was_published {
            return answer_errors(
                vec![],
                403,
                "Biên tập viên chỉ lưu được bản nháp và không sửa được bài đã đăng; \
                 hãy nhờ người duyệt.",
            );
        }
    }
    let existing_yaml = existing.as_ref().and_then(|(_, text)| {
        crate::content::front_matter::split(text)
            .ok()
            .map(|s| s.yaml.to_string())
    });
    let text = article_text(&checked, existing_yaml.as_deref());
    let (file, source) = match &existing {
        Some((file, _)) => (file.clone(), form.path.clone()),
        None => {
            let folder = store::month_folder(&editor.root, checked.date);
            let name = store::free_name(&folder, &crate::text::slug::slugify(&checked.title), "md");
            let file = folder.join(&name);
            let source = crate::content::source_name(
                file.strip_prefix(editor.root.join(CONTENT_DIR))
                    .unwrap_or(Path::new(&name)),
            );
            (file, source)
        }
    };
    // The build's own parser reads the text first: what it refuses is never written.
    if let Err(problems) = crate::content::article::parse_article(&source, &text, &config) {
        let errors: Vec<FieldError> = problems
            .iter()
            .filter(|p| p.severity == crate::Severity::Error)
            .map(|p| {
                FieldError::new(
                    &form_field(p.field.as_deref()),
                    format!("Lỗi: {}", p.message),
                )
            })
            .collect();
        return answer_errors(errors, 422, "Chưa lưu: hãy sửa các lỗi được đánh dấu.");
    }
    let before = (editor.generation)().number;
    let written = match &existing {
        Some((_, _)) => store::replace(&file, text.as_bytes(), &form.hash, config.timezone),
        None => store::write_new(&file, text.as_bytes()),
    };
    if let Err(e) = written {
        let status = match e {
            store::StoreError::Conflict(_) | store::StoreError::Exists => 409,
            store::StoreError::Missing => 404,
            store::StoreError::NotAllowed => 400,
            store::StoreError::Io(_) => 500,
        };
        return answer_errors(vec![], status, &e.message());
    }
    drop(_writing);
    let action = match checked.publish {
        Publish::Draft => "lưu nháp",
        Publish::Now => "đăng bài",
        Publish::Scheduled => "hẹn giờ đăng",
    };
    editor.record(who, action, &format!("{CONTENT_DIR}/{source}"));
    remember_author(
        &editor.root,
        &who.key,
        &checked.author,
        &checked.author_title,
    );
    // The watcher rebuilds; wait for it (at most 2 s) to answer with the page and its errors.
    // A rebuild may start before the whole save is seen (a new month's folder is an event of
    // its own): wait for one that has this version of the article, or that failed.
    let body_hash = crate::content::front_matter::split(&text)
        .map(|split| xxhash_rust::xxh3::xxh3_64(split.body.as_bytes()))
        .ok();
    let reflects = |generation: &crate::serve::state::Generation| {
        generation.number != before
            && (!generation.errors.is_empty()
                || generation.good.as_ref().is_some_and(|good| {
                    good.rendering.site.articles.iter().any(|a| {
                        a.source == source
                            && a.title == checked.title
                            && a.date == checked.date
                            && a.draft == (checked.publish == Publish::Draft)
                            && Some(a.body_hash) == body_hash
                    })
                }))
    };
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut generation = (editor.generation)();
    while !reflects(&generation) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
        generation = (editor.generation)();
    }
    let rebuilt = reflects(&generation);
    let build_errors = build_errors(&generation, &source);
    let url = article_url(editor, &source).filter(|_| rebuilt);
    let hash = store::hash(text.as_bytes());
    let saved_at = now.format("%H:%M:%S").to_string();
    let message = if build_errors.is_empty() {
        match checked.publish {
            Publish::Draft => format!("Đã lưu nháp lúc {saved_at}."),
            Publish::Now => format!("Đã lưu và đăng lúc {saved_at}."),
            Publish::Scheduled => format!(
                "Đã lưu lúc {saved_at}; bài sẽ được đăng lúc {}.",
                checked.date.format("%H:%M ngày %d/%m/%Y")
            ),
        }
    } else {
        format!("Đã lưu lúc {saved_at}, nhưng trang chưa dựng được: hãy sửa các lỗi được đánh dấu.")
    };
    if json {
        let errors: Vec<serde_json::Value> = build_errors
            .iter()
            .map(|e| serde_json::json!({"field": e.field, "message": e.message}))
            .collect();
        Reply::json(
            200,
            serde_json::json!({
                "ok": true, "path": source, "hash": hash, "preview": url,
                "rebuilding": !rebuilt, "generation": generation.number,
                "message": message, "errors": errors,
            }),
        )
    } else {
        Reply::redirect(format!(
            "{}/sua?tep={}",
            editor.prefix,
            percent_encoding::utf8_percent_encode(&source, QUERY)
        ))
    }
}

fn preview(editor: &Editor, pairs: &[(String, String)]) -> Reply {
    let body = field(pairs, "body")
        .unwrap_or_default()
        .replace("\r\n", "\n");
    // Relative addresses are files beside the article; a new article's uploads go to this
    // month's folder (see `save_upload`).
    let folder = match field(pairs, "path").filter(|p| !p.is_empty()) {
        Some(path) => store::safe_relative(path)
            .and_then(|p| p.parent().map(crate::content::source_name))
            .unwrap_or_default(),
        None => config(editor)
            .map(|c| new_article_month(&c, field(pairs, "ngay")))
            .unwrap_or_default(),
    };
    let files = format!("{}/tep/", editor.prefix);
    let resolve = |dest: &str, _image: bool| {
        let relative =
            !dest.is_empty() && !dest.starts_with(['/', '#', '?']) && !dest.contains(':');
        if relative && !folder.is_empty() {
            crate::markdown::LinkTarget::Rewrite(format!("{files}{folder}/{dest}"))
        } else {
            crate::markdown::LinkTarget::Keep
        }
    };
    let rendered = crate::markdown::render(&crate::text::nfc(&body), &resolve, 0);
    Reply {
        status: 200,
        content_type: HTML,
        headers: Vec::new(),
        body: rendered.html.into_bytes(),
    }
}

/// Pasted HTML → Markdown through the importer's converter ([`crate::import::html`]):
/// pasted `data:` images are saved as uploads beside the article, web addresses are kept,
/// local files (`file:` addresses Word puts on the clipboard) are left out with a note.
fn paste(editor: &Editor, who: &Who, pairs: &[(String, String)]) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let html = field(pairs, "html").unwrap_or_default();
    let article = field(pairs, "tep");
    let mut refused = Vec::new();
    let mut images = |image: &crate::import::html::ImageSource| -> Option<String> {
        if image.src.starts_with("http://") || image.src.starts_with("https://") {
            return Some(image.src.clone());
        }
        let bytes = data_url_bytes(&image.src)?;
        let name = if image.alt.is_empty() {
            "anh-dan"
        } else {
            &image.alt
        };
        match save_upload(editor, &config, article, field(pairs, "ngay"), name, &bytes) {
            Ok((name, kind)) if kind.is_image() => {
                editor.record(who, "tải ảnh dán vào lên", &name);
                Some(name)
            }
            Ok(_) => None,
            Err(reply) => {
                refused.push(String::from_utf8_lossy(&reply.body).into_owned());
                None
            }
        }
    };
    let converted = crate::import::html::html_to_markdown(html, &mut images);
    let mut notes = converted.notes;
    if !refused.is_empty() {
        notes.push(format!("{} ảnh dán vào không lưu được.", refused.len()));
    }
    Reply::json(
        200,
        serde_json::json!({"markdown": converted.markdown, "notes": notes}),
    )
}

/// The month folder (`2026/12`) of a new article's files: that of the date in its form
/// (`yyyy-mm-dd`), else this month's.
fn new_article_month(config: &Config, date: Option<&str>) -> String {
    date.and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .map(|d| d.format("%Y/%m").to_string())
        .unwrap_or_else(|| now(config).format("%Y/%m").to_string())
}

/// An uploaded file saved beside its article (or, for a new article, in the month folder of
/// its date): the name it got and its kind, or the refusal to answer with.
fn save_upload(
    editor: &Editor,
    config: &Config,
    article: Option<&str>,
    date: Option<&str>,
    client_name: &str,
    bytes: &[u8],
) -> Result<(String, uploads::Kind), Reply> {
    let kind = uploads::check(bytes).map_err(|refused| {
        let status = match refused {
            uploads::Refused::TooLarge(_) => 413,
            _ => 415,
        };
        Reply::refused(status, &refused.message(), true)
    })?;
    // The folder is the server's choice: beside the article, or this month's folder.
    let folder = match article
        .filter(|p| !p.is_empty())
        .map(|p| store::article_file(&editor.root, p))
    {
        Some(Ok(file)) => file.parent().map(Path::to_path_buf),
        Some(Err(e)) => return Err(Reply::refused(400, &e.message(), true)),
        None => None,
    }
    .unwrap_or_else(|| {
        editor
            .root
            .join(CONTENT_DIR)
            .join(new_article_month(config, date))
    });
    let stem = uploads::stem(client_name);
    let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    let name = store::free_name(&folder, &stem, kind.extension());
    store::write_new(&folder.join(&name), bytes)
        .map_err(|e| Reply::refused(500, &e.message(), true))?;
    Ok((name, kind))
}

fn upload(editor: &Editor, who: &Who, request: &Request) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let (name, kind) = match save_upload(
        editor,
        &config,
        request.param("tep"),
        request.param("ngay"),
        request.param("ten").unwrap_or_default(),
        &request.body,
    ) {
        Ok(saved) => saved,
        Err(reply) => return reply,
    };
    let folder = request
        .param("tep")
        .filter(|p| !p.is_empty())
        .and_then(|p| p.rsplit_once('/').map(|(dir, _)| dir.to_string()))
        .unwrap_or_else(|| now(&config).format("%Y/%m").to_string());
    editor.record(
        who,
        "tải tệp lên",
        &format!("{CONTENT_DIR}/{folder}/{name}"),
    );
    let markdown = if kind.is_image() {
        format!("![]({name})")
    } else {
        format!("[{name}]({name})")
    };
    Reply::json(
        200,
        serde_json::json!({
            "ok": true, "name": name, "image": kind.is_image(), "markdown": markdown,
        }),
    )
}

/// The bytes of a `data:...;base64,` address.
fn data_url_bytes(src: &str) -> Option<Vec<u8>> {
    let rest = src.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    if !meta.ends_with(";base64") {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0u32);
    for byte in data.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

fn delete(editor: &Editor, who: &Who, pairs: &[(String, String)], json: bool) -> Reply {
    if !who.may_publish {
        return Reply::refused(403, "Chỉ người duyệt mới xoá được bài.", json);
    }
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let path = field(pairs, "path").unwrap_or_default();
    let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    let file = match store::article_file(&editor.root, path) {
        Ok(f) => f,
        Err(e) => return Reply::refused(404, &e.message(), json),
    };
    match store::trash(&editor.root, &file, now(&config)) {
        Ok(trashed) => {
            editor.record(who, "xoá bài (vào thùng rác)", &trashed.path);
            Reply::redirect(format!("{}/", editor.prefix))
        }
        Err(e) => Reply::refused(500, &e.message(), json),
    }
}

fn restore(editor: &Editor, who: &Who, pairs: &[(String, String)], json: bool) -> Reply {
    if !who.may_publish {
        return Reply::refused(403, "Chỉ người duyệt mới khôi phục được bài.", json);
    }
    let stamp = field(pairs, "stamp").unwrap_or_default();
    let path = field(pairs, "path").unwrap_or_default();
    let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    match store::restore(&editor.root, stamp, path) {
        Ok(_) => {
            editor.record(who, "khôi phục bài", path);
            trash_page(editor, who, Some(&format!("Đã khôi phục {path}.")))
        }
        Err(e) => {
            let status = match e {
                store::StoreError::Exists => 409,
                store::StoreError::Missing => 404,
                _ => 400,
            };
            Reply::refused(status, &e.message(), json)
        }
    }
}

fn trash_page(editor: &Editor, who: &Who, notice: Option<&str>) -> Reply {
    let items = store::trashed(&editor.root);
    Reply::html(200, pages::trash(&frame(editor, who), &items, notice))
}

/// A file under `content/` (photos of the preview), read-only.
fn content_file(editor: &Editor, raw: &str) -> Reply {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    let Some(relative) = store::safe_relative(&decoded) else {
        return Reply::refused(400, "Đường dẫn tệp không hợp lệ.", false);
    };
    let path = editor.root.join(CONTENT_DIR).join(&relative);
    match std::fs::read(&path) {
        Ok(bytes) => Reply {
            status: 200,
            content_type: crate::serve::http::content_type(&decoded),
            headers: Vec::new(),
            body: bytes,
        },
        Err(_) => Reply::refused(404, "Không tìm thấy tệp.", false),
    }
}

/// The file that remembers each clerk's last author and author title.
fn authors_file(root: &Path) -> std::path::PathBuf {
    root.join(store::STATE_DIR).join("tac-gia-gan-nhat.tsv")
}

/// The author and title `who` used last, if any.
pub fn last_author(root: &Path, who: &str) -> Option<(String, String)> {
    let text = std::fs::read_to_string(authors_file(root)).ok()?;
    text.lines().find_map(|line| {
        let mut parts = line.split('\t');
        (parts.next()? == who).then(|| {
            (
                parts.next().unwrap_or_default().to_string(),
                parts.next().unwrap_or_default().to_string(),
            )
        })
    })
}

fn remember_author(root: &Path, who: &str, author: &str, title: &str) {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let path = authors_file(root);
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.split('\t').next() != Some(who))
        .map(str::to_string)
        .collect();
    lines.push(format!(
        "{}\t{}\t{}",
        clean(who),
        clean(author),
        clean(title)
    ));
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    // Losing this file only loses a default; it is not worth failing a save.
    let _ = std::fs::write(&path, lines.join("\n") + "\n");
}

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
    let body = if too_large {
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
                peer: parts
                    .extensions
                    .get::<crate::serve::guard::Peer>()
                    .map(|p| p.0.ip()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_addresses_decode_and_others_do_not() {
        assert_eq!(
            data_url_bytes("data:image/png;base64,iVBORw0KGgo=").unwrap(),
            b"\x89PNG\r\n\x1a\n"
        );
        assert_eq!(data_url_bytes("data:text/plain,hello"), None);
        assert_eq!(data_url_bytes("file:///C:/x.png"), None);
        assert_eq!(data_url_bytes("data:image/png;base64,*"), None);
    }

    #[test]
    fn parser_fields_map_to_form_fields() {
        assert_eq!(form_field(Some("title")), "title");
        assert_eq!(form_field(Some("draft")), "publish");
        assert_eq!(form_field(Some("slug")), "body");
        assert_eq!(form_field(None), "body");
    }
}
