//! Old addresses that only a server can redirect, through REAL servers: a fixture site at
//! `/tin-tuc/` with DNN-style aliases (`/Default.aspx?tabid=125&ItemID=12345`), aliases
//! outside its path and an ordinary one is built, then served by Debian's nginx (with the
//! README's `tests/hosting/nginx-subfolder.conf`) and Debian's Apache (the build's
//! `.htaccess`, and `server/host-root.htaccess` linked as the `.htaccess` of the host's
//! root, as the README says), and each old address is asked for.
//!
//! Without nginx or apache2 each test is skipped with a loud line, unless `CI` or
//! `TRANGTIN_BROWSER_TESTS=1` is set (as `tests/all.sh` does, which installs both): then it
//! fails. IIS has no Linux build; its files are checked as XML in `src/output/hosting/iis.rs`
//! and below.

mod common;

use common::Site;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fixture: two articles with old addresses of every kind.
fn fixture() -> Site {
    let a = "---\ntitle: Bài A\ndate: 2024-03-02 08:00\ncategory: Chung\nslug: bai-a\naliases:\n\
             \x20 - /Default.aspx?tabid=125&ItemID=12345\n\
             \x20 - /tin-cu/bài viết 1.html\n\
             \x20 - /tin-tuc/Default.aspx?tabid=7&ItemID=8\n\
             \x20 - /tin-tuc/cu/9.html\n\
             \x20 - http://example.gov.vn/?tabid=1\n\
             ---\nNội dung A.\n";
    let b = "---\ntitle: Bài B\ndate: 2024-03-03 08:00\ncategory: Chung\nslug: bai-b\naliases:\n\
             \x20 - /Default.aspx?tabid=125&ItemID=99999\n\
             \x20 - \"/tin-cu/(1)+[x]$y.html\"\n\
             ---\nNội dung B.\n";
    Site::new(&[
        ("config.yaml", "base_url: https://example.gov.vn/tin-tuc/\n"),
        ("content/2024/03/a.md", a),
        ("content/2024/03/b.md", b),
    ])
}

const A: &str = "/tin-tuc/chung/bai-a/";
const B: &str = "/tin-tuc/chung/bai-b/";

/// (request, the path it redirects to, or `None` for no redirect), the same on every server.
const CASES: &[(&str, Option<&str>)] = &[
    ("/Default.aspx?tabid=125&ItemID=12345", Some(A)),
    ("/default.aspx?TABID=125&itemid=12345", Some(A)),
    ("/Default.aspx?tabid=125&ItemID=99999", Some(B)),
    ("/Default.aspx?ItemID=12345&tabid=125", None),
    ("/Default.aspx?tabid=125&ItemID=123456", None),
    ("/Default.aspx", None),
    ("/tin-cu/b%C3%A0i%20vi%E1%BA%BFt%201.html", Some(A)),
    (
        "/tin-cu/b%C3%A0i%20vi%E1%BA%BFt%201.html?fbclid=abc",
        Some(A),
    ),
    ("/tin-cu/%281%29%2B%5Bx%5D%24y.html", Some(B)),
    ("/tin-cu/11x.html", None),
    ("/?tabid=1", Some(A)),
    ("/tin-tuc/Default.aspx?tabid=7&ItemID=8", Some(A)),
    ("/tin-tuc/Default.aspx?tabid=7", None),
];

#[test]
fn nginx_redirects_old_addresses_with_the_readmes_configuration() {
    let Some(nginx) = tool("nginx", nginx_path()) else {
        return;
    };
    let site = fixture();
    site.build_ok();
    let public = public_dir(&site);
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let server_conf = std::fs::read_to_string(repo().join("tests/hosting/nginx-subfolder.conf"))
        .unwrap()
        .replace("ROOT", &public.display().to_string())
        .replace("PORT", &port.to_string());
    let conf = nginx_conf(dir.path(), &server_conf);
    let server = Server::start(
        "nginx",
        Command::new(nginx)
            .args(["-p", &dir.path().display().to_string(), "-c"])
            .arg(&conf)
            .args(["-e", &dir.path().join("error.log").display().to_string()]),
        port,
        dir.path().join("error.log"),
    );
    check_cases(&server);
    let page = server.get("/tin-tuc/cu/9.html");
    assert_eq!(page.status, 200, "the redirect page of a plain alias");
    assert!(
        page.body.contains("url=/tin-tuc/chung/bai-a/"),
        "{}",
        page.body
    );
}

#[test]
fn apache_redirects_old_addresses_with_the_htaccess_files_of_the_build() {
    let Some(apache) = tool("apache2", apache_path()) else {
        return;
    };
    let site = fixture();
    site.build_ok();
    let public = public_dir(&site);
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    // The host: its document root holds the site's folder and, as the README says, a link
    // to the rules for the host's root as its .htaccess.
    let host = dir.path().join("host");
    std::fs::create_dir(&host).unwrap();
    std::os::unix::fs::symlink(&public, host.join("tin-tuc")).unwrap();
    std::os::unix::fs::symlink(
        public.join("server/host-root.htaccess"),
        host.join(".htaccess"),
    )
    .unwrap();
    let conf = apache_conf(dir.path(), &host, site.root(), port);
    let server = Server::start(
        "apache2",
        Command::new(apache).args(["-X", "-f"]).arg(&conf),
        port,
        dir.path().join("error.log"),
    );
    check_cases(&server);
    let page = server.get("/tin-tuc/cu/9.html");
    assert_eq!(page.status, 200, "the redirect page of a plain alias");
    let article = server.get(A);
    assert_eq!(article.status, 200);
    let css = article
        .body
        .split("href=\"")
        .find(|s| s.starts_with("/tin-tuc/css/style.css?v="))
        .and_then(|s| s.split('"').next())
        .expect("the stylesheet's link with its version");
    let style = server.get(css);
    assert_eq!(style.status, 200, "{css}");
    assert_eq!(style.header("cache-control"), "public, max-age=604800");
    assert_eq!(server.get("/tin-tuc/khong-co/").status, 404);
    assert!(
        server.get("/tin-tuc/khong-co/").body.contains("<html"),
        "the site's 404 page"
    );
    assert_eq!(server.get("/tin-tuc/.htaccess").status, 403);
}

#[test]
fn nginx_loads_the_map_of_thousands_of_long_old_addresses() {
    let Some(nginx) = tool("nginx", nginx_path()) else {
        return;
    };
    let mut aliases = String::new();
    for i in 0..3000 {
        aliases.push_str(&format!(
            "  - /tin-cu/tin-tức-hoạt-động-khoa-học-công-nghệ-{i}.html\n  - \"/Default.aspx?tabid={}&ItemID={i}\"\n",
            i % 40
        ));
    }
    let site = Site::new(&[
        (
            "config.yaml",
            "base_url: https://example.gov.vn/tin-tuc/\nlimits:\n  front_matter_bytes: 1000000\n",
        ),
        (
            "content/2024/03/a.md",
            &format!(
                "---\ntitle: A\ndate: 2024-03-02\ncategory: Chung\naliases:\n{aliases}---\nx\n"
            ),
        ),
    ]);
    site.build_ok();
    let map = site.read("server/nginx-map.conf");
    assert!(
        map.contains("map_hash_bucket_size"),
        "long keys need larger buckets"
    );
    let public = public_dir(&site);
    let dir = tempfile::tempdir().unwrap();
    let server_conf = format!(
        "include {root}/server/nginx-map.conf;\nserver {{\n    listen 127.0.0.1:{port};\n    \
         include {root}/server/nginx-redirects.conf;\n}}\n",
        root = public.display(),
        port = free_port()
    );
    let conf = nginx_conf(dir.path(), &server_conf);
    let test = Command::new(nginx)
        .args(["-t", "-p", &dir.path().display().to_string(), "-c"])
        .arg(&conf)
        .args(["-e", &dir.path().join("error.log").display().to_string()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&test.stderr);
    assert!(test.status.success(), "nginx -t fails:\n{said}");
    assert!(!said.contains("could not build"), "nginx warns:\n{said}");
}

#[test]
fn the_web_config_files_are_well_formed_with_the_rules_in_place() {
    let site = fixture();
    site.build_ok();
    let site_config = site.read("web.config");
    let root_config = site.read("server/host-root.web.config");
    for xml in [&site_config, &root_config] {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed XML ({e}):\n{xml}"),
            }
        }
    }
    assert!(site_config.contains("<error statusCode=\"404\" path=\"/tin-tuc/404.html\""));
    assert!(
        site_config.contains("<match url=\"^Default\\.aspx$\""),
        "{site_config}"
    );
    assert!(site_config.contains("pattern=\"^tabid\\=7\\&amp;ItemID\\=8$\""));
    assert_eq!(site_config.matches("<rule ").count(), 1, "{site_config}");
    assert_eq!(root_config.matches("<rule ").count(), 5, "{root_config}");
    assert!(root_config.contains("<match url=\"^tin-cu/bài\\x20viết\\x201\\.html$\""));
    assert!(root_config.contains("url=\"/tin-tuc/chung/bai-b/\""));
}

// --- Servers ---------------------------------------------------------------------------------

/// `path` when the server is there; otherwise `None` after a loud line, or a failure when
/// the tests must run (`CI`, `TRANGTIN_BROWSER_TESTS=1`).
fn tool(name: &str, path: Option<PathBuf>) -> Option<PathBuf> {
    if path.is_some() {
        return path;
    }
    let required = std::env::var_os("CI").is_some()
        || std::env::var("TRANGTIN_BROWSER_TESTS").as_deref() == Ok("1");
    let message = format!(
        "the server-rule tests need {name} (Debian package {name}): run `bash tests/all.sh`, which installs it"
    );
    if required {
        panic!("{message}");
    }
    let _ = writeln!(
        std::io::stderr(),
        "\n======== SKIPPED: {message} ========\n"
    );
    None
}

fn on_path(program: &str) -> Option<PathBuf> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .ok()?;
    let found = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !found.is_empty()).then(|| PathBuf::from(found))
}

/// `$NGINX`, nginx on the PATH, or Debian's `/usr/sbin/nginx`.
fn nginx_path() -> Option<PathBuf> {
    std::env::var_os("NGINX")
        .map(PathBuf::from)
        .or_else(|| on_path("nginx"))
        .or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.exists()))
}

/// `$APACHE2`, or Debian's `apache2` with its modules in `/usr/lib/apache2/modules`.
fn apache_path() -> Option<PathBuf> {
    let modules = apache_modules();
    std::env::var_os("APACHE2")
        .map(PathBuf::from)
        .or_else(|| on_path("apache2"))
        .or_else(|| Some(PathBuf::from("/usr/sbin/apache2")).filter(|p| p.exists()))
        .filter(|_| modules.join("mod_rewrite.so").exists())
}

fn apache_modules() -> PathBuf {
    std::env::var_os("APACHE2_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/apache2/modules"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The output folder, readable by a server whose workers run as another user.
fn public_dir(site: &Site) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let mut dir = Some(site.root());
    while let Some(d) = dir {
        if d.starts_with(std::env::temp_dir()) && d != std::env::temp_dir() {
            let _ = std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755));
        }
        dir = d.parent();
    }
    site.public()
}

/// nginx's main configuration: everything under `dir`, `server` included in `http`; one
/// process (no master and workers), so that stopping it leaves nothing behind.
fn nginx_conf(dir: &Path, server: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join("site.conf"), server).unwrap();
    let d = dir.display();
    let user = if is_root() { "user root;\n" } else { "" };
    let conf = format!(
        "daemon off;\nmaster_process off;\n{user}pid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 64; }}\nhttp {{\n    include /etc/nginx/mime.types;\n    \
         default_type application/octet-stream;\n    access_log {d}/access.log;\n    \
         client_body_temp_path {d}/client_body;\n    proxy_temp_path {d}/proxy;\n    \
         fastcgi_temp_path {d}/fastcgi;\n    uwsgi_temp_path {d}/uwsgi;\n    \
         scgi_temp_path {d}/scgi;\n    include {d}/site.conf;\n}}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// Apache's configuration: the modules the `.htaccess` files use, the host's document root
/// and the site's folder (where its output's link leads) with what the README asks for (`AllowOverride FileInfo Indexes`, `Options
/// FollowSymLinks`), and Debian's refusal to serve `.ht*` files.
fn apache_conf(dir: &Path, host: &Path, site: &Path, port: u16) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (d, m, h) = (dir.display(), apache_modules(), host.display());
    let m = m.display();
    let user = if is_root() {
        "User nobody\nGroup nogroup\n"
    } else {
        ""
    };
    let mut conf = format!(
        "ServerRoot {d}\nServerName 127.0.0.1\nListen 127.0.0.1:{port}\nPidFile {d}/httpd.pid\n\
         ErrorLog {d}/error.log\nLogLevel warn\nDefaultRuntimeDir {d}\nMutex file:{d} default\n{user}"
    );
    for module in [
        "mpm_event",
        "authz_core",
        "mime",
        "dir",
        "rewrite",
        "headers",
        "filter",
        "deflate",
    ] {
        conf.push_str(&format!("LoadModule {module}_module {m}/mod_{module}.so\n"));
    }
    conf.push_str(&format!(
        "TypesConfig /etc/mime.types\nDocumentRoot {h}\n\
         <Directory />\n  AllowOverride None\n  Require all denied\n</Directory>\n\
         <Directory {h}>\n  Options FollowSymLinks\n  AllowOverride FileInfo Indexes\n  \
         Require all granted\n</Directory>\n\
         <Directory {root}>\n  Options FollowSymLinks\n  AllowOverride FileInfo Indexes\n  \
         Require all granted\n</Directory>\n\
         <FilesMatch \"^\\.ht\">\n  Require all denied\n</FilesMatch>\n",
        root = site.canonicalize().unwrap().display(),
    ));
    let path = dir.join("httpd.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server started for one test, stopped when dropped.
struct Server {
    name: &'static str,
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    /// Starts `command` and waits until `port` answers (10 s at most).
    fn start(name: &'static str, command: &mut Command, port: u16, log: PathBuf) -> Server {
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let mut server = Server {
            name,
            child,
            port,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut e) = server.child.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                panic!(
                    "{name} exited at start ({status}):\n{stderr}\n{}",
                    server.error_log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "{name} did not answer within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `GET path` (sent as written) and the reply.
    fn get(&self, path: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{}: no status line for {path}:\n{text}", self.name));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Every request of [`CASES`]: a 301 whose `Location` is the article's path on this host
/// (no query string), or no redirect at all.
fn check_cases(server: &Server) {
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut wrong = Vec::new();
    for &(request, expected) in CASES {
        let reply = server.get(request);
        let location = reply.header("location");
        let got = match reply.status {
            301 => Some(location.strip_prefix(&origin).unwrap_or(location)),
            _ => None,
        };
        if got != expected {
            wrong.push(format!(
                "{request}: expected {expected:?}, got {} {location:?}",
                reply.status
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{}:\n{}\n{}",
        server.name,
        wrong.join("\n"),
        server.error_log()
    );
}
