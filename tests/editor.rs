//! End-to-end tests of the web editor (`trangtin serve --edit`): a fixture site served
//! in-process on a free port, driven over HTTP as the editor's pages and script drive it.

use std::path::Path;
use trangtin::serve::{RunningServer, ServeOptions, Server};

#[path = "editor_support/mod.rs"]
mod editor_support;
use editor_support::{agent, between, encode, reply, Reply};

const CONFIG: &str = "title: \"Sở KH&CN thử nghiệm\"\n\
base_url: \"https://skhcn.example.gov.vn/tin-tuc/\"\n\
default_author: Phòng Thông tin\n\
categories:\n  - name: Tin tức\n    slug: tin-tuc\n  - name: \"Thông báo\"\n    slug: thong-bao\n";

const ARTICLE: &str = "---\ntitle: Hội nghị tổng kết\ndate: 2024-03-14 08:30\ncategory: Tin tức\n\
slug: hoi-nghi-2024\naliases:\n  - /Default.aspx?ItemID=12\n---\n\nNội dung ban đầu.\n";

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

struct Editor {
    dir: tempfile::TempDir,
    server: RunningServer,
    csrf: String,
}

fn start() -> Editor {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "config.yaml", CONFIG);
    write(dir.path(), "content/2024/03/hoi-nghi.md", ARTICLE);
    let mut options = ServeOptions::new(dir.path());
    options.port = 0;
    options.verbose = false;
    options.edit = true;
    let server = Server::start(options).expect("the server starts");
    let mut editor = Editor {
        dir,
        server,
        csrf: String::new(),
    };
    let page = editor.get("/tin-tuc/_soan-tin/moi");
    assert_eq!(page.status, 200, "{}", page.body);
    editor.csrf = between(&page.body, "<meta name=\"csrf-token\" content=\"", "\"").to_string();
    assert_eq!(editor.csrf.len(), 43);
    editor
}

impl Editor {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.server.port())
    }

    fn get(&self, path: &str) -> Reply {
        reply(agent().get(&self.url(path)).call().expect("a response"))
    }

    /// A form post as the script sends it (JSON answer, token in the header when `csrf`).
    fn post_form(&self, path: &str, pairs: &[(&str, &str)], csrf: Option<&str>) -> Reply {
        let mut request = agent()
            .post(&self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
        if let Some(token) = csrf {
            request = request.header("x-csrf-token", token);
        }
        reply(request.send(encode(pairs)).expect("a response"))
    }

    fn save(&self, pairs: &[(&str, &str)]) -> Reply {
        self.post_form("/tin-tuc/_soan-tin/luu", pairs, Some(&self.csrf.clone()))
    }

    fn upload(&self, query: &str, bytes: &[u8]) -> Reply {
        reply(
            agent()
                .post(&self.url(&format!("/tin-tuc/_soan-tin/tai-len?{query}")))
                .header("x-csrf-token", &self.csrf)
                .header("accept", "application/json")
                .send(bytes)
                .expect("a response"),
        )
    }
}

fn new_article<'a>(title: &'a str, publish: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("category", "Tin tức"),
        ("date", "2024-05-02"),
        ("time", "09:15"),
        ("author", "Nguyễn Thị Lan"),
        ("tags", "khoa học, công nghệ"),
        ("summary", "Tóm tắt: ngắn"),
        ("publish", publish),
        ("body", "Đoạn đầu.\r\n\r\n## Mục 1\r\n\r\nNội dung."),
    ]
}

#[test]
fn a_new_article_is_written_as_a_hand_written_file_and_previewed() {
    let editor = start();
    let saved = editor.save(&new_article("Thông báo: Lịch tiếp công dân", "dang"));
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(
        saved
            .body
            .contains("\"path\":\"2024/05/thong-bao-lich-tiep-cong-dan.md\""),
        "{}",
        saved.body
    );
    let text = std::fs::read_to_string(
        editor
            .root()
            .join("content/2024/05/thong-bao-lich-tiep-cong-dan.md"),
    )
    .unwrap();
    assert_eq!(
        text,
        "---\ntitle: \"Thông báo: Lịch tiếp công dân\"\ndate: 2024-05-02 09:15\ncategory: Tin tức\n\
         author: Nguyễn Thị Lan\ntags: [khoa học, công nghệ]\nsummary: \"Tóm tắt: ngắn\"\n---\n\n\
         Đoạn đầu.\n\n## Mục 1\n\nNội dung.\n"
    );
    // The answer names the article's page in the preview, which shows the new article.
    let preview = between(&saved.body, "\"preview\":\"", "\"").to_string();
    assert!(preview.starts_with("/tin-tuc/"), "{preview}");
    let page = editor.get(&preview);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Lịch tiếp công dân"));

    // The same title again is a new file, never the first one overwritten.
    let again = editor.save(&new_article("Thông báo: Lịch tiếp công dân", "nhap"));
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(again.body.contains("thong-bao-lich-tiep-cong-dan-2.md"));
    let draft = std::fs::read_to_string(
        editor
            .root()
            .join("content/2024/05/thong-bao-lich-tiep-cong-dan-2.md"),
    )
    .unwrap();
    assert!(draft.contains("\ndraft: true\n"), "{draft}");
}

#[test]
fn saving_an_existing_article_keeps_its_path_and_the_fields_the_form_does_not_show() {
    let editor = start();
    let page = editor.get("/tin-tuc/_soan-tin/sua?tep=2024%2F03%2Fhoi-nghi.md");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("value=\"Hội nghị tổng kết\""));
    let hash = between(&page.body, "name=\"hash\" value=\"", "\"").to_string();
    let mut form = new_article("Hội nghị tổng kết năm", "dang");
    form.push(("path", "2024/03/hoi-nghi.md"));
    form.push(("hash", &hash));
    let saved = editor.save(&form);
    assert_eq!(saved.status, 200, "{}", saved.body);
    let text = std::fs::read_to_string(editor.root().join("content/2024/03/hoi-nghi.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: Hội nghị tổng kết năm\ndate: 2024-05-02 09:15\n"),
        "{text}"
    );
    assert!(
        text.contains("slug: hoi-nghi-2024\naliases:\n  - /Default.aspx?ItemID=12\n"),
        "{text}"
    );
    assert!(!editor.root().join("content/2024/05").exists());
}

#[test]
fn a_file_changed_on_disk_since_it_was_opened_is_a_409_and_is_kept() {
    let editor = start();
    let page = editor.get("/tin-tuc/_soan-tin/sua?tep=2024%2F03%2Fhoi-nghi.md");
    let hash = between(&page.body, "name=\"hash\" value=\"", "\"").to_string();
    let elsewhere = ARTICLE.replace("Nội dung ban đầu.", "Sửa ở máy khác.");
    write(editor.root(), "content/2024/03/hoi-nghi.md", &elsewhere);
    let mut form = new_article("Bản của tôi", "dang");
    form.push(("path", "2024/03/hoi-nghi.md"));
    form.push(("hash", &hash));
    let refused = editor.save(&form);
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains("vừa được sửa ở nơi khác lúc"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("tải lại để xem bản mới"));
    let text = std::fs::read_to_string(editor.root().join("content/2024/03/hoi-nghi.md")).unwrap();
    assert_eq!(text, elsewhere);
}

#[test]
fn form_mistakes_are_reported_at_their_fields_in_vietnamese() {
    let editor = start();
    let mut form = new_article("", "hen-gio");
    form[1] = ("category", "Thể thao");
    let refused = editor.save(&form);
    assert_eq!(refused.status, 422, "{}", refused.body);
    for field in [
        "\"field\":\"title\"",
        "\"field\":\"category\"",
        "\"field\":\"date\"",
    ] {
        assert!(refused.body.contains(field), "{field}: {}", refused.body);
    }
    assert!(refused
        .body
        .contains("Hẹn giờ cần một thời điểm trong tương lai"));
    assert!(
        std::fs::read_dir(editor.root().join("content/2024"))
            .unwrap()
            .count()
            == 1
    );
}

#[test]
fn a_post_without_the_right_token_or_from_another_site_is_refused() {
    let editor = start();
    let form = new_article("Bài lạ", "dang");
    let missing = editor.post_form("/tin-tuc/_soan-tin/luu", &form, None);
    assert_eq!(missing.status, 403, "{}", missing.body);
    let wrong = editor.post_form(
        "/tin-tuc/_soan-tin/luu",
        &form,
        Some("x".repeat(43).as_str()),
    );
    assert_eq!(wrong.status, 403);
    let cross = reply(
        agent()
            .post(&editor.url("/tin-tuc/_soan-tin/luu"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "https://evil.example")
            .header("x-csrf-token", &editor.csrf)
            .send(encode(&form))
            .unwrap(),
    );
    assert_eq!(cross.status, 403);
    // The token in the form itself (no script) is accepted.
    let mut with_field = form.clone();
    with_field.push(("csrf", &editor.csrf));
    let page = reply(
        agent()
            .post(&editor.url("/tin-tuc/_soan-tin/luu"))
            .header("content-type", "application/x-www-form-urlencoded")
            .send(encode(&with_field))
            .unwrap(),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(page
        .location
        .starts_with("/tin-tuc/_soan-tin/sua?tep=2024%2F05%2Fbai-la.md"));
    assert!(!editor.root().join("content/2024/05/bai-la-2.md").exists());
}

#[test]
fn a_request_through_a_proxy_is_refused_without_accounts() {
    let editor = start();
    let proxied = reply(
        agent()
            .get(&editor.url("/tin-tuc/_soan-tin/"))
            .header("x-forwarded-for", "203.0.113.7")
            .call()
            .unwrap(),
    );
    assert_eq!(proxied.status, 403);
    assert!(proxied.body.contains("trangtin user add"));
    // The preview too: with --edit it shows drafts.
    let preview = reply(
        agent()
            .get(&editor.url("/tin-tuc/"))
            .header("x-forwarded-proto", "https")
            .call()
            .unwrap(),
    );
    assert_eq!(preview.status, 403);
    assert_eq!(editor.get("/tin-tuc/").status, 200);
}

#[test]
fn the_editor_does_not_listen_beyond_loopback_without_accounts() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "config.yaml", CONFIG);
    let mut options = ServeOptions::new(dir.path());
    options.port = 0;
    options.verbose = false;
    options.edit = true;
    options.bind = "0.0.0.0".parse().unwrap();
    let err = Server::start(options).err().expect("refused");
    assert!(err.to_string().contains("trangtin user add"), "{err}");
}

fn jpeg() -> Vec<u8> {
    let mut bytes = b"\xff\xd8\xff\xe0\0\x10JFIF\0".to_vec();
    bytes.resize(2000, 0);
    bytes
}

#[test]
fn uploads_get_safe_names_in_the_folder_the_server_picks() {
    let editor = start();
    let up = editor.upload(
        "ten=%E1%BA%A2nh%201.JPG&tep=2024%2F03%2Fhoi-nghi.md",
        &jpeg(),
    );
    assert_eq!(up.status, 200, "{}", up.body);
    assert!(up.body.contains("\"name\":\"anh-1.jpg\""), "{}", up.body);
    assert!(editor.root().join("content/2024/03/anh-1.jpg").is_file());
    let second = editor.upload(
        "ten=%E1%BA%A2nh%201.JPG&tep=2024%2F03%2Fhoi-nghi.md",
        &jpeg(),
    );
    assert!(
        second.body.contains("\"name\":\"anh-1-2.jpg\""),
        "{}",
        second.body
    );

    // No name or article path from the request reaches the file system as it is.
    let sneaky = editor.upload(
        "ten=..%2F..%2F..%2Fconfig.yaml&tep=2024%2F03%2Fhoi-nghi.md",
        &jpeg(),
    );
    assert_eq!(sneaky.status, 200);
    assert!(
        sneaky.body.contains("\"name\":\"config.jpg\""),
        "{}",
        sneaky.body
    );
    assert_eq!(
        std::fs::read_to_string(editor.root().join("config.yaml")).unwrap(),
        CONFIG
    );
    for tep in [
        "..%2F..%2Fconfig.yaml",
        "%2Fetc%2Fpasswd",
        "..%2F2024%2F03%2Fhoi-nghi.md",
    ] {
        let refused = editor.upload(&format!("ten=a.jpg&tep={tep}"), &jpeg());
        assert_eq!(refused.status, 400, "{tep}: {}", refused.body);
    }
    let absolute = editor.upload("ten=%2Ftmp%2Fx.jpg", &jpeg());
    assert!(
        absolute.body.contains("\"name\":\"x.jpg\""),
        "{}",
        absolute.body
    );
    assert!(!Path::new("/tmp/x.jpg").exists() || absolute.body.contains("\"folder\":\"20"));
}

#[test]
fn uploads_are_typed_by_content_and_limited_in_size() {
    let editor = start();
    let script = editor.upload("ten=anh.jpg", b"<script>alert(1)</script>");
    assert_eq!(script.status, 415, "{}", script.body);
    let heic = editor.upload("ten=IMG_0001.HEIC", b"\0\0\0\x18ftypheic\0\0\0\0\0\0\0\0");
    assert_eq!(heic.status, 415);
    assert!(heic.body.contains("HEIC"), "{}", heic.body);
    let pdf = editor.upload("ten=B%C3%A1o%20c%C3%A1o.pdf", b"%PDF-1.4\n%%EOF\n");
    assert_eq!(pdf.status, 200, "{}", pdf.body);
    assert!(
        pdf.body
            .contains("\"markdown\":\"[bao-cao.pdf](bao-cao.pdf)\""),
        "{}",
        pdf.body
    );

    let mut big_pdf = b"%PDF-1.4\n".to_vec();
    big_pdf.resize(21 * 1024 * 1024, b' ');
    let refused = editor.upload("ten=lon.pdf", &big_pdf);
    assert_eq!(refused.status, 413, "{}", refused.body);
    let mut huge = jpeg();
    huge.resize(26 * 1024 * 1024, 0);
    let refused = editor.upload("ten=lon.jpg", &huge);
    assert_eq!(refused.status, 413);
    assert!(refused.body.contains("quá lớn"), "{}", refused.body);
}

#[test]
fn delete_moves_to_the_trash_and_restore_brings_it_back() {
    let editor = start();
    let csrf = editor.csrf.clone();
    let deleted = editor.post_form(
        "/tin-tuc/_soan-tin/xoa",
        &[("path", "2024/03/hoi-nghi.md"), ("csrf", &csrf)],
        None,
    );
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert!(!editor.root().join("content/2024/03/hoi-nghi.md").exists());
    let trash = editor.get("/tin-tuc/_soan-tin/thung-rac");
    assert!(
        trash.body.contains("content/2024/03/hoi-nghi.md"),
        "{}",
        trash.body
    );
    let stamp = between(&trash.body, "name=\"stamp\" value=\"", "\"").to_string();
    let stored = editor
        .root()
        .join(".trangtin/thung-rac")
        .join(&stamp)
        .join("content/2024/03/hoi-nghi.md");
    assert_eq!(std::fs::read_to_string(&stored).unwrap(), ARTICLE);
    let restored = editor.post_form(
        "/tin-tuc/_soan-tin/khoi-phuc",
        &[
            ("stamp", &stamp),
            ("path", "content/2024/03/hoi-nghi.md"),
            ("csrf", &csrf),
        ],
        None,
    );
    assert_eq!(restored.status, 200, "{}", restored.body);
    assert_eq!(
        std::fs::read_to_string(editor.root().join("content/2024/03/hoi-nghi.md")).unwrap(),
        ARTICLE
    );
}

#[test]
fn the_list_searches_titles_and_filters_by_state() {
    let editor = start();
    assert_eq!(
        editor
            .save(&new_article("Bản nháp về đo lường", "nhap"))
            .status,
        200
    );
    let all = editor.get("/tin-tuc/_soan-tin/");
    assert!(all.body.contains("Hội nghị tổng kết") && all.body.contains("Bản nháp về đo lường"));
    // Newest first.
    assert!(all.body.find("Bản nháp về đo lường") < all.body.find("Hội nghị tổng kết"));
    let drafts = editor.get("/tin-tuc/_soan-tin/?trang-thai=nhap");
    assert!(drafts.body.contains("Bản nháp") && !drafts.body.contains("Hội nghị tổng kết"));
    let found = editor.get("/tin-tuc/_soan-tin/?q=hoi%20nghi");
    assert!(found.body.contains("Hội nghị tổng kết") && !found.body.contains("Bản nháp"));
}

#[test]
fn preview_renders_markdown_with_the_builds_code() {
    let editor = start();
    let csrf = editor.csrf.clone();
    let html = editor.post_form(
        "/tin-tuc/_soan-tin/xem-truoc",
        &[
            (
                "body",
                "## Mục\n\n**đậm** ![a](anh.jpg)\n\n<script>x</script>",
            ),
            ("path", "2024/03/hoi-nghi.md"),
        ],
        Some(&csrf),
    );
    assert_eq!(html.status, 200);
    assert!(
        html.body.contains("<h2") && html.body.contains("<strong>đậm</strong>"),
        "{}",
        html.body
    );
    assert!(
        html.body.contains("/tin-tuc/_soan-tin/tep/2024/03/anh.jpg"),
        "{}",
        html.body
    );
    assert!(!html.body.contains("<script>"));
}

#[test]
fn nothing_of_the_editing_area_reaches_the_built_site() {
    let editor = start();
    assert_eq!(editor.save(&new_article("Bài mới", "dang")).status, 200);
    let root = editor.root().to_path_buf();
    let report = trangtin::build(&trangtin::BuildOptions {
        root: root.clone(),
        output: None,
        drafts: false,
        now: None,
        allow_mass_delete: false,
    });
    report.expect("the site builds");
    let public = root.join("public");
    let mut names = Vec::new();
    for entry in walkdir::WalkDir::new(&public)
        .follow_links(true)
        .into_iter()
        .flatten()
    {
        names.push(entry.path().to_string_lossy().into_owned());
    }
    assert!(names.iter().any(|n| n.contains("bai-moi")), "{names:?}");
    assert!(
        !names.iter().any(|n| n.contains("soan-tin")
            || n.ends_with("/.trangtin")
            || n.contains("/.trangtin/")),
        "{names:?}"
    );
}

#[test]
fn pasted_html_becomes_markdown_and_its_images_uploads() {
    let editor = start();
    let csrf = editor.csrf.clone();
    // A PNG signature is enough for the type check; base64 of it and a few bytes.
    let html = "<html><body><p class=MsoNormal><b><span style='font-family:Arial'>Kết quả</span></b>\
                <o:p></o:p></p><table><tr><td>Đơn vị</td><td>Số</td></tr><tr><td>Sở</td><td>12</td></tr></table>\
                <p><img src=\"data:image/png;base64,iVBORw0KGgoAAAAA\" alt=\"Biểu đồ 1\"></p></body></html>";
    let pasted = editor.post_form(
        "/tin-tuc/_soan-tin/dan",
        &[("html", html), ("tep", "2024/03/hoi-nghi.md")],
        Some(&csrf),
    );
    assert_eq!(pasted.status, 200, "{}", pasted.body);
    assert!(pasted.body.contains("**Kết quả**"), "{}", pasted.body);
    assert!(pasted.body.contains("| Đơn vị | Số |"), "{}", pasted.body);
    assert!(pasted.body.contains("bieu-do-1.png"), "{}", pasted.body);
    assert!(!pasted.body.contains("MsoNormal") && !pasted.body.contains("Arial"));
    assert!(editor
        .root()
        .join("content/2024/03/bieu-do-1.png")
        .is_file());
}

// ---- With accounts ---------------------------------------------------------------------------

const LAN_PASSWORD: &str = "mật khẩu của Lan";
const HUNG_PASSWORD: &str = "mật khẩu của Hùng";

/// A site with two users: `lan` (biên tập viên) and `hung` (người duyệt).
fn start_with_accounts() -> Editor {
    use trangtin::accounts::{Accounts, Role};
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "config.yaml", CONFIG);
    write(dir.path(), "content/2024/03/hoi-nghi.md", ARTICLE);
    let mut accounts = Accounts::load(&Accounts::default_path(dir.path())).unwrap();
    accounts
        .add("lan", Some("Nguyễn Thị Lan"), Role::Editor, LAN_PASSWORD)
        .unwrap();
    accounts
        .add("hung", Some("Trần Văn Hùng"), Role::Approver, HUNG_PASSWORD)
        .unwrap();
    accounts.save().unwrap();
    let mut options = ServeOptions::new(dir.path());
    options.port = 0;
    options.verbose = false;
    options.edit = true;
    let server = Server::start(options).expect("the server starts");
    Editor {
        dir,
        server,
        csrf: String::new(),
    }
}

/// A logged-in browser: its cookie and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

impl Editor {
    fn login_token(&self) -> String {
        let page = self.get("/tin-tuc/_soan-tin/dang-nhap");
        assert_eq!(page.status, 200, "{}", page.body);
        between(&page.body, "name=\"csrf\" value=\"", "\"").to_string()
    }

    /// Posts the login form; the reply and its `Set-Cookie`.
    fn log_in(&self, name: &str, password: &str, extra: &[(&str, &str)]) -> (Reply, String) {
        let token = self.login_token();
        let mut request = agent()
            .post(&self.url("/tin-tuc/_soan-tin/dang-nhap"))
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in extra {
            request = request.header(*k, *v);
        }
        let response = request
            .send(encode(&[
                ("csrf", &token),
                ("name", name),
                ("password", password),
            ]))
            .unwrap();
        let cookie = response
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (reply(response), cookie)
    }

    fn session(&self, name: &str, password: &str) -> Session {
        let (answer, set_cookie) = self.log_in(name, password, &[]);
        assert_eq!(answer.status, 303, "{}", answer.body);
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let page = reply(
            agent()
                .get(&self.url("/tin-tuc/_soan-tin/moi"))
                .header("cookie", &cookie)
                .call()
                .unwrap(),
        );
        assert_eq!(page.status, 200);
        let csrf = between(&page.body, "<meta name=\"csrf-token\" content=\"", "\"").to_string();
        Session { cookie, csrf }
    }

    fn post_as(&self, session: &Session, path: &str, pairs: &[(&str, &str)]) -> Reply {
        reply(
            agent()
                .post(&self.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header("cookie", &session.cookie)
                .header("x-csrf-token", &session.csrf)
                .send(encode(pairs))
                .unwrap(),
        )
    }
}

#[test]
fn with_a_users_file_the_editing_area_asks_for_a_login() {
    let editor = start_with_accounts();
    let list = editor.get("/tin-tuc/_soan-tin/");
    assert_eq!(list.status, 303);
    assert_eq!(list.location, "/tin-tuc/_soan-tin/dang-nhap");
    // A write without a session is refused, token or not.
    let form = new_article("Bài lạ", "nhap");
    assert_eq!(
        editor
            .post_form("/tin-tuc/_soan-tin/luu", &form, Some("x"))
            .status,
        401
    );
    // The cookie: HttpOnly, SameSite=Strict, the editing area's path; Secure behind TLS.
    let (answer, cookie) = editor.log_in("lan", LAN_PASSWORD, &[]);
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert!(cookie.starts_with("trangtin_session="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/;"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "{cookie}");
    let (_, tls_cookie) = editor.log_in("lan", LAN_PASSWORD, &[("x-forwarded-proto", "https")]);
    assert!(tls_cookie.contains("Secure"), "{tls_cookie}");
    // The preview shows drafts: it asks for a login too.
    let preview = editor.get("/tin-tuc/");
    assert_eq!(preview.status, 303);
    assert_eq!(preview.location, "/tin-tuc/_soan-tin/dang-nhap");
    let session = cookie.split(';').next().unwrap();
    let page = reply(
        agent()
            .get(&editor.url("/tin-tuc/"))
            .header("cookie", session)
            .call()
            .unwrap(),
    );
    assert_eq!(page.status, 200);
}

#[test]
fn five_wrong_passwords_lock_the_name_out() {
    let editor = start_with_accounts();
    for attempt in 0..5 {
        let (answer, cookie) = editor.log_in("lan", "sai mật khẩu", &[]);
        assert_eq!(answer.status, 401, "attempt {attempt}");
        assert!(answer.body.contains("Sai tên đăng nhập hoặc mật khẩu"));
        assert!(cookie.is_empty());
    }
    let (locked, cookie) = editor.log_in("lan", LAN_PASSWORD, &[]);
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(
        locked.body.contains("thử lại sau 15 phút"),
        "{}",
        locked.body
    );
    assert!(cookie.is_empty());
    // Another name is not locked by lan's failures.
    assert_eq!(editor.log_in("hung", HUNG_PASSWORD, &[]).0.status, 303);
}

#[test]
fn a_csrf_token_of_another_session_is_refused() {
    let editor = start_with_accounts();
    let lan = editor.session("lan", LAN_PASSWORD);
    let hung = editor.session("hung", HUNG_PASSWORD);
    let stolen = Session {
        cookie: lan.cookie.clone(),
        csrf: hung.csrf.clone(),
    };
    let refused = editor.post_as(
        &stolen,
        "/tin-tuc/_soan-tin/luu",
        &new_article("Bài", "nhap"),
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
}

#[test]
fn an_editor_saves_drafts_only_and_an_approver_publishes() {
    let editor = start_with_accounts();
    let lan = editor.session("lan", LAN_PASSWORD);
    let hung = editor.session("hung", HUNG_PASSWORD);

    let publish = editor.post_as(
        &lan,
        "/tin-tuc/_soan-tin/luu",
        &new_article("Tin của Lan", "dang"),
    );
    assert_eq!(publish.status, 403, "{}", publish.body);
    assert!(publish.body.contains("người duyệt"), "{}", publish.body);
    let draft = editor.post_as(
        &lan,
        "/tin-tuc/_soan-tin/luu",
        &new_article("Tin của Lan", "nhap"),
    );
    assert_eq!(draft.status, 200, "{}", draft.body);
    let path = "content/2024/05/tin-cua-lan.md";
    assert!(std::fs::read_to_string(editor.root().join(path))
        .unwrap()
        .contains("draft: true"));

    // A published article is the approver's: the editor cannot change it, even to a draft.
    let page = reply(
        agent()
            .get(&editor.url("/tin-tuc/_soan-tin/sua?tep=2024%2F03%2Fhoi-nghi.md"))
            .header("cookie", &lan.cookie)
            .call()
            .unwrap(),
    );
    assert!(
        page.body.contains("value=\"dang\" checked disabled"),
        "the publish choices are off"
    );
    let hash = between(&page.body, "name=\"hash\" value=\"", "\"").to_string();
    let mut change = new_article("Hội nghị (sửa)", "nhap");
    change.push(("path", "2024/03/hoi-nghi.md"));
    change.push(("hash", &hash));
    assert_eq!(
        editor
            .post_as(&lan, "/tin-tuc/_soan-tin/luu", &change)
            .status,
        403
    );
    let delete = [("path", "2024/03/hoi-nghi.md")];
    assert_eq!(
        editor
            .post_as(&lan, "/tin-tuc/_soan-tin/xoa", &delete)
            .status,
        403
    );
    assert!(editor.root().join("content/2024/03/hoi-nghi.md").exists());

    // The approver publishes Lan's draft.
    let page = reply(
        agent()
            .get(&editor.url("/tin-tuc/_soan-tin/sua?tep=2024%2F05%2Ftin-cua-lan.md"))
            .header("cookie", &hung.cookie)
            .call()
            .unwrap(),
    );
    let hash = between(&page.body, "name=\"hash\" value=\"", "\"").to_string();
    let mut publish = new_article("Tin của Lan", "dang");
    publish.push(("path", "2024/05/tin-cua-lan.md"));
    publish.push(("hash", &hash));
    let published = editor.post_as(&hung, "/tin-tuc/_soan-tin/luu", &publish);
    assert_eq!(published.status, 200, "{}", published.body);
    assert!(!std::fs::read_to_string(editor.root().join(path))
        .unwrap()
        .contains("draft"));

    // Every save is in the audit log: who, what, which file.
    let log =
        std::fs::read_to_string(editor.root().join(".trangtin/nhat-ky-soan-tin.log")).unwrap();
    let lines: Vec<&str> = log.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].contains("lan (Biên tập viên)") && lines[0].contains("lưu nháp"),
        "{log}"
    );
    assert!(lines[0].ends_with(path), "{log}");
    assert!(
        lines[1].contains("hung (Người duyệt)") && lines[1].contains("đăng bài"),
        "{log}"
    );
}

#[test]
fn logging_out_ends_the_session() {
    let editor = start_with_accounts();
    let hung = editor.session("hung", HUNG_PASSWORD);
    let out = editor.post_as(
        &hung,
        "/tin-tuc/_soan-tin/dang-xuat",
        &[("csrf", &hung.csrf.clone())],
    );
    assert_eq!(out.status, 303);
    let after = editor.post_as(&hung, "/tin-tuc/_soan-tin/luu", &new_article("Bài", "nhap"));
    assert_eq!(after.status, 401);
}

#[test]
fn a_deleted_article_keeps_its_address_answering_after_the_next_build() {
    let editor = start();
    assert_eq!(editor.save(&new_article("Bài còn lại", "dang")).status, 200);
    let build = |root: &Path| {
        trangtin::build(&trangtin::BuildOptions {
            root: root.to_path_buf(),
            output: None,
            drafts: false,
            now: None,
            allow_mass_delete: true,
        })
        .expect("the site builds");
    };
    build(editor.root());
    let page = editor
        .root()
        .join("public/tin-tuc/hoi-nghi-2024/index.html");
    assert!(page.is_file());
    let csrf = editor.csrf.clone();
    let deleted = editor.post_form(
        "/tin-tuc/_soan-tin/xoa",
        &[("path", "2024/03/hoi-nghi.md"), ("csrf", &csrf)],
        None,
    );
    assert_eq!(deleted.status, 303);
    build(editor.root());
    let gone = std::fs::read_to_string(&page).expect("the old address still has a page");
    assert!(gone.contains("đã được gỡ"), "{gone}");
}

// ---- Found in the security review -------------------------------------------------------

#[test]
fn a_removed_user_or_a_new_password_ends_the_session_while_the_server_runs() {
    use trangtin::accounts::Accounts;
    let editor = start_with_accounts();
    let lan = editor.session("lan", LAN_PASSWORD);
    let hung = editor.session("hung", HUNG_PASSWORD);
    let draft = new_article("Bài", "nhap");
    let path = Accounts::default_path(editor.root());
    let mut accounts = Accounts::load(&path).unwrap();
    accounts.remove("lan").unwrap();
    accounts
        .set_password("hung", "một mật khẩu mới của Hùng")
        .unwrap();
    accounts.save().unwrap();
    for session in [&lan, &hung] {
        let after = editor.post_as(session, "/tin-tuc/_soan-tin/luu", &draft);
        assert_eq!(after.status, 401, "{}", after.body);
    }
    assert_eq!(editor.log_in("lan", LAN_PASSWORD, &[]).0.status, 401);
    assert_eq!(editor.log_in("hung", HUNG_PASSWORD, &[]).0.status, 401);
    let hung = editor.session("hung", "một mật khẩu mới của Hùng");
    // A users file broken by a hand edit stops the editing area rather than keep anyone in.
    std::fs::write(&path, "users:\n  - name: [\n").unwrap();
    let stopped = editor.post_as(&hung, "/tin-tuc/_soan-tin/luu", &draft);
    assert_eq!(stopped.status, 503, "{}", stopped.body);
    assert!(stopped.body.contains("users.yaml"), "{}", stopped.body);
    accounts.save().unwrap();
    let saved = editor.post_as(&hung, "/tin-tuc/_soan-tin/luu", &draft);
    assert_eq!(saved.status, 200, "{}", saved.body);
}

#[cfg(unix)]
#[test]
fn links_in_content_to_elsewhere_are_neither_read_nor_written() {
    let editor = start();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "bi-mat.txt", "bí mật");
    write(outside.path(), "bi-mat.md", ARTICLE);
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(outside.path().join(target), editor.root().join(at)).unwrap()
    };
    link("", "content/2024/ngoai");
    link("bi-mat.md", "content/2024/03/lien-ket.md");
    link("", "content/2025");
    assert_eq!(
        editor
            .get("/tin-tuc/_soan-tin/tep/2024/ngoai/bi-mat.txt")
            .status,
        404
    );
    for tep in ["2024%2Fngoai%2Fbi-mat.md", "2024%2F03%2Flien-ket.md"] {
        let page = editor.get(&format!("/tin-tuc/_soan-tin/sua?tep={tep}"));
        assert_eq!(page.status, 404, "{tep}: {}", page.body);
        assert!(!page.body.contains("Nội dung ban đầu"), "{}", page.body);
    }
    let upload = editor.upload("tep=2024%2F03%2Flien-ket.md&ten=a.jpg", &jpeg());
    assert_eq!(upload.status, 400, "{}", upload.body);
    let upload = editor.upload("ngay=2025-01-02&ten=a.jpg", &jpeg());
    assert_eq!(upload.status, 400, "{}", upload.body);
    let mut article = new_article("Bài tháng một", "nhap");
    article[2] = ("date", "2025-01-02");
    let saved = editor.save(&article);
    assert_eq!(saved.status, 400, "{}", saved.body);
    let written: Vec<_> = walk(outside.path());
    assert_eq!(written.len(), 2, "{written:?}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() {
            found.extend(walk(&entry.path()));
        } else {
            found.push(entry.path());
        }
    }
    found
}

#[test]
fn editor_pages_have_a_content_security_policy_and_content_files_a_sandbox() {
    let editor = start();
    write(
        editor.root(),
        "content/2024/03/trang.html",
        "<script>alert(1)</script>",
    );
    write(
        editor.root(),
        "content/2024/03/hinh.svg",
        "<svg onload=\"alert(1)\"/>",
    );
    std::fs::write(editor.root().join("content/2024/03/anh.jpg"), jpeg()).unwrap();
    let policy = |path: &str| {
        let response = agent().get(&editor.url(path)).call().unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response
            .headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let page = policy("/tin-tuc/_soan-tin/moi");
    assert!(page.contains("script-src 'self';"), "{page}");
    assert!(
        !page.contains("unsafe-inline';") || page.contains("style-src-attr"),
        "{page}"
    );
    assert!(page.contains("frame-ancestors 'none'"), "{page}");
    for file in ["trang.html", "hinh.svg"] {
        let sandbox = policy(&format!("/tin-tuc/_soan-tin/tep/2024/03/{file}"));
        assert!(sandbox.starts_with("sandbox;"), "{file}: {sandbox}");
    }
    assert_eq!(policy("/tin-tuc/_soan-tin/tep/2024/03/anh.jpg"), "");
}

#[test]
fn the_login_form_has_a_small_limit() {
    let editor = start_with_accounts();
    let token = editor.login_token();
    let long = "a".repeat(100 * 1024);
    let answer = reply(
        agent()
            .post(&editor.url("/tin-tuc/_soan-tin/dang-nhap"))
            .header("content-type", "application/x-www-form-urlencoded")
            .send(encode(&[
                ("csrf", &token),
                ("name", "lan"),
                ("password", &long),
            ]))
            .unwrap(),
    );
    assert_eq!(answer.status, 413, "{}", answer.body);
}

#[test]
fn an_editor_cannot_overwrite_a_published_article_the_parser_refuses() {
    let editor = start_with_accounts();
    let broken = "---\ntitle: Bài đã đăng\ndate: ngày mai\ncategory: Tin tức\n---\n\nĐã đăng.\n";
    write(editor.root(), "content/2024/03/hong.md", broken);
    let lan = editor.session("lan", LAN_PASSWORD);
    let hash = trangtin::editor::store::hash(broken.as_bytes());
    let mut change = new_article("Bài đã đăng", "nhap");
    change.push(("path", "2024/03/hong.md"));
    change.push(("hash", &hash));
    let answer = editor.post_as(&lan, "/tin-tuc/_soan-tin/luu", &change);
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(
        std::fs::read_to_string(editor.root().join("content/2024/03/hong.md")).unwrap(),
        broken
    );
}

#[test]
fn the_audit_log_names_the_folder_a_new_articles_upload_went_to() {
    let editor = start();
    let up = editor.upload("ten=a.jpg&ngay=2025-01-02", &jpeg());
    assert_eq!(up.status, 200, "{}", up.body);
    assert!(editor.root().join("content/2025/01/a.jpg").is_file());
    let log =
        std::fs::read_to_string(editor.root().join(".trangtin/nhat-ky-soan-tin.log")).unwrap();
    let line = log.lines().find(|l| l.contains("tải tệp lên")).unwrap();
    assert!(line.ends_with("\tcontent/2025/01/a.jpg"), "{log}");
}

#[test]
fn every_value_a_clerk_types_is_escaped_in_the_pages() {
    let editor = start();
    let evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    // A form sent without the script (HTML answer) with a mistake: every value comes back.
    let mut pairs = new_article(evil, "nhap");
    pairs[1] = ("category", evil);
    pairs[4] = ("author", evil);
    pairs[5] = ("tags", evil);
    pairs.push(("csrf", &editor.csrf));
    let page = reply(
        agent()
            .post(&editor.url("/tin-tuc/_soan-tin/luu"))
            .header("content-type", "application/x-www-form-urlencoded")
            .send(encode(&pairs))
            .unwrap(),
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(!page.body.contains("<img src=x"), "{}", page.body);
    assert!(page
        .body
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;"));
    // Saved as a draft with the right category, the title is listed escaped.
    let mut pairs = new_article(evil, "nhap");
    pairs[5] = ("tags", evil);
    let saved = editor.save(&pairs);
    assert_eq!(saved.status, 200, "{}", saved.body);
    let list = editor.get("/tin-tuc/_soan-tin/");
    assert!(
        list.body.contains("&lt;script&gt;alert(1)"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("<script>alert"), "{}", list.body);
    let q = editor.get("/tin-tuc/_soan-tin/?q=%22%3E%3Cscript%3E");
    assert!(!q.body.contains("\"><script>"), "{}", q.body);
}

#[test]
fn every_state_changing_route_refuses_another_site_and_a_missing_token() {
    let editor = start_with_accounts();
    let hung = editor.session("hung", HUNG_PASSWORD);
    let login_token = editor.login_token();
    for route in [
        "luu",
        "xem-truoc",
        "dan",
        "tai-len",
        "xoa",
        "khoi-phuc",
        "dang-xuat",
        "dang-nhap",
    ] {
        let url = editor.url(&format!("/tin-tuc/_soan-tin/{route}"));
        let post = |origin: Option<&str>, site: Option<&str>, token: Option<&str>| {
            let mut request = agent()
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &hung.cookie);
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            if let Some(site) = site {
                request = request.header("sec-fetch-site", site);
            }
            let mut pairs = vec![("name", "hung"), ("password", HUNG_PASSWORD)];
            if let Some(token) = token {
                pairs.push(("csrf", token));
            }
            reply(request.send(encode(&pairs)).unwrap()).status
        };
        let token = if route == "dang-nhap" {
            login_token.as_str()
        } else {
            hung.csrf.as_str()
        };
        // A cross-site form post, and a `fetch` with `mode: "no-cors"` (both send Origin).
        assert_eq!(
            post(Some("https://evil.example"), None, Some(token)),
            403,
            "{route}"
        );
        assert_eq!(post(Some("null"), None, Some(token)), 403, "{route}");
        assert_eq!(post(None, Some("cross-site"), Some(token)), 403, "{route}");
        assert_eq!(post(None, None, None), 403, "{route}: no token");
    }
    // The session was not ended by any of these.
    let still = editor.post_as(&hung, "/tin-tuc/_soan-tin/xem-truoc", &[("body", "a")]);
    assert_eq!(still.status, 200, "{}", still.body);
}

#[test]
fn the_lockout_counts_a_name_whatever_its_case_or_spaces() {
    let editor = start_with_accounts();
    for name in ["LAN", " lan", "Lan\t", "lan ", "lAn"] {
        assert_eq!(
            editor.log_in(name, "sai mật khẩu", &[]).0.status,
            401,
            "{name}"
        );
    }
    assert_eq!(editor.log_in("lan", LAN_PASSWORD, &[]).0.status, 429);
    // The answer for an unknown name is the same as for a wrong password.
    let (unknown, _) = editor.log_in("khong-co-ai", "sai mật khẩu", &[]);
    let (wrong, _) = editor.log_in("hung", "sai mật khẩu", &[]);
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(
        unknown.body.replace("khong-co-ai", "hung"),
        wrong.body,
        "the page tells nothing of which names exist"
    );
}

#[test]
fn an_editor_cannot_restore_from_the_trash() {
    let editor = start_with_accounts();
    let hung = editor.session("hung", HUNG_PASSWORD);
    let lan = editor.session("lan", LAN_PASSWORD);
    let deleted = editor.post_as(
        &hung,
        "/tin-tuc/_soan-tin/xoa",
        &[("path", "2024/03/hoi-nghi.md")],
    );
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    let trash = reply(
        agent()
            .get(&editor.url("/tin-tuc/_soan-tin/thung-rac"))
            .header("cookie", &hung.cookie)
            .call()
            .unwrap(),
    );
    let stamp = between(&trash.body, "name=\"stamp\" value=\"", "\"").to_string();
    let restore = [
        ("stamp", stamp.as_str()),
        ("path", "content/2024/03/hoi-nghi.md"),
    ];
    let refused = editor.post_as(&lan, "/tin-tuc/_soan-tin/khoi-phuc", &restore);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(!editor.root().join("content/2024/03/hoi-nghi.md").exists());
}

#[test]
fn content_files_are_read_from_content_only() {
    let editor = start();
    for path in [
        "%2e%2e/config.yaml",
        "..%2Fconfig.yaml",
        "2024/%2E%2E/%2E%2E/config.yaml",
        "%2Fetc%2Fpasswd",
        "2024%5C..%5C..%5Cconfig.yaml",
        "2024/03/hoi-nghi.md%00.jpg",
        ".%2E/.trangtin/users.yaml",
    ] {
        let answer = editor.get(&format!("/tin-tuc/_soan-tin/tep/{path}"));
        assert!(
            matches!(answer.status, 400 | 404),
            "{path}: {}",
            answer.status
        );
        assert!(!answer.body.contains("base_url"), "{path}");
    }
    assert_eq!(
        editor
            .get("/tin-tuc/_soan-tin/tep/2024/03/hoi-nghi.md")
            .status,
        200
    );
}
