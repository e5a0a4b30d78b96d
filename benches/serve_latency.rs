//! `trangtin serve`: edit-to-visible latency on a large generated site.
//!
//! `cargo bench --bench serve_latency` generates `SERVE_ARTICLES` articles (default 10000)
//! with `benches/gen_corpus.py` into `target/serve-corpus-N` (once, then reused), serves it
//! in-process on a free port, and measures up to 12 edits: each rewrites one 2019 article's
//! body with a fresh marker, then polls its page every 2 ms until the marker is served, and
//! restores the file. Prints the first build time and the min, median and max latency.
//! No timing assertions: it prints figures.

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use trangtin::serve::{RunningServer, ServeOptions, Server};
use trangtin::text::slug::slugify;

/// The allocator of the `trangtin` binary, so the server runs as it does from the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let n: usize = std::env::var("SERVE_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let site = support::corpus(&root, "serve-corpus", n);
    let started = Instant::now();
    let mut options = ServeOptions::new(&site);
    options.port = 0;
    options.verbose = false;
    let server = Server::start(options).expect("the server starts");
    println!("== serve: edit-to-visible latency, {n} articles ==");
    println!(
        "first build: {:.2?} (start: {:.2?})",
        server.first_build(),
        started.elapsed()
    );
    let mut files = markdown_files(&site.join("content"));
    files.retain(|p| p.to_string_lossy().contains("/2019/"));
    files.sort();
    let mut latencies = Vec::new();
    for (round, file) in files.iter().take(12).enumerate() {
        if let Some(latency) = edit_and_wait(&server, file, round, started) {
            println!("round {round}: visible after {latency:.2?}");
            latencies.push(latency);
            // Let the restore's rebuild finish before the next round.
            std::thread::sleep(Duration::from_millis(1500));
        }
    }
    assert!(!latencies.is_empty(), "no 2019 article to edit");
    latencies.sort();
    println!(
        "edit-to-visible over {} edits: min {:.2?}, median {:.2?}, max {:.2?}",
        latencies.len(),
        latencies[0],
        latencies[latencies.len() / 2],
        latencies[latencies.len() - 1]
    );
    server.stop();
}

/// Writes a marker into the body of `file`, waits until its page shows it, restores the
/// file; the time from the write to the first page with the marker. `None` for a draft.
fn edit_and_wait(
    server: &RunningServer,
    file: &Path,
    round: usize,
    started: Instant,
) -> Option<Duration> {
    let original = std::fs::read_to_string(file).expect("read the article");
    if original.contains("draft: true") {
        return None;
    }
    let url = page_url(file, &original);
    assert_eq!(get(server, &url).0, 200, "{url}");
    let marker = format!("DAU-HIEU-{round}-{}", started.elapsed().as_nanos());
    let edited = original.replacen("\n---\n", &format!("\n---\n{marker}\n\n"), 1);
    let t0 = Instant::now();
    std::fs::write(file, edited).expect("write the article");
    while !get(server, &url).1.contains(&marker) {
        assert!(t0.elapsed() < Duration::from_secs(20), "timed out on {url}");
        std::thread::sleep(Duration::from_millis(2));
    }
    let latency = t0.elapsed();
    std::fs::write(file, &original).expect("restore the article");
    Some(latency)
}

/// The URL of the article in `file` (text `text`): `/<category slug>/<file stem slug>/`.
fn page_url(file: &Path, text: &str) -> String {
    let category = text
        .lines()
        .find_map(|l| l.strip_prefix("category: "))
        .expect("a category")
        .trim_matches('"');
    let stem = file.file_stem().expect("a file name").to_string_lossy();
    format!("/{}/{}/", slugify(category), slugify(&stem))
}

/// Status and body of `path` on the server.
fn get(server: &RunningServer, path: &str) -> (u16, String) {
    static AGENT: std::sync::OnceLock<ureq::Agent> = std::sync::OnceLock::new();
    let agent = AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into()
    });
    let url = format!("http://127.0.0.1:{}{path}", server.port());
    let mut response = agent.get(&url).call().expect("a response");
    let body = response.body_mut().read_to_string().unwrap_or_default();
    (response.status().as_u16(), body)
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}
