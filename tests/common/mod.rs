//! Helpers shared by the end-to-end tests: write a fixture site into a temporary folder,
//! build it (through the library or the binary), read what came out.

#![allow(dead_code, unreachable_pub)]

#[path = "../bin_support/mod.rs"]
mod files;

/// Test images made on the fly (the library's unit-test images): photo-like JPEGs with EXIF
/// (orientation, GPS), PNGs with alpha, a HEIC header.
#[path = "../../src/media/testdata.rs"]
pub mod images;

use chrono::{DateTime, FixedOffset};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use trangtin::{BuildOptions, BuildReport, Error, Problem};

/// The fixed "now" of every library build: 29/11/2026 12:00 in Vietnam.
pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-29T12:00:00+07:00").unwrap()
}

/// Front matter and body of an ordinary article.
pub fn article(title: &str, date: &str, category: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\ncategory: \"{category}\"\n---\n{body}")
}

/// A fixture site in a temporary folder (no `themes/`: the embedded theme is used).
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A site made of `(path relative to the site root, text)` pairs.
    pub fn new(files: &[(&str, &str)]) -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or replaces) one file of the site.
    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    /// Writes (or replaces) one file of the site, as bytes.
    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }

    /// Writes a photo-like JPEG of `width`×`height` pixels with an EXIF block (GPS
    /// included) at `path`.
    pub fn photo(&self, path: &str, width: u32, height: u32) {
        self.write_bytes(path, &images::jpeg_with_exif(width, height, false, 1));
    }

    /// Build options with the fixed `now` and the default output folder.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            output: None,
            drafts: false,
            now: Some(now()),
            allow_mass_delete: false,
        }
    }

    /// Builds with the default options.
    pub fn build(&self) -> Result<BuildReport, Error> {
        trangtin::build(&self.options())
    }

    /// Builds with the default options and fails the test on error.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(report) => report,
            Err(e) => panic!("the build failed:\n{e}"),
        }
    }

    /// Builds with the default options and fails the test when the build succeeds.
    pub fn build_err(&self) -> Error {
        match self.build() {
            Ok(_) => panic!("the build succeeded but an error was expected"),
            Err(e) => e,
        }
    }

    /// A copy of the site folder without what builds leave in it (the output, its earlier
    /// trees, the caches), as a build from nothing would find it; `published-urls.tsv` is
    /// kept, since it decides where articles are published.
    pub fn copy_without_builds(&self) -> tempfile::TempDir {
        let copy = tempfile::tempdir().expect("temporary folder");
        let left_by_builds = |name: &str| {
            name == "public" || name.starts_with(".public") || name == ".trangtin-cache"
        };
        for entry in walkdir::WalkDir::new(self.root())
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| e.depth() > 1 || !left_by_builds(&e.file_name().to_string_lossy()))
        {
            let entry = entry.unwrap();
            let to = copy
                .path()
                .join(entry.path().strip_prefix(self.root()).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        copy
    }

    /// The output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Whether the output file exists.
    pub fn exists(&self, path: &str) -> bool {
        self.public().join(path).is_file()
    }

    /// The text of an output file (fails the test, listing the output, when it is missing).
    pub fn read(&self, path: &str) -> String {
        let full = self.public().join(path);
        match std::fs::read_to_string(&full) {
            Ok(text) => text,
            Err(e) => panic!(
                "cannot read public/{path}: {e}\noutput files:\n{}",
                list_files(&self.public()).join("\n")
            ),
        }
    }

    /// Runs the `trangtin` binary with `args` (relative paths are relative to the site root).
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_trangtin"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run trangtin")
    }
}

/// Builds `site` into its output (a rebuild), then from nothing into a folder beside it,
/// and fails when the two differ. Returns the report of the rebuild.
pub fn rebuild_matches_a_build_from_nothing(site: &Site, step: &str) -> BuildReport {
    let report = site.build_ok();
    // From nothing: a copy of the site without the output and the build cache.
    let fresh = site.copy_without_builds();
    let mut options = site.options();
    options.root = fresh.path().to_path_buf();
    options.output = Some(fresh.path().join("public"));
    trangtin::build(&options).unwrap_or_else(|e| panic!("{step}: {e}"));
    let without_marker = |dir: &std::path::Path| -> BTreeMap<String, Vec<u8>> {
        let mut files = snapshot(dir);
        files.remove(".trangtin-output");
        files
    };
    let (rebuilt, from_nothing) = (
        without_marker(&site.public()),
        without_marker(&fresh.path().join("public")),
    );
    assert_eq!(
        rebuilt.keys().collect::<Vec<_>>(),
        from_nothing.keys().collect::<Vec<_>>(),
        "{step}: other files"
    );
    for (path, bytes) in &rebuilt {
        assert!(
            *bytes == from_nothing[path],
            "{step}: {path} differs from a build from nothing:\n{}\n---- from nothing:\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&from_nothing[path])
        );
    }
    report
}

/// Every file under `dir`, relative, with `/` separators, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().collect()
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files::files(dir)
}

/// The part of `html` from the first `start` to the next `end` after it (both included).
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let Some(from) = html.find(start) else {
        panic!("`{start}` not found in:\n{html}");
    };
    let to = html[from..]
        .find(end)
        .map_or(html.len(), |i| from + i + end.len());
    &html[from..to]
}

/// The `<main>` element of a page: the content without header, sidebar and footer.
pub fn main_of(html: &str) -> &str {
    between(html, "<main", "</main>")
}

/// Every value of `attr="..."` in `html`.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let value = &rest[i + needle.len()..];
        let end = value.find('"').unwrap_or(value.len());
        out.push(&value[..end]);
        rest = &value[end..];
    }
    out
}

/// Every `Problem` of an input error; fails the test for other errors.
pub fn problems(err: &Error) -> Vec<Problem> {
    match err {
        Error::Input(problems) => problems.clone(),
        other => panic!("expected an input error, got: {other}"),
    }
}

/// The only error problem of an input error; fails the test when there are others.
pub fn only_problem(err: &Error) -> Problem {
    let errors: Vec<Problem> = problems(err).into_iter().filter(|p| p.is_error()).collect();
    assert_eq!(errors.len(), 1, "expected exactly one error, got:\n{err}");
    errors.into_iter().next().unwrap()
}

/// The small built site the deploy tests put into their targets: two articles and an
/// attachment, plus `extra` files.
pub fn deploy_site(extra: &[(&str, &str)]) -> Site {
    let first = article(
        "Hội nghị tổng kết",
        "2026-11-20 08:00",
        "Chung",
        "Nội dung.\n",
    );
    let second = article("Lịch tiếp dân", "2026-11-21 08:00", "Chung", "Thứ Hai.\n");
    let mut files = vec![
        ("config.yaml", "title: Tin\ncategories:\n  - name: Chung\n"),
        ("content/2026/11/hoi-nghi.md", first.as_str()),
        ("content/2026/11/lich-tiep-dan.md", second.as_str()),
        ("content/2026/11/bieu-mau.txt", "Biểu mẫu đăng ký."),
    ];
    files.extend_from_slice(extra);
    let site = Site::new(&files);
    site.build_ok();
    site
}

/// The built site's files as a deploy target should hold them (the build's own marker,
/// which deploy never copies, left out).
pub fn deployable_files(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(&site.public());
    files.remove(".trangtin-output");
    files
}

/// What the deploy tests' edit does to a [`deploy_site`]: the files after it, the paths whose
/// bytes changed (or are new), the paths gone.
pub struct Edited {
    pub after: BTreeMap<String, Vec<u8>>,
    pub changed: BTreeSet<String>,
    pub removed: Vec<String>,
}

/// Edits one article of a [`deploy_site`], removes its attached file (a published article's
/// address stays: trangtin keeps a page there; a file goes) and builds again; `before` is
/// [`deployable_files`] of the site before.
pub fn edit_and_rebuild(site: &Site, before: &BTreeMap<String, Vec<u8>>) -> Edited {
    site.write(
        "content/2026/11/hoi-nghi.md",
        &article(
            "Hội nghị tổng kết",
            "2026-11-20 08:00",
            "Chung",
            "Nội dung đã sửa.\n",
        ),
    );
    std::fs::remove_file(site.root().join("content/2026/11/bieu-mau.txt")).unwrap();
    site.build_ok();
    let after = deployable_files(site);
    let changed = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    let removed = before
        .keys()
        .filter(|path| !after.contains_key(*path))
        .cloned()
        .collect();
    Edited {
        after,
        changed,
        removed,
    }
}
