//! The outcome of building each file of `tests/sites/malformed/`, put into the minimal site
//! (`tests/sites/minimal/`: one ordinary article, category `Chung`) by the `trangtin` binary:
//! `built` with the pages it added, or `rejected` with the error lines. One snapshot pins all.
//!
//! Builds run with `--drafts`, so that a file dated far in the future is rendered (and its
//! outcome does not depend on the day the test runs).

mod bin_support;

use bin_support::{copy_dir, exit_code, files, run, site};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where a malformed file goes in the site.
const DIR: &str = "content/2020/10";

/// Values longer than this are cut in the snapshot (a few files have lines of 100 KB).
const LONGEST: usize = 400;

/// Every file of the corpus, sorted by name.
fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site("malformed"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// `text` as a quoted Rust string (invisible and control characters escaped), cut to
/// `LONGEST` characters.
fn quoted(text: &str) -> String {
    let count = text.chars().count();
    if count <= LONGEST {
        return format!("{text:?}");
    }
    let cut: String = text.chars().take(LONGEST).collect();
    format!("{cut:?} … ({count} characters)")
}

/// The HTML pages of an output folder.
fn pages(out: &Path) -> BTreeSet<String> {
    files(out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

/// The text of `<title>` without the site's name.
fn title_of(html: &str) -> &str {
    let start = html.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = html[start..]
        .find("</title>")
        .map_or(html.len(), |i| start + i);
    let title = &html[start..end];
    title.strip_suffix(" – Trang tin thử").unwrap_or(title)
}

/// Builds the minimal site with `fixture` added; returns the exit code and the outcome as
/// lines of the snapshot. `baseline` holds the pages of the minimal site alone.
fn outcome(fixture: &Path, baseline: &BTreeSet<String>) -> (i32, Vec<String>) {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&site("minimal"), temp.path(), &mut |_| false);
    let mut written = files(temp.path());
    let name = fixture.file_name().unwrap().to_str().unwrap();
    let path = format!("{DIR}/{name}");
    std::fs::write(temp.path().join(&path), std::fs::read(fixture).unwrap()).unwrap();
    written.insert(path, Vec::new());
    let output = run(
        temp.path(),
        &["build", "--root", ".", "--output", "public", "--drafts"],
    );
    let code = exit_code(&output);

    // Nothing may be written outside the output folder (an article URL climbing out of the
    // site would be). `public` links to its generation `.public.gen-*`, beside its lock file;
    // the build cache is kept in `.trangtin-cache/build/`.
    let outside: Vec<String> = files(temp.path())
        .into_keys()
        .filter(|p| !p.starts_with("public/") && !p.starts_with(".public."))
        .filter(|p| !p.starts_with(".trangtin-cache/build/"))
        .filter(|p| !written.contains_key(p))
        .collect();
    assert!(outside.is_empty(), "{fixture:?} wrote {outside:?}");

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut lines = Vec::new();
    if code == 0 {
        // "Built 2 articles: 15 pages written, 3 files copied in 0.02 s": without the time.
        let built = stdout.lines().find(|l| l.starts_with("Built ")).unwrap();
        let built = built.split(" in ").next().unwrap();
        lines.push(format!("built: {}", &built["Built ".len()..]));
        let out = temp.path().join("public");
        // NUL bytes make HTML invalid: pin which pages have them.
        let with_nul: Vec<String> = files(&out)
            .into_iter()
            .filter(|(_, bytes)| bytes.contains(&0))
            .map(|(path, _)| path)
            .collect();
        if !with_nul.is_empty() {
            lines.push(format!("  output files with NUL bytes: {with_nul:?}"));
        }
        let added: Vec<String> = pages(&out).difference(baseline).cloned().collect();
        if !added.is_empty() {
            lines.push("  new pages:".into());
        }
        for page in added {
            let html =
                String::from_utf8_lossy(&std::fs::read(out.join(&page)).unwrap()).into_owned();
            let kind = if html.contains("class=\"kind-article\"") {
                "article"
            } else if html.contains("class=\"kind-page\"") {
                "page"
            } else {
                ""
            };
            if kind.is_empty() {
                lines.push(format!("    - {}", quoted(&page)));
            } else {
                let title = quoted(title_of(&html));
                lines.push(format!("    - {} ({kind}: {title})", quoted(&page)));
            }
        }
    } else {
        lines.push("rejected:".into());
    }
    let messages: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("output: "))
        .collect();
    if !messages.is_empty() {
        lines.push("  messages:".into());
    }
    for message in messages {
        lines.push(format!("    - {}", quoted(message)));
    }
    (code, lines)
}

#[test]
fn each_malformed_file_is_built_or_rejected_as_the_snapshot_says_without_a_panic() {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&site("minimal"), temp.path(), &mut |_| false);
    let baseline_run = run(
        temp.path(),
        &["build", "--root", ".", "--output", "public", "--drafts"],
    );
    assert_eq!(exit_code(&baseline_run), 0);
    let baseline = pages(&temp.path().join("public"));

    let corpus = corpus();
    assert_eq!(corpus.len(), 60, "the corpus has 60 files");
    let mut text = String::new();
    let (mut built, mut rejected) = (0, 0);
    for fixture in &corpus {
        let name = fixture.file_name().unwrap().to_str().unwrap();
        let (code, lines) = outcome(fixture, &baseline);
        if code == 0 {
            built += 1;
        } else {
            rejected += 1;
            // Every rejection names the file.
            let shown = format!("{DIR}/{name}");
            assert!(
                lines.iter().any(|l| l.contains(&shown)),
                "{name}: rejected without naming {shown}: {lines:#?}"
            );
        }
        text += &format!("{name}:\n");
        for line in lines {
            text += &format!("  {line}\n");
        }
    }
    text = format!("# {built} built, {rejected} rejected\n{text}");
    insta::assert_snapshot!("malformed_outcomes", text);
}
