//! The build cache (`.trangtin-cache/build/`, issue #16): a rebuild takes the parsed front
//! matter and the rendered bodies of unchanged files from it. The proof that it never serves
//! anything stale: after each edit, the rebuild's output is byte for byte that of a build from
//! nothing (a copy of the site without the output and the cache), and the report says how
//! much was parsed and rendered anew, so that a cache that is never used fails too.

mod common;

use common::{rebuild_matches_a_build_from_nothing, Site};

const ARTICLES: usize = 6;

/// Six articles; `bai-0` links to `bai-1`.
fn site() -> Site {
    let site = Site::new(&[(
        "config.yaml",
        "title: Sở Khoa học và Công nghệ\ndefault_author: \"Văn phòng Sở\"\n",
    )]);
    for n in 0..ARTICLES {
        site.write(&format!("content/2026/bai-{n}.md"), &article(n, "", ""));
    }
    site.write(
        "content/2026/bai-0.md",
        &article(0, "", "Xem thêm [bài sau](bai-1.md)."),
    );
    site
}

/// Article `n`, with `extra` front matter and `body` after the usual paragraph.
fn article(n: usize, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"Hội thảo đổi mới sáng tạo số {n}\"\ndate: 2026-10-{:02} 08:00\n\
         category: \"Chung\"\n{extra}---\nSở tổ chức hội thảo số {n} về chuyển giao công nghệ.\n\n{body}\n",
        n + 1
    )
}

/// Parsed articles and rendered bodies of a rebuild, after checking its output.
fn rebuild(site: &Site, step: &str) -> (usize, usize) {
    let report = rebuild_matches_a_build_from_nothing(site, step);
    (report.articles_parsed, report.bodies_rendered)
}

/// The cache files, with their bytes.
fn cache_files(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    common::snapshot(&site.root().join(".trangtin-cache/build"))
}

#[test]
fn an_unchanged_site_is_built_from_the_cache() {
    let site = site();
    assert_eq!(rebuild(&site, "first build"), (ARTICLES, ARTICLES));
    assert!(!cache_files(&site).is_empty());
    assert_eq!(rebuild(&site, "nothing changed"), (0, 0));
}

#[test]
fn an_edited_file_is_parsed_again_and_its_body_rendered_only_when_it_changed() {
    let site = site();
    site.build_ok();
    site.write(
        "content/2026/bai-3.md",
        &article(3, "summary: \"Tóm tắt mới của bài.\"\n", ""),
    );
    assert_eq!(rebuild(&site, "front matter edited"), (1, 0));
    assert!(site
        .read("chung/bai-3/index.html")
        .contains("Tóm tắt mới của bài."));
    site.write("content/2026/bai-4.md", &article(4, "", "Một đoạn mới."));
    assert_eq!(rebuild(&site, "body edited"), (1, 1));
    assert!(site
        .read("chung/bai-4/index.html")
        .contains("Một đoạn mới."));
}

#[test]
fn the_terms_of_related_articles_are_counted_again_only_for_changed_texts() {
    let site = site();
    let counted = |step: &str| rebuild_matches_a_build_from_nothing(&site, step).terms_counted;
    assert_eq!(counted("first build"), ARTICLES);
    assert_eq!(counted("nothing changed"), 0);
    // A field the terms are not counted from: parsed again, its terms kept.
    site.write(
        "content/2026/bai-2.md",
        &article(2, "tags: [\"chè\"]\n", ""),
    );
    assert_eq!(counted("tags edited"), 0);
    // The texts they are counted from: the summary, then the body.
    site.write(
        "content/2026/bai-3.md",
        &article(3, "summary: \"Chuyển giao công nghệ chè.\"\n", ""),
    );
    assert_eq!(counted("summary edited"), 1);
    site.write("content/2026/bai-4.md", &article(4, "", "Giống chè mới."));
    assert_eq!(counted("body edited"), 1);
    site.write("content/2026/bai-9.md", &article(9, "", ""));
    assert_eq!(counted("article added"), 1);
}

#[test]
fn files_unchanged_since_they_were_read_are_not_read_again_and_any_change_is_seen() {
    let settle = || std::thread::sleep(std::time::Duration::from_millis(3200));
    let site = site();
    site.build_ok(); // files written just now get no stamp (`content::stamp` tests that)
    settle();
    site.build_ok(); // takes the stamps of the settled files
    let report = rebuild_matches_a_build_from_nothing(&site, "nothing changed");
    assert_eq!((report.files_unread, report.articles_parsed), (ARTICLES, 0));
    // The same size and the same modification time, and settled since: the time the file's
    // record changed still tells.
    let path = site.root().join("content/2026/bai-5.md");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("số 5", "số 8");
    std::fs::write(&path, text).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    settle();
    let report = rebuild_matches_a_build_from_nothing(&site, "edited, its time set back");
    assert_eq!(
        (report.files_unread, report.articles_parsed),
        (ARTICLES - 1, 1)
    );
    assert!(site.read("chung/bai-5/index.html").contains("số 8"));
}

#[test]
fn a_body_is_rendered_again_when_what_its_links_point_at_changes() {
    let site = site();
    site.build_ok();
    assert!(site
        .read("chung/bai-0/index.html")
        .contains("href=\"/chung/bai-1/\""));
    // bai-0.md is not touched: only the URL of the article it links to changes.
    site.write(
        "content/2026/bai-1.md",
        &article(1, "slug: hoi-thao-moi\n", ""),
    );
    assert_eq!(rebuild(&site, "link target moved"), (1, 1));
    let page = site.read("chung/bai-0/index.html");
    assert!(page.contains("href=\"/chung/hoi-thao-moi/\""), "{page}");

    site.write("content/2026/bai-1.md", &article(1, "draft: true\n", ""));
    let report = rebuild_matches_a_build_from_nothing(&site, "link target made a draft");
    assert_eq!(report.bodies_rendered, 1);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.file.to_string_lossy() == "content/2026/bai-0.md"),
        "{:?}",
        report.warnings
    );
    assert!(!site.read("chung/bai-0/index.html").contains("hoi-thao-moi"));
}

#[test]
fn a_link_broken_by_a_deleted_file_is_an_error_though_the_body_was_cached() {
    let site = site();
    site.build_ok();
    let before = common::snapshot(&site.public());
    std::fs::remove_file(site.root().join("content/2026/bai-1.md")).unwrap();
    let error = site.build_err().to_string();
    assert!(error.contains("content/2026/bai-0.md"), "{error}");
    assert!(error.contains("bai-1.md"), "{error}");
    assert_eq!(common::snapshot(&site.public()), before);
}

#[test]
fn a_changed_config_yaml_parses_everything_again() {
    let site = site();
    site.build_ok();
    site.write(
        "config.yaml",
        "title: Sở Khoa học và Công nghệ\ndefault_author: \"Phòng Thông tin\"\n",
    );
    assert_eq!(rebuild(&site, "config changed"), (ARTICLES, ARTICLES));
    assert!(site
        .read("chung/bai-2/index.html")
        .contains("Phòng Thông tin"));
}

#[test]
fn a_damaged_cache_is_ignored_and_written_again() {
    let site = site();
    site.build_ok();
    let dir = site.root().join(".trangtin-cache/build");
    for (i, name) in cache_files(&site).into_keys().enumerate() {
        let garbage: &[u8] = match i % 3 {
            0 => b"",
            1 => b"TTCACHE1 not a cache at all",
            _ => b"\x00\xff\x10 random bytes",
        };
        std::fs::write(dir.join(name), garbage).unwrap();
    }
    assert_eq!(rebuild(&site, "damaged cache"), (ARTICLES, ARTICLES));
    assert_eq!(rebuild(&site, "cache written again"), (0, 0));
}

#[test]
fn a_cache_file_whose_bytes_were_changed_is_not_used() {
    let site = site();
    site.build_ok();
    let dir = site.root().join(".trangtin-cache/build");
    for (name, mut bytes) in cache_files(&site) {
        // One byte of the records changed: the checksum no longer matches.
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    assert_eq!(rebuild(&site, "flipped bytes"), (ARTICLES, ARTICLES));
}

#[test]
fn one_new_article_rewrites_one_cache_file() {
    let site = site();
    site.build_ok();
    let before = cache_files(&site);
    site.write("content/2026/bai-moi.md", &article(9, "", ""));
    assert_eq!(rebuild(&site, "one new article"), (1, 1));
    let after = cache_files(&site);
    let changed = after
        .iter()
        .filter(|(name, bytes)| before.get(*name) != Some(*bytes))
        .count();
    assert_eq!(changed, 1, "{:?}", after.keys().collect::<Vec<_>>());
}

#[test]
fn a_scheduled_article_whose_time_came_is_rendered_from_its_file() {
    let site = site();
    site.write(
        "content/2026/hen-gio.md",
        "---\ntitle: \"Thông báo lịch tiếp công dân\"\ndate: 2026-12-15 08:00\n\
         category: \"Chung\"\n---\nLịch tiếp công dân tháng Mười hai.\n",
    );
    let report = site.build_ok();
    assert_eq!(report.held_back, 1);
    assert!(!site.exists("chung/hen-gio/index.html"));
    // The file is not touched: only the time passes.
    let mut later = site.options();
    later.now = Some(chrono::DateTime::parse_from_rfc3339("2026-12-16T08:00:00+07:00").unwrap());
    let report = trangtin::build(&later).unwrap();
    assert_eq!((report.articles_parsed, report.bodies_rendered), (0, 1));
    assert!(site
        .read("chung/hen-gio/index.html")
        .contains("Lịch tiếp công dân tháng Mười hai."));
    let fresh = site.copy_without_builds();
    later.root = fresh.path().to_path_buf();
    later.output = None;
    trangtin::build(&later).unwrap();
    assert_eq!(
        std::fs::read(fresh.path().join("public/chung/hen-gio/index.html")).unwrap(),
        std::fs::read(site.public().join("chung/hen-gio/index.html")).unwrap()
    );
}
