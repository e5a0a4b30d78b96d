//! End-to-end tests of `trangtin serve`: a fixture site served in-process on a free port,
//! fetched over HTTP while the test edits, breaks, fixes and deletes its files.

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};
use trangtin::serve::{RunningServer, ServeOptions, Server};

const CONFIG: &str = "title: \"Sở KH&CN thử nghiệm\"\n\
base_url: \"https://skhcn.example.gov.vn/tin-tuc/\"\n\
categories:\n  - name: Chung\n    slug: chung\n";

fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: 2024-03-14 08:30:00\ncategory: Chung\n---\n{body}\n")
}

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "config.yaml", CONFIG);
    write(
        root,
        "content/2024/03/hoi-nghi.md",
        &article(
            "Hội nghị tổng kết",
            "Nội dung ban đầu của bài.\n\n![Ảnh](/images/a.svg)",
        ),
    );
    write(
        root,
        "content/2024/03/kiem-tra.md",
        &article(
            "Kiểm tra đo lường",
            "Đoàn kiểm tra đã làm việc. Ảnh gốc: [1](/images/b.png), [2](ảnh hội nghị.jpg).",
        ),
    );
    write(
        root,
        "content/images/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    std::fs::write(root.join("content/images/b.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(root.join("content/bao-cao.pdf"), b"%PDF-1.4\n").unwrap();
    std::fs::write(
        root.join("content/2024/03/ảnh hội nghị.jpg"),
        b"\xff\xd8\xff",
    )
    .unwrap();
    dir
}

fn start(root: &Path) -> RunningServer {
    let mut options = ServeOptions::new(root);
    options.port = 0;
    options.verbose = false;
    Server::start(options).expect("the server starts")
}

struct Reply {
    status: u16,
    content_type: String,
    location: String,
    body: String,
}

fn agent() -> &'static ureq::Agent {
    static AGENT: std::sync::OnceLock<ureq::Agent> = std::sync::OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into()
    })
}

fn get(server: &RunningServer, path: &str) -> Reply {
    let url = format!("http://127.0.0.1:{}{path}", server.port());
    let mut response = agent().get(&url).call().expect("a response");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (content_type, location) = (header("content-type"), header("location"));
    Reply {
        status: response.status().as_u16(),
        content_type,
        location,
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// Sends `path` byte for byte (no client normalization) and returns status and whole reply.
fn raw_get(server: &RunningServer, path: &str) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, reply)
}

/// Polls `path` until `done` holds (10 s at most); returns the last reply and the time taken.
fn poll(server: &RunningServer, path: &str, done: impl Fn(&Reply) -> bool) -> (Reply, Duration) {
    let started = Instant::now();
    loop {
        let reply = get(server, path);
        if done(&reply) {
            return (reply, started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(10) {
            panic!(
                "timed out on {path}: status {}, body:\n{}",
                reply.status, reply.body
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

const ARTICLE: &str = "/tin-tuc/chung/hoi-nghi/";
const OVERLAY: &str = "trangtin-error-overlay";

#[test]
fn serves_the_site_under_its_base_path_with_types_and_redirects() {
    let site = fixture();
    let server = start(site.path());
    assert_eq!(
        server.url(),
        format!("http://127.0.0.1:{}/tin-tuc/", server.port())
    );

    let home = get(&server, "/tin-tuc/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home.body.contains("Hội nghị tổng kết"));
    // The live-reload script sits before </body>.
    let script = home.body.find("data-trangtin-livereload").expect("script");
    assert!(script < home.body.rfind("</body>").unwrap());

    let page = get(&server, ARTICLE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nội dung ban đầu"));
    // Permalinks point at the preview, not at the production site.
    let origin = format!("http://127.0.0.1:{}/tin-tuc/", server.port());
    assert!(page.body.contains(&origin), "{}", page.body);
    assert!(!page.body.contains("skhcn.example.gov.vn"));
    assert!(page.body.contains("/tin-tuc/images/a.svg"));

    let root = get(&server, "/");
    assert!(matches!(root.status, 301 | 308), "{}", root.status);
    assert_eq!(root.location, "/tin-tuc/");
    let folder = get(&server, "/tin-tuc/chung");
    assert!(matches!(folder.status, 301 | 308), "{}", folder.status);
    assert_eq!(folder.location, "/tin-tuc/chung/");
    assert_eq!(get(&server, "/tin-tuc/chung/").status, 200);

    for (path, mime) in [
        ("/tin-tuc/css/style.css", "text/css; charset=utf-8"),
        // As pages link it (cache busting): the query string is not part of the file.
        (
            "/tin-tuc/css/style.css?v=0123456789",
            "text/css; charset=utf-8",
        ),
        ("/tin-tuc/js/site.js", "text/javascript; charset=utf-8"),
        ("/tin-tuc/rss.xml", "application/xml; charset=utf-8"),
        ("/tin-tuc/chung/rss.xml", "application/xml; charset=utf-8"),
        ("/tin-tuc/sitemap.xml", "application/xml; charset=utf-8"),
        ("/tin-tuc/robots.txt", "text/plain; charset=utf-8"),
        ("/tin-tuc/images/a.svg", "image/svg+xml; charset=utf-8"),
        ("/tin-tuc/images/b.png", "image/png"),
        ("/tin-tuc/bao-cao.pdf", "application/pdf"),
        (
            "/tin-tuc/2024/03/%E1%BA%A3nh%20h%E1%BB%99i%20ngh%E1%BB%8B.jpg",
            "image/jpeg",
        ),
        ("/tin-tuc/404.html", "text/html; charset=utf-8"),
    ] {
        let reply = get(&server, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.content_type, mime, "{path}");
    }
    assert!(get(&server, "/tin-tuc/rss.xml").body.contains(&origin));

    let missing = get(&server, "/tin-tuc/khong-co-trang-nay/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.content_type, "text/html; charset=utf-8");
    assert!(missing.body.contains("</html>"));
    assert_eq!(get(&server, "/khac/").status, 404);
}

#[test]
fn the_search_index_is_served_when_search_is_on() {
    let site = fixture();
    let server = start(site.path());
    assert_eq!(
        get(&server, "/tin-tuc/search/meta.json").status,
        404,
        "search is off"
    );
    drop(server);
    write(
        site.path(),
        "config.yaml",
        &format!("{CONFIG}search: true\n"),
    );
    let server = start(site.path());
    assert_eq!(get(&server, "/tin-tuc/tim-kiem/").status, 200);
    let meta = get(&server, "/tin-tuc/search/meta.json");
    assert_eq!(meta.status, 200);
    assert_eq!(meta.content_type, "application/json; charset=utf-8");
    assert!(meta.body.contains("\"docs\":2"), "{}", meta.body);
    // The shard of the folded term `luong` lists a document; fragments carry the title.
    let shards: u32 = meta
        .body
        .split("\"shards\":")
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let shard = trangtin::search::shard_of("luong", shards);
    let terms = get(&server, &format!("/tin-tuc/search/t/{shard:x}.json"));
    assert!(terms.body.contains("\"luong\":["), "{}", terms.body);
    let fragments: String = (0..2)
        .map(|id| get(&server, &format!("/tin-tuc/search/f/{id}.json")).body)
        .collect();
    assert!(fragments.contains("Kiểm tra đo lường"), "{fragments}");
    assert_eq!(get(&server, "/tin-tuc/search/f/2.json").status, 404);
}

#[test]
fn path_traversal_never_escapes() {
    let site = fixture();
    write(site.path(), "secret.txt", "BI-MAT-KHONG-DUOC-LO");
    let server = start(site.path());
    for path in [
        "/../Cargo.toml",
        "/tin-tuc/../config.yaml",
        "/tin-tuc/../secret.txt",
        "/%2e%2e/config.yaml",
        "/tin-tuc/%2e%2e/config.yaml",
        "/tin-tuc/%2E%2E/secret.txt",
        "/..%2fconfig.yaml",
        "/tin-tuc/..%2fsecret.txt",
        "/tin-tuc/..%5csecret.txt",
        "/tin-tuc/..\\secret.txt",
        "/tin-tuc//etc/passwd",
        "/tin-tuc/%2fetc%2fpasswd",
        "/tin-tuc/content/images/a.svg",
        "/tin-tuc/config.yaml",
        "/tin-tuc/secret.txt",
    ] {
        let (status, reply) = raw_get(&server, path);
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        assert!(!reply.contains("BI-MAT"), "{path}");
        assert!(!reply.contains("base_url"), "{path}");
        assert!(!reply.contains("[package]"), "{path}");
        assert!(!reply.contains("root:"), "{path}");
    }
}

#[test]
fn edits_errors_fixes_and_deletions_show_up_by_themselves() {
    let site = fixture();
    let root = site.path();
    let server = start(root);
    assert!(get(&server, ARTICLE).body.contains("Nội dung ban đầu"));

    // An edit.
    write(
        root,
        "content/2024/03/hoi-nghi.md",
        &article("Hội nghị tổng kết", "Nội dung đã sửa lần một."),
    );
    poll(&server, ARTICLE, |r| r.body.contains("lần một"));

    // An editor's atomic save: write a temporary file, rename it over the article.
    write(
        root,
        "content/2024/03/.hoi-nghi.md.tmp",
        &article("Hội nghị tổng kết", "Nội dung lưu kiểu nguyên tử."),
    );
    std::fs::rename(
        root.join("content/2024/03/.hoi-nghi.md.tmp"),
        root.join("content/2024/03/hoi-nghi.md"),
    )
    .unwrap();
    poll(&server, ARTICLE, |r| r.body.contains("kiểu nguyên tử"));

    // Broken front matter: the last good page stays, with the error over it.
    write(
        root,
        "content/2024/03/hoi-nghi.md",
        "---\ntitle: \"Hội nghị tổng kết\"\ndate: 13/10/2020 <b>\ncategory: Chung\n---\nX\n",
    );
    let (broken, _) = poll(&server, ARTICLE, |r| r.body.contains(OVERLAY));
    assert_eq!(broken.status, 200);
    assert!(broken.body.contains("kiểu nguyên tử"), "the last good page");
    assert!(
        broken.body.contains("content/2024/03/hoi-nghi.md:3"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("date"));
    assert!(broken.body.contains("&lt;b&gt;"), "escaped");
    // Every HTML page shows it, other files do not.
    assert!(get(&server, "/tin-tuc/").body.contains(OVERLAY));
    assert!(!get(&server, "/tin-tuc/css/style.css")
        .body
        .contains(OVERLAY));
    assert!(server.errors()[0].starts_with("content/2024/03/hoi-nghi.md:3"));

    // Fixed: the overlay goes away by itself.
    write(
        root,
        "content/2024/03/hoi-nghi.md",
        &article("Hội nghị tổng kết", "Đã sửa lỗi ngày tháng."),
    );
    let (fixed, _) = poll(&server, ARTICLE, |r| r.body.contains("Đã sửa lỗi"));
    assert!(!fixed.body.contains(OVERLAY));
    assert!(server.errors().is_empty());

    // A new article appears on its page and on the home page.
    write(
        root,
        "content/2024/04/bai-moi.md",
        &article("Bài mới tinh", "Vừa viết."),
    );
    poll(&server, "/tin-tuc/chung/bai-moi/", |r| r.status == 200);
    assert!(get(&server, "/tin-tuc/").body.contains("Bài mới tinh"));

    // A deleted article's page is gone.
    std::fs::remove_file(root.join("content/2024/03/kiem-tra.md")).unwrap();
    poll(&server, "/tin-tuc/chung/kiem-tra/", |r| r.status == 404);
    assert!(!get(&server, "/tin-tuc/").body.contains("Kiểm tra đo lường"));

    // Editor droppings change nothing.
    let generation = server.generation();
    write(root, "content/2024/04/.bai-moi.md.swp", "rác");
    write(root, "content/2024/04/4913", "");
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(server.generation(), generation);

    // A new image is served; a template override and a config change are picked up.
    // (A GIF is served as it is; photos are processed first: see the next tests.)
    std::fs::write(root.join("content/images/c.gif"), b"GIF89a").unwrap();
    poll(&server, "/tin-tuc/images/c.gif", |r| r.status == 200);
    write(
        root,
        "templates/404.html",
        "<html><body>Trang tùy biến 404</body></html>",
    );
    poll(&server, "/tin-tuc/khong-co/", |r| {
        r.status == 404 && r.body.contains("Trang tùy biến 404")
    });
    write(
        root,
        "config.yaml",
        &CONFIG.replace("Sở KH&CN thử nghiệm", "Tên mới của trang"),
    );
    poll(&server, "/tin-tuc/", |r| {
        r.body.contains("Tên mới của trang")
    });
    server.stop();
}

#[test]
fn front_matter_mistakes_are_explained_over_the_page_until_fixed() {
    let site = fixture();
    let root = site.path();
    let server = start(root);
    assert!(get(&server, ARTICLE).body.contains("Nội dung ban đầu"));
    let file = "content/2024/03/hoi-nghi.md";

    // A colon in an unquoted title: the fix is in the message.
    write(
        root,
        file,
        "---\ntitle: Thông báo: Hội nghị\ndate: 2024-03-14 08:30:00\ncategory: Chung\n---\nX\n",
    );
    poll(&server, ARTICLE, |r| r.body.contains(OVERLAY));
    let errors = server.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("{file}:2: field `title`:"))
            && errors[0].ends_with("put the title in quotes: title: \"Thông báo: Hội nghị\""),
        "{errors:?}"
    );

    // A field of the site's own that config.yaml does not declare yet.
    write(
        root,
        file,
        "---\ntitle: Hội nghị\ndate: 2024-03-14 08:30:00\ncategory: Chung\nnguon: Báo X\n---\nX\n",
    );
    let started = Instant::now();
    while !server.errors().iter().any(|e| e.contains("`nguon`")) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            server.errors()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.errors()[0].contains("add `nguon` to `extra_fields` in config.yaml"));

    // Declared: the overlay goes away by itself.
    write(
        root,
        "config.yaml",
        &format!("{CONFIG}extra_fields: [nguon]\n"),
    );
    let (fixed, _) = poll(&server, ARTICLE, |r| !r.body.contains(OVERLAY));
    assert!(fixed.body.contains("Hội nghị"));
    assert!(server.errors().is_empty());
}

#[test]
fn a_site_that_never_built_shows_an_error_page_until_fixed() {
    let site = fixture();
    let root = site.path();
    write(
        root,
        "content/2024/03/hoi-nghi.md",
        "---\ntitle: \"Hội nghị\"\ndate: 2024-03-14\ncategory: Khong Co\n---\nX\n",
    );
    let server = start(root);
    let reply = get(&server, "/tin-tuc/bat-ky/");
    assert_eq!(reply.status, 500);
    assert!(reply.body.contains(OVERLAY));
    assert!(reply.body.contains("content/2024/03/hoi-nghi.md:4"));
    assert!(reply.body.contains("category"));
    assert!(reply.body.contains("data-trangtin-livereload"));
    write(
        root,
        "content/2024/03/hoi-nghi.md",
        &article("Hội nghị", "Đã sửa chuyên mục."),
    );
    let (fixed, _) = poll(&server, ARTICLE, |r| r.status == 200);
    assert!(fixed.body.contains("Đã sửa chuyên mục"));
    assert!(!fixed.body.contains(OVERLAY));
}

#[test]
fn the_live_reload_stream_is_served() {
    let site = fixture();
    let server = start(site.path());
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET /_trangtin/livereload/event-stream HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
    let started = Instant::now();
    // The stream says `init` at once and `reload` after a rebuild.
    while !seen.contains("event: init") && started.elapsed() < Duration::from_secs(5) {
        let n = stream.read(&mut buf).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("text/event-stream"), "{seen}");
    write(
        site.path(),
        "content/2024/03/hoi-nghi.md",
        &article("Hội nghị tổng kết", "Sửa để tải lại."),
    );
    while !seen.contains("event: reload") && started.elapsed() < Duration::from_secs(8) {
        let n = stream.read(&mut buf).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("event: reload"), "{seen}");
}

/// Sends raw request bytes and returns the status of the reply (0 when the connection
/// closes without one).
fn raw_request(port: u16, request: &str) -> u16 {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_page_asked_for_under_another_host_name_is_refused_on_loopback() {
    let site = fixture();
    let server = start(site.path());
    let port = server.port();
    let ask = |host: &str| {
        raw_request(
            port,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    // (`/` redirects to the site's base path.)
    assert_eq!(ask(&format!("127.0.0.1:{port}")), 308);
    assert_eq!(ask(&format!("localhost:{port}")), 308);
    // DNS rebinding: a name of another site that resolves to 127.0.0.1.
    assert_eq!(ask(&format!("evil.example:{port}")), 421);
    assert_eq!(ask("localhost:1"), 421);
    let reload = format!(
        "GET /__livereload HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(raw_request(port, &reload), 421, "the reload stream too");
}

#[test]
fn slow_or_idle_connections_are_closed_and_capped() {
    let site = fixture();
    let mut options = ServeOptions::new(site.path());
    options.port = 0;
    options.verbose = false;
    options.max_connections = 4;
    options.header_timeout = Duration::from_millis(300);
    let server = Server::start(options).expect("the server starts");
    let port = server.port();
    // Four connections that never finish their headers hold every slot...
    let idle: Vec<std::net::TcpStream> = (0..4)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
                .unwrap();
            s
        })
        .collect();
    // ...until the header time limit closes them: a fifth client is answered after that.
    let started = Instant::now();
    let status = raw_request(
        port,
        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 308, "answered (a redirect to the base path)");
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "the fifth connection waited for a slot ({:?})",
        started.elapsed()
    );
    for mut s in idle {
        let mut rest = Vec::new();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = s.read_to_end(&mut rest);
        assert!(
            !String::from_utf8_lossy(&rest).contains(" 308 "),
            "an idle connection was closed without a page"
        );
    }
}

#[test]
fn deleting_the_content_folder_shows_an_error_over_the_last_good_site() {
    let site = fixture();
    let server = start(site.path());
    std::fs::remove_dir_all(site.path().join("content")).unwrap();
    let started = Instant::now();
    while server.errors().is_empty() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let errors = server.errors();
    assert!(
        errors.iter().any(|e| e.contains("content")),
        "an error about the missing content/ folder: {errors:?}"
    );
    // The last good site is still served, under the error overlay.
    let (reply, _) = poll(&server, "/tin-tuc/", |r| r.status == 200);
    assert!(reply.body.contains("content"), "{}", reply.body);
}

#[path = "../src/media/testdata.rs"]
#[allow(dead_code, unreachable_pub)]
mod images;

#[test]
fn a_photo_added_while_serving_is_shown_processed() {
    let site = fixture();
    let root = site.path();
    let server = start(root);
    std::fs::write(
        root.join("content/2024/03/Ảnh mới.jpg"),
        images::jpeg_with_exif(900, 600, false, 1),
    )
    .unwrap();
    write(
        root,
        "content/2024/03/hoi-nghi.md",
        &article(
            "Hội nghị tổng kết",
            "Có ảnh mới.\n\n![Ảnh mới](Ảnh mới.jpg)",
        ),
    );
    let (page, _) = poll(&server, ARTICLE, |r| r.body.contains("Có ảnh mới"));
    assert!(
        page.body.contains("srcset=\"/tin-tuc/2024/03/anh-moi.440.webp 440w, /tin-tuc/2024/03/anh-moi.840.webp 840w\""),
        "{}",
        page.body
    );
    for (path, mime) in [
        ("/tin-tuc/2024/03/anh-moi.440.webp", "image/webp"),
        ("/tin-tuc/2024/03/anh-moi.840.jpg", "image/jpeg"),
    ] {
        let reply = get(&server, path);
        assert_eq!(
            (reply.status, reply.content_type.as_str()),
            (200, mime),
            "{path}"
        );
    }
    assert_eq!(
        get(&server, "/tin-tuc/2024/03/%E1%BA%A2nh%20m%E1%BB%9Bi.jpg").status,
        404,
        "the original is not served, as it is not published"
    );
}

#[test]
fn documents_and_their_files_are_read_again_when_they_change() {
    let site = fixture();
    let root = site.path();
    let server = start(root);
    let listing = "/tin-tuc/van-ban/";
    std::fs::create_dir_all(root.join("content/van-ban")).unwrap();
    std::fs::write(root.join("content/van-ban/qd-9.pdf"), b"%PDF-1.4\n").unwrap();
    write(
        root,
        "content/van-ban/qd-9.md",
        "---\nnumber: 9/QĐ-SKHCN\ntype: Quyết định\nissued: 2024-03-01\ntitle: Về việc thử\n\
         files: [qd-9.pdf]\n---\n",
    );
    poll(&server, listing, |r| {
        r.status == 200 && r.body.contains("9/QĐ-SKHCN")
    });
    // The attached file goes away: the document's error is shown over the page.
    std::fs::remove_file(root.join("content/van-ban/qd-9.pdf")).unwrap();
    let (broken, _) = poll(&server, listing, |r| r.body.contains(OVERLAY));
    assert!(
        broken.body.contains("content/van-ban/qd-9.md:6"),
        "{}",
        broken.body
    );
    // It comes back: the error goes.
    std::fs::write(root.join("content/van-ban/qd-9.pdf"), b"%PDF-1.4\n").unwrap();
    poll(&server, listing, |r| !r.body.contains(OVERLAY));
}
