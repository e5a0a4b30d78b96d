//! Publishing one article changes few output files (issue #16): a deploy by rsync, FTP or S3
//! uploads what changed, so a new article must not rewrite every page. Builds a fixture site,
//! adds an article, builds again into the same output, and checks which files changed and
//! that the others kept their modification time.

mod common;

use common::{between, Site};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

const CATEGORIES: [&str; 3] = ["Chung", "Khoa học", "Thanh tra"];
const TAGS: [&str; 4] = ["đo lường", "sáng kiến", "nông nghiệp", "y tế"];
const SUBJECTS: [&str; 4] = [
    "Kiểm định cột đo xăng dầu tại các cửa hàng trong tỉnh",
    "Hội thi sáng tạo kỹ thuật dành cho thanh niên công nhân",
    "Chuyển giao giống lúa mới cho nông dân vùng đồng bằng",
    "Tập huấn an toàn bức xạ cho cơ sở X-quang y tế",
];

/// 57 articles over three categories, four tags and two authors, five a page: every kind of
/// listing has older pages. Publishing one more in Chung with the tag "đo lường" adds an older
/// page to the tag's listing (15 → 16 articles) and none to Chung's (19 → 20).
fn site() -> Site {
    let site = Site::new(&[("config.yaml", "per_page: 5\n")]);
    for n in 0..57usize {
        let subject = SUBJECTS[n % 4];
        site.write(
            &format!("content/2026/bai-{n}.md"),
            &format!(
                "---\ntitle: \"{subject} (đợt {n})\"\nslug: bai-{n}\ndate: 2026-{:02}-{:02} 08:00\n\
                 category: \"{}\"\ntags: [\"{}\"]\nauthor: \"{}\"\n---\n{subject}. Đợt {n} của năm.\n",
                n / 6 + 1,
                n % 6 * 4 + 1,
                CATEGORIES[n % 3],
                TAGS[n % 4],
                ["Nguyễn Văn An", "Trần Thị Bình"][n % 2],
            ),
        );
    }
    site
}

/// Every output file: path → (bytes, modification time).
fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    common::snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let mtime = std::fs::metadata(dir.join(&path))
                .and_then(|m| m.modified())
                .expect("mtime");
            (path, (bytes, mtime))
        })
        .collect()
}

/// The listing (`the/do-luong/`) and number of an older listing page's path.
fn older_page(path: &str) -> Option<(&str, usize)> {
    let (listing, rest) = path.split_once("trang/")?;
    let n = rest.strip_suffix("/index.html")?.parse().ok()?;
    Some((listing, n))
}

/// An article page without its "Tin liên quan" section (the one part that may gain the new
/// article).
fn without_related(html: &str) -> String {
    if !html.contains("related-news") {
        return html.to_string();
    }
    let section = between(
        html,
        "<section class=\"more-news related-news\"",
        "</section>",
    );
    html.replace(section, "")
}

#[test]
fn publishing_one_article_changes_only_the_pages_that_list_it() {
    let site = site();
    site.build_ok();
    let before = files(&site.public());
    assert!(
        before.contains_key("chung/trang/2/index.html"),
        "older pages exist"
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.write(
        "content/2026/bai-moi.md",
        "---\ntitle: \"Kiểm định cột đo xăng dầu đợt mới\"\nslug: bai-moi\ndate: 2026-11-28 08:00\n\
         category: \"Chung\"\ntags: [\"đo lường\"]\nauthor: \"Nguyễn Văn An\"\n---\n\
         Kiểm định cột đo xăng dầu tại các cửa hàng trong tỉnh.\n",
    );
    site.build_ok();
    let after = files(&site.public());

    let new_page = "chung/bai-moi/index.html";
    let added: Vec<&String> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(added.iter().any(|p| *p == new_page), "{added:?}");
    let removed: Vec<&String> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    assert!(removed.is_empty(), "{removed:?}");

    // The pages that show the newest articles, the indexes with counts, feeds and sitemap.
    let expected = [
        ".trangtin-output",
        "index.html",
        "404.html",
        "tin-moi.html",
        "rss.xml",
        "chung/rss.xml",
        "sitemap.xml",
        "chung/index.html",
        "the/index.html",
        "the/do-luong/index.html",
        "tac-gia/nguyen-van-an/index.html",
        "luu-tru/index.html",
        "luu-tru/2026/index.html",
        "so-do-trang/index.html",
    ];
    assert!(
        added
            .iter()
            .any(|p| *p == "the/do-luong/trang/3/index.html"),
        "{added:?}"
    );
    assert!(
        !added.iter().any(|p| p.starts_with("chung/trang/")),
        "{added:?}"
    );
    let mut related_only = Vec::new();
    for (path, (bytes, _)) in &after {
        let Some((old, _)) = before.get(path) else {
            continue;
        };
        if old == bytes || expected.contains(&path.as_str()) {
            continue;
        }
        // An older page of a listing changes only when the listing gains a page, and then
        // only the two before the new one (their links to pages near them).
        if let Some((listing, n)) = older_page(path) {
            let gained = (n + 1..=n + 2).any(|k| {
                added
                    .iter()
                    .any(|a| **a == format!("{listing}trang/{k}/index.html"))
            });
            assert!(
                gained,
                "{path} changed, and its listing gained no page near it"
            );
            continue;
        }
        // An article page may change only by listing the new article as related.
        let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(bytes));
        assert!(
            path.matches('/').count() == 2
                && !["the/", "tac-gia/", "luu-tru/"]
                    .iter()
                    .any(|p| path.starts_with(p))
                && without_related(&old) == without_related(&new)
                && new.contains("href=\"/chung/bai-moi/\""),
            "{path} changed:\n{new}"
        );
        related_only.push(path.clone());
    }
    let changed = after
        .iter()
        .filter(|(p, (b, _))| before.get(*p).is_some_and(|(old, _)| old != b))
        .count();
    assert!(
        changed <= expected.len() + related_only.len() + 2,
        "{changed} changed"
    );
    assert_eq!(
        added.len(),
        3,
        "the article, its month, the tag's new page: {added:?}"
    );
    assert!(
        changed + added.len() < after.len() / 5,
        "{changed} changed and {} added of {}",
        added.len(),
        after.len()
    );
    // Deploy tools that compare size and time upload only what changed: unchanged files keep
    // their modification time.
    for (path, (bytes, mtime)) in &after {
        if let Some((old, old_mtime)) = before.get(path) {
            if old == bytes {
                assert_eq!(mtime, old_mtime, "{path} was rewritten with the same bytes");
            }
        }
    }
}

#[test]
fn the_sidebar_links_to_the_latest_news_and_lists_none() {
    let site = site();
    site.build_ok();
    // Article 56 (Thanh tra) is the newest; article 0 (Chung) the oldest.
    let page = site.read("chung/bai-0/index.html");
    let aside = between(&page, "<aside", "</aside>");
    assert!(aside.contains("data-latest=\"/tin-moi.html\""), "{aside}");
    assert!(!aside.contains("/bai-56/"), "{aside}");
    assert!(!aside.contains("class=\"count\""), "no counts: {aside}");
    assert!(site.read("tin-moi.html").contains("/thanh-tra/bai-56/"));
}
