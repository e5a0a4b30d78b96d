//! Snapshots of the `<main>` element of one page of each kind of the sample site (the
//! repository root), built once by the `trangtin` binary.
//!
//! The binary has no option to fix "now", and the sample content has an article dated 2027
//! (held back as future-dated until then). So the site is built from a copy without the
//! articles dated after `CUTOFF`: every article left is in the past for any clock at or after
//! `CUTOFF`, and the output no longer depends on the day the test runs. `chosen_pages` lists
//! what was left out.

mod bin_support;

use bin_support::{copy_dir, exit_code, files, main_of, repo, run};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Articles dated after this day are left out of the copy (see the module comment).
const CUTOFF: &str = "2026-11-29";

/// The sample site, built.
struct Sample {
    /// The output folder.
    out: PathBuf,
    /// Articles of `content/` left out of the copy, relative to the site root.
    left_out: Vec<String>,
    /// Every HTML page of the output with its kind, sorted by path.
    pages: Vec<(String, String)>,
}

/// The date of an article (`date:` of its front matter, first 10 characters), if any.
fn date_of(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let front = text.strip_prefix("---\n")?.split("\n---").next()?;
    front
        .lines()
        .find_map(|l| l.strip_prefix("date:"))
        .map(|d| d.trim().trim_matches('"').chars().take(10).collect())
}

/// The kind of a page: the `kind-...` class of its `<body>`, or `alias` for a redirect.
fn kind_of(html: &str) -> String {
    let body = &html[html.find("<body").expect("a <body>")..];
    let body = &body[..body.find('>').unwrap()];
    if let Some(i) = body.find("kind-") {
        let rest = &body[i + "kind-".len()..];
        return rest[..rest.find(['"', ' ']).unwrap()].to_string();
    }
    assert!(html.contains("http-equiv=\"refresh\""), "no kind: {body}");
    "alias".to_string()
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("page_snapshots");
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.join("site");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo().join("config.yaml"), root.join("config.yaml")).unwrap();
        copy_dir(&repo().join("themes"), &root.join("themes"), &mut |_| false);
        let mut left_out = Vec::new();
        let content = repo().join("content");
        copy_dir(&content, &root.join("content"), &mut |path| {
            let future = path.extension().is_some_and(|e| e == "md")
                && date_of(path).is_some_and(|d| d.as_str() > CUTOFF);
            if future {
                let relative = path.strip_prefix(repo()).unwrap();
                left_out.push(relative.to_string_lossy().replace('\\', "/"));
            }
            future
        });
        left_out.sort();

        let out = dir.join("public");
        let output = run(
            &root,
            &["build", "--root", ".", "--output", out.to_str().unwrap()],
        );
        assert_eq!(
            exit_code(&output),
            0,
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pages = files(&out)
            .into_iter()
            // tin-moi.html is a fragment the sidebar's script loads, not a page.
            .filter(|(path, _)| path.ends_with(".html") && path != "tin-moi.html")
            .map(|(path, bytes)| {
                let kind = kind_of(&String::from_utf8(bytes).unwrap());
                (path, kind)
            })
            .collect();
        Sample {
            out,
            left_out,
            pages,
        }
    })
}

/// The number of `/`-separated parts of a path.
fn depth(path: &str) -> usize {
    path.split('/').count()
}

/// The page kinds snapshotted, each with how its example is picked: the first page (by path)
/// of that kind that passes the test.
#[allow(clippy::type_complexity)]
const KINDS: &[(&str, &str, fn(&str) -> bool)] = &[
    ("home", "home", |_| true),
    ("article", "article", |_| true),
    ("category", "category", |p| !p.contains("/trang/")),
    ("category_page_2", "category", |p| {
        p.ends_with("/trang/2/index.html")
    }),
    ("section", "section", |p| !p.contains("/trang/")),
    ("section_page_2", "section", |p| {
        p.ends_with("/trang/2/index.html")
    }),
    ("page", "page", |_| true),
    ("archive_index", "archive", |p| depth(p) == 2),
    ("archive_year", "archive", |p| depth(p) == 3),
    ("archive_month", "archive", |p| depth(p) == 4),
    ("tag", "tag", |_| true),
    ("tags_index", "tags", |_| true),
    ("author", "author", |_| true),
    ("site_map", "site_map", |_| true),
    ("search", "search", |_| true),
    ("not_found", "not_found", |_| true),
    ("alias", "alias", |_| true),
    ("documents", "documents", |p| depth(p) == 2),
    ("documents_type", "documents", |p| p.contains("/loai/")),
    ("document", "document", |_| true),
    // English pages (`lang: en`, under `en/`); every name above is a Vietnamese page.
    ("english_home", "home", |_| true),
    ("english_article", "article", |_| true),
    ("english_page", "page", |_| true),
];

/// The example page of a snapshot name in `KINDS`, if the site has one.
fn example(name: &str) -> Option<&'static str> {
    let (_, kind, pick) = KINDS.iter().find(|(n, _, _)| *n == name).unwrap();
    sample()
        .pages
        .iter()
        .find(|(path, k)| {
            k == kind && pick(path) && path.starts_with("en/") == name.starts_with("english_")
        })
        .map(|(path, _)| path.as_str())
}

/// Snapshots the `<main>` of the example page of `name`.
fn snapshot_main(name: &str) {
    let page = example(name).unwrap_or_else(|| panic!("the sample site has no `{name}` page"));
    let path = sample().out.join(page);
    assert!(path.is_file(), "{page} does not exist");
    let html = std::fs::read_to_string(&path).unwrap();
    insta::with_settings!({ description => page, omit_expression => true }, {
        insta::assert_snapshot!(name, main_of(&html));
    });
}

#[test]
fn the_pages_chosen_for_each_kind_and_the_articles_left_out_are_pinned() {
    let mut text = String::from("left out (dated after the cutoff):\n");
    for file in &sample().left_out {
        text += &format!("  {file}\n");
    }
    text += "chosen pages:\n";
    for (name, _, _) in KINDS {
        text += &format!("  {name}: {}\n", example(name).unwrap_or("none"));
    }
    insta::assert_snapshot!("chosen_pages", text);
}

#[test]
fn the_home_page_keeps_its_main_element() {
    snapshot_main("home");
}

#[test]
fn an_article_keeps_its_main_element() {
    snapshot_main("article");
}

#[test]
fn a_category_keeps_its_main_element() {
    snapshot_main("category");
}

#[test]
fn a_second_category_page_keeps_its_main_element_when_there_is_one() {
    // The sample's categories all fit on one page: `chosen_pages` pins that there is none.
    if example("category_page_2").is_some() {
        snapshot_main("category_page_2");
    }
}

#[test]
fn a_section_keeps_its_main_element() {
    snapshot_main("section");
}

#[test]
fn a_second_section_page_keeps_its_main_element() {
    snapshot_main("section_page_2");
}

#[test]
fn a_page_keeps_its_main_element() {
    snapshot_main("page");
}

#[test]
fn the_archive_index_keeps_its_main_element() {
    snapshot_main("archive_index");
}

#[test]
fn an_archive_year_keeps_its_main_element() {
    snapshot_main("archive_year");
}

#[test]
fn an_archive_month_keeps_its_main_element() {
    snapshot_main("archive_month");
}

#[test]
fn a_tag_keeps_its_main_element() {
    snapshot_main("tag");
}

#[test]
fn the_tags_index_keeps_its_main_element() {
    snapshot_main("tags_index");
}

#[test]
fn an_author_keeps_its_main_element() {
    snapshot_main("author");
}

#[test]
fn the_site_map_keeps_its_main_element() {
    snapshot_main("site_map");
}

#[test]
fn the_search_page_keeps_its_main_element() {
    snapshot_main("search");
}

#[test]
fn the_not_found_page_keeps_its_main_element() {
    snapshot_main("not_found");
}

#[test]
fn an_alias_keeps_its_main_element() {
    snapshot_main("alias");
}

#[test]
fn the_documents_listing_keeps_its_main_element() {
    snapshot_main("documents");
}

#[test]
fn a_documents_type_filter_keeps_its_main_element() {
    snapshot_main("documents_type");
}

#[test]
fn the_english_pages_keep_their_main_element() {
    for name in ["english_home", "english_article", "english_page"] {
        snapshot_main(name);
    }
}

#[test]
fn a_document_keeps_its_main_element() {
    snapshot_main("document");
}
