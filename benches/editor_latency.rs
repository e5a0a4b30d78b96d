//! The web editor: save-to-visible latency on a large generated site (issue #15: median
//! ≤ 300 ms on 10k articles).
//!
//! `cargo bench --bench editor_latency` generates `EDITOR_ARTICLES` articles (default 10000)
//! with `benches/gen_corpus.py` into `target/editor-corpus-N` (once, then reused), starts
//! `serve --edit` in-process on a free port, and for up to `EDITOR_ROUNDS` articles (default
//! 15) does what a clerk's browser does: opens the article's form (`/_soan-tin/sua?tep=…`),
//! changes its title, posts the whole form to `/_soan-tin/luu` as the editor's script does,
//! then asks for the article's preview page every 2 ms until the new title is served. The
//! time from sending the save to the first page that shows it is the latency. Each round
//! waits a second (a clerk does not save twice a second), and the articles are restored at
//! the end. Prints the first build time and the min, median and max. No timing assertions.

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use trangtin::serve::{ServeOptions, Server};

/// The allocator of the `trangtin` binary, so the server runs as it does from the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let n = env_number("EDITOR_ARTICLES", 10_000);
    let rounds = env_number("EDITOR_ROUNDS", 15);
    let site = support::corpus(&root, "editor-corpus", n);
    let content = site.join("content");
    let mut files = markdown_files(&content);
    files.retain(|p| p.to_string_lossy().contains("/2019/"));
    files.sort();
    files.truncate(rounds);
    assert!(!files.is_empty(), "no 2019 article to edit");
    let originals: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|p| (p.clone(), std::fs::read(p).expect("read an article")))
        .collect();

    let mut options = ServeOptions::new(&site);
    options.port = 0;
    options.verbose = false;
    options.edit = true;
    let server = Server::start(options).expect("the server starts");
    let area = format!("{}_soan-tin", server.url());
    println!("== editor: save-to-visible latency, {n} articles ==");
    println!("first build: {:.2?}", server.first_build());

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut latencies = Vec::new();
    for (round, file) in files.iter().enumerate() {
        let source = file
            .strip_prefix(&content)
            .expect("under content")
            .to_string_lossy()
            .replace('\\', "/");
        let latency = save_and_wait(&agent, &area, &source, round);
        println!("round {round}: {source} visible after {latency:.2?}");
        latencies.push(latency);
        std::thread::sleep(Duration::from_secs(1));
    }
    drop(server);
    for (path, bytes) in originals {
        std::fs::write(&path, bytes).expect("restore an article");
    }
    latencies.sort();
    println!(
        "save-to-visible over {} saves: min {:.2?}, median {:.2?}, max {:.2?}",
        latencies.len(),
        latencies[0],
        latencies[latencies.len() / 2],
        latencies[latencies.len() - 1]
    );
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Opens the article's form, saves it with a new title and returns how long after sending
/// the save its preview page served that title.
fn save_and_wait(agent: &ureq::Agent, area: &str, source: &str, round: usize) -> Duration {
    let form_url = format!("{area}/sua?tep={}", encode(source));
    let page = get_text(agent, &form_url).expect("the edit form answers");
    let (csrf, mut fields) = form_fields(&page);
    let marker = format!("Đo độ trễ lần {round} {}", std::process::id());
    for (name, value) in &mut fields {
        if name == "title" {
            *value = marker.clone();
        }
    }
    let body: String = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let started = Instant::now();
    let answer = agent
        .post(&format!("{area}/luu"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .header("X-CSRF-Token", &csrf)
        .header("Origin", origin(area))
        .send(body.as_str())
        .expect("the save answers")
        .into_body()
        .read_to_string()
        .expect("the save's answer");
    let reply: serde_json::Value = serde_json::from_str(&answer).expect("a JSON answer");
    assert_eq!(reply["ok"], true, "the save failed: {answer}");
    let preview = reply["preview"]
        .as_str()
        .map(|p| format!("{}{p}", origin(area)))
        .expect("the answer names the preview page");
    let deadline = started + Duration::from_secs(30);
    loop {
        if get_text(agent, &preview).is_some_and(|html| html.contains(&marker)) {
            return started.elapsed();
        }
        assert!(
            Instant::now() < deadline,
            "{preview} never showed the change"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// `http://127.0.0.1:PORT` of a URL.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

fn get_text(agent: &ureq::Agent, url: &str) -> Option<String> {
    agent
        .get(url)
        .call()
        .ok()?
        .into_body()
        .read_to_string()
        .ok()
}

/// The page's CSRF token and the article form's fields, as the browser would send them.
fn form_fields(html: &str) -> (String, Vec<(String, String)>) {
    let document = scraper::Html::parse_document(html);
    let select = |s: &str| scraper::Selector::parse(s).expect("a selector");
    let csrf = document
        .select(&select(r#"meta[name="csrf-token"]"#))
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("the page carries a CSRF token")
        .to_string();
    let mut fields = Vec::new();
    for input in document.select(&select("form#bai-viet input[name]")) {
        let element = input.value();
        let kind = element.attr("type").unwrap_or("text");
        if (kind == "radio" || kind == "checkbox") && element.attr("checked").is_none() {
            continue;
        }
        if matches!(kind, "file" | "submit" | "button") {
            continue;
        }
        let name = element.attr("name").unwrap_or_default();
        fields.push((
            name.to_string(),
            element.attr("value").unwrap_or_default().to_string(),
        ));
    }
    for select_box in document.select(&select("form#bai-viet select[name]")) {
        let name = select_box.value().attr("name").unwrap_or_default();
        let chosen = select_box
            .select(&select("option[selected]"))
            .next()
            .map(|o| {
                // An option without a value sends its text, as in a browser.
                o.value()
                    .attr("value")
                    .map(str::to_string)
                    .unwrap_or_else(|| o.text().collect())
            })
            .unwrap_or_default();
        fields.push((name.to_string(), chosen));
    }
    for area in document.select(&select("form#bai-viet textarea[name]")) {
        let name = area.value().attr("name").unwrap_or_default();
        fields.push((name.to_string(), area.text().collect()));
    }
    fields.retain(|(name, _)| name != "csrf");
    (csrf, fields)
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}
