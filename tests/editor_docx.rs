//! End-to-end tests of importing a Word .docx from the web editor (`POST
//! {prefix}/nhap-word`): a fixture site served in-process on a free port, a .docx made in the
//! test sent as the script sends it (raw body) and as the plain form sends it (multipart),
//! the draft and its images checked on disk, and refusals checked with their messages.

#[allow(dead_code, unreachable_pub)]
#[path = "../src/import/testdocx.rs"]
mod testdocx;

use std::path::{Path, PathBuf};
use testdocx::{docx, item, p, picture, r, styled, table};
use trangtin::serve::{RunningServer, ServeOptions, Server};

#[path = "editor_support/mod.rs"]
mod editor_support;
use editor_support::{agent, between, reply, Reply};

const CONFIG: &str = "title: \"Sở KH&CN thử nghiệm\"\n\
base_url: \"https://skhcn.example.gov.vn/tin-tuc/\"\n\
default_author: Phòng Thông tin\n\
categories:\n  - name: Tin tức\n    slug: tin-tuc\n  - name: \"Thông báo\"\n    slug: thong-bao\n";

const AREA: &str = "/tin-tuc/_soan-tin";

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

/// A served site, and the cookie and token of the browser that uses it.
struct Editor {
    dir: tempfile::TempDir,
    server: RunningServer,
    cookie: String,
    csrf: String,
}

fn serve(dir: tempfile::TempDir) -> Editor {
    let mut options = ServeOptions::new(dir.path());
    options.port = 0;
    options.verbose = false;
    options.edit = true;
    let server = Server::start(options).expect("the server starts");
    Editor {
        dir,
        server,
        cookie: String::new(),
        csrf: String::new(),
    }
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "config.yaml", CONFIG);
    write(
        dir.path(),
        "content/2024/03/hoi-nghi.md",
        "---\ntitle: Hội nghị\ndate: 2024-03-14 08:30\ncategory: Tin tức\n---\n\nNội dung.\n",
    );
    dir
}

/// The editor on loopback, without accounts.
fn start() -> Editor {
    let mut editor = serve(site());
    editor.open_new_page();
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
        let mut request = agent().get(&self.url(path));
        if !self.cookie.is_empty() {
            request = request.header("cookie", &self.cookie);
        }
        reply(request.call().expect("a response"))
    }

    /// Opens the new-article page and keeps its CSRF token; the page.
    fn open_new_page(&mut self) -> String {
        let page = self.get(&format!("{AREA}/moi"));
        assert_eq!(page.status, 200, "{}", page.body);
        self.csrf = between(&page.body, "<meta name=\"csrf-token\" content=\"", "\"").to_string();
        page.body
    }

    /// The file as the script sends it: the raw body, the token in a header, JSON back.
    fn send_raw(&self, query: &str, bytes: &[u8], csrf: Option<&str>) -> Reply {
        let mut request = agent()
            .post(&self.url(&format!("{AREA}/nhap-word?{query}")))
            .header("content-type", "application/octet-stream")
            .header("accept", "application/json");
        if let Some(token) = csrf {
            request = request.header("x-csrf-token", token);
        }
        if !self.cookie.is_empty() {
            request = request.header("cookie", &self.cookie);
        }
        reply(request.send(bytes).expect("a response"))
    }

    /// The file as the page's form sends it without the script: multipart, the token and the
    /// category as fields, a page or a redirect back.
    fn send_form(&self, fields: &[(&str, &str)], name: &str, bytes: &[u8]) -> Reply {
        let boundary = "----trangtinTestBoundary7MA4YWxk";
        let mut body = Vec::new();
        for (field, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
                 Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut request = agent()
            .post(&self.url(&format!("{AREA}/nhap-word")))
            .header(
                "content-type",
                &format!("multipart/form-data; boundary={boundary}"),
            )
            .header("origin", &self.url(""));
        if !self.cookie.is_empty() {
            request = request.header("cookie", &self.cookie);
        }
        reply(request.send(&body[..]).expect("a response"))
    }

    /// Every file under `content/` other than the fixture's article.
    fn new_content(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = walk(&self.root().join("content"))
            .into_iter()
            .filter(|p| !p.ends_with("2024/03/hoi-nghi.md"))
            .collect();
        files.sort();
        files
    }

    fn audit_log(&self) -> String {
        std::fs::read_to_string(self.root().join(".trangtin/nhat-ky-soan-tin.log"))
            .unwrap_or_default()
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn jpeg() -> Vec<u8> {
    let mut bytes = b"\xff\xd8\xff\xe0\0\x10JFIF\0".to_vec();
    bytes.resize(2000, 0);
    bytes
}

/// A clerk's report: a Title, bold text, a photo, a heading, a numbered list, a table and an
/// EMF chart (which browsers cannot show, so the import leaves it out and says so).
fn report_docx() -> Vec<u8> {
    let body = [
        styled("Tiu", "Hội nghị tổng kết năm 2026"),
        p(
            "",
            &[
                r("", "Sáng 02/3, "),
                r("<w:b/>", "Sở Khoa học và Công nghệ"),
                r("", " tổ chức hội nghị."),
            ]
            .concat(),
        ),
        p("", &picture("rId8", "Quang cảnh hội nghị")),
        styled("u1", "Kết quả nổi bật"),
        item(2, 0, "Cấp 45 giấy chứng nhận"),
        table(&[&["Lĩnh vực", "Số hồ sơ"], &["Đo lường", "120"]]),
        p("", &picture("rId9", "Biểu đồ")),
    ]
    .concat();
    docx(&body)
        .image("rId8", "image1.jpeg", jpeg())
        .image("rId9", "image2.emf", testdocx::emf())
        .bytes()
}

/// This month's folder in the site's time zone (+07:00), as the import names it.
fn this_month() -> String {
    let offset = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    chrono::Utc::now()
        .with_timezone(&offset)
        .format("%Y/%m")
        .to_string()
}

fn json_field(body: &str, name: &str) -> String {
    let value: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    value[name].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_docx_sent_by_the_script_becomes_a_draft_with_its_images_beside_it() {
    let editor = start();
    let answer = editor.send_raw(
        "ten=bao-cao.docx&chuyen-muc=th%C3%B4ng%20b%C3%A1o",
        &report_docx(),
        Some(&editor.csrf.clone()),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let month = this_month();
    let path = json_field(&answer.body, "path");
    assert_eq!(path, format!("{month}/hoi-nghi-tong-ket-nam-2026.md"));
    assert_eq!(
        editor.new_content(),
        [
            editor
                .root()
                .join(format!("content/{month}/hoi-nghi-tong-ket-nam-2026-1.jpg")),
            editor.root().join(format!("content/{path}")),
        ]
    );
    let text = std::fs::read_to_string(editor.root().join("content").join(&path)).unwrap();
    assert!(
        text.contains("title: \"Hội nghị tổng kết năm 2026\"\n"),
        "{text}"
    );
    // The site's spelling of the category, the site's default author, a draft.
    assert!(text.contains("category: \"Thông báo\"\n"), "{text}");
    assert!(text.contains("author: \"Phòng Thông tin\"\n"), "{text}");
    assert!(text.contains("draft: true\n"), "{text}");
    assert!(text.contains("**Sở Khoa học và Công nghệ**"), "{text}");
    assert!(
        text.contains("](hoi-nghi-tong-ket-nam-2026-1.jpg)"),
        "{text}"
    );
    assert!(text.contains("## Kết quả nổi bật"), "{text}");
    assert!(text.contains("| Đo lường | 120 |"), "{text}");
    assert!(
        editor.audit_log().contains("nhập từ Word"),
        "{}",
        editor.audit_log()
    );
    // The temporary copy of the upload is gone.
    let leftovers: Vec<PathBuf> = walk(&editor.root().join(".trangtin"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("nhap-word"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The edit page answers, with what the import left out.
    let url = json_field(&answer.body, "url");
    assert!(url.starts_with(&format!("{AREA}/sua?tep=")), "{url}");
    let page = editor.get(&url);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("value=\"Hội nghị tổng kết năm 2026\""),
        "{}",
        page.body
    );
    let notice = between(&page.body, "id=\"trang-thai-luu\"", "</div>");
    assert!(
        notice.contains("Đã nhập từ tệp Word thành bài nháp"),
        "{notice}"
    );
    assert!(
        notice.contains("1 ảnh ở định dạng trình duyệt không hiển thị được"),
        "{notice}"
    );
    // A later visit to the edit page has no notice.
    let plain = editor.get(&format!("{AREA}/sua?tep={}", between(&url, "tep=", "&")));
    assert_eq!(plain.status, 200);
    assert!(!plain.body.contains("Đã nhập từ tệp Word"));
}

#[test]
fn the_plain_form_posts_the_file_and_is_sent_to_the_drafts_edit_page() {
    let mut editor = start();
    // Both pages have the control, with a label for each field.
    for page in [editor.get(&format!("{AREA}/")).body, editor.open_new_page()] {
        assert!(page.contains("Nhập từ tệp Word (.docx)"), "{page}");
        assert!(page.contains(&format!(
            "action=\"{AREA}/nhap-word\" enctype=\"multipart/form-data\""
        )));
        assert!(page.contains("<label for=\"nhap-word-tep\">"));
        assert!(page.contains("<label for=\"nhap-word-chuyen-muc\">"));
        assert!(page.contains("<option selected>Tin tức</option><option>Thông báo</option>"));
    }
    let csrf = editor.csrf.clone();
    let answer = editor.send_form(
        &[("csrf", &csrf), ("chuyen-muc", "Tin tức")],
        "Báo cáo.docx",
        &report_docx(),
    );
    assert_eq!(answer.status, 303, "{}", answer.body);
    let path = format!("{}/hoi-nghi-tong-ket-nam-2026.md", this_month());
    assert!(
        answer.location.starts_with(&format!("{AREA}/sua?tep=")),
        "{}",
        answer.location
    );
    let text = std::fs::read_to_string(editor.root().join("content").join(&path)).unwrap();
    assert!(text.contains("category: \"Tin tức\"\n"), "{text}");
    assert!(text.contains("draft: true\n"), "{text}");
    let page = editor.get(&answer.location);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Đã nhập từ tệp Word"));

    // The same document again takes the next name and replaces nothing.
    let again = editor.send_form(&[("csrf", &csrf)], "Báo cáo.docx", &report_docx());
    assert_eq!(again.status, 303, "{}", again.body);
    assert!(
        again.location.contains("hoi-nghi-tong-ket-nam-2026-2.md"),
        "{}",
        again.location
    );
    assert_eq!(editor.new_content().len(), 4);
}

#[test]
fn an_import_without_the_token_is_refused_and_writes_nothing() {
    let editor = start();
    let raw = editor.send_raw("", &report_docx(), None);
    assert_eq!(raw.status, 403, "{}", raw.body);
    assert!(raw.body.contains("thiếu mã bảo vệ"), "{}", raw.body);
    let wrong = editor.send_raw("", &report_docx(), Some("sai"));
    assert_eq!(wrong.status, 403, "{}", wrong.body);
    let form = editor.send_form(&[("chuyen-muc", "Tin tức")], "a.docx", &report_docx());
    assert_eq!(form.status, 403, "{}", form.body);
    assert!(
        editor.new_content().is_empty(),
        "{:?}",
        editor.new_content()
    );
    assert!(!editor.audit_log().contains("nhập từ Word"));
}

/// The first sector of an OLE compound file (a Word 97-2003 .doc).
fn old_doc() -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
    bytes.resize(1024, 0);
    bytes
}

#[test]
fn files_that_are_not_a_docx_are_refused_with_what_to_do() {
    let editor = start();
    let csrf = editor.csrf.clone();
    let doc = editor.send_raw("ten=cu.doc", &old_doc(), Some(&csrf));
    assert_eq!(doc.status, 415, "{}", doc.body);
    assert!(
        json_field(&doc.body, "message")
            .starts_with("Tệp .doc (Word 97–2003) chưa được nhận; mở bằng Word và lưu thành .docx"),
        "{}",
        doc.body
    );
    let random: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let noise = editor.send_raw("ten=x.docx", &random, Some(&csrf));
    assert_eq!(noise.status, 415, "{}", noise.body);
    assert_eq!(
        json_field(&noise.body, "message"),
        "Tệp này không phải tệp Word .docx."
    );
    let photo = editor.send_form(&[("csrf", &csrf)], "anh.jpg", &jpeg());
    assert_eq!(photo.status, 415, "{}", photo.body);
    assert!(photo
        .body
        .contains("Đây là tệp JPG chứ không phải tệp Word .docx."));
    // A Word document whose main part is not XML.
    let damaged =
        testdocx::zip_of(&[("word/document.xml".into(), b"<w:document><w:body>".to_vec())]);
    let broken = editor.send_raw("", &damaged, Some(&csrf));
    assert_eq!(broken.status, 422, "{}", broken.body);
    assert!(
        json_field(&broken.body, "message")
            .starts_with("Tệp Word bị hỏng (không đọc được phần word/document.xml)"),
        "{}",
        broken.body
    );
    let none = editor.send_form(&[("csrf", &csrf)], "", b"");
    assert_eq!(none.status, 400, "{}", none.body);
    assert!(none.body.contains("Hãy chọn một tệp Word (.docx) để nhập."));
    assert!(
        editor.new_content().is_empty(),
        "{:?}",
        editor.new_content()
    );
}

#[test]
fn a_file_over_20_mb_is_refused_before_it_is_read() {
    let editor = start();
    let big = vec![b'P'; 21 * 1024 * 1024];
    let answer = editor.send_raw("", &big, Some(&editor.csrf.clone()));
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert!(
        json_field(&answer.body, "message").contains("20 MB"),
        "{}",
        answer.body
    );
    assert!(editor.new_content().is_empty());
}

#[test]
fn an_editor_account_imports_a_draft_with_the_accounts_name_in_the_log() {
    use trangtin::accounts::{Accounts, Role};
    let dir = site();
    let mut accounts = Accounts::load(&Accounts::default_path(dir.path())).unwrap();
    accounts
        .add(
            "lan",
            Some("Nguyễn Thị Lan"),
            Role::Editor,
            "mật khẩu của Lan",
        )
        .unwrap();
    accounts.save().unwrap();
    let mut editor = serve(dir);
    // Without a session: a login is asked for, nothing is written.
    let anonymous = editor.send_raw("", &report_docx(), Some("x"));
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    let login = editor.get(&format!("{AREA}/dang-nhap"));
    let token = between(&login.body, "name=\"csrf\" value=\"", "\"").to_string();
    let response = agent()
        .post(&editor.url(&format!("{AREA}/dang-nhap")))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(format!(
            "csrf={token}&name=lan&password={}",
            percent_encoding::utf8_percent_encode(
                "mật khẩu của Lan",
                percent_encoding::NON_ALPHANUMERIC
            )
        ))
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    editor.cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    editor.open_new_page();
    // The author Lan saved her last article with (as the editor remembers it).
    write(
        editor.root(),
        ".trangtin/tac-gia-gan-nhat.tsv",
        "lan\tNguyễn Thị Lan\tPhóng viên\n",
    );
    let answer = editor.send_raw("", &report_docx(), Some(&editor.csrf.clone()));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let path = json_field(&answer.body, "path");
    let text = std::fs::read_to_string(editor.root().join("content").join(&path)).unwrap();
    assert!(text.contains("draft: true\n"), "{text}");
    assert!(text.contains("author: \"Nguyễn Thị Lan\"\n"), "{text}");
    assert!(text.contains("category: \"Tin tức\"\n"), "{text}");
    let log = editor.audit_log();
    assert!(
        log.lines()
            .any(|l| l.contains("lan") && l.contains("nhập từ Word") && l.contains(&path)),
        "{log}"
    );
}
