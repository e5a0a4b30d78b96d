//! A build keeps the pages made from the same inputs as in the last build instead of
//! rendering them again (issue #16: a rebuild after one new article in about a second). The
//! proof that nothing stale is kept: after each kind of edit, the output of the rebuild is
//! byte for byte the output of a build from nothing, made beside it.

mod common;

use common::Site;

const CATEGORIES: [&str; 3] = ["Chung", "Khoa học", "Thanh tra"];
const TAGS: [&str; 3] = ["đo lường", "sáng kiến", "nông nghiệp"];

fn article(n: usize, title: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nslug: bai-{n}\ndate: 2026-{:02}-{:02} 08:00\ncategory: \"{}\"\n\
         tags: [\"{}\"]\nauthor: \"{}\"\n---\n{title}. Bài số {n}: kiểm định, tập huấn, \
         chuyển giao công nghệ cho doanh nghiệp trong tỉnh.\n",
        n / 5 + 1,
        n % 5 * 5 + 1,
        CATEGORIES[n % 3],
        TAGS[n % 3],
        ["Nguyễn Văn An", "Trần Thị Bình"][n % 2],
    )
}

/// 30 articles, four a page: every kind of listing has older pages.
fn site() -> Site {
    let site = Site::new(&[(
        "config.yaml",
        "title: Sở Khoa học và Công nghệ\nper_page: 4\nmenu:\n  - {name: Tin tức, url: /chung/}\n",
    )]);
    for n in 0..30 {
        site.write(
            &format!("content/2026/bai-{n}.md"),
            &article(n, &format!("Hoạt động khoa học số {n}")),
        );
    }
    site
}

/// Builds `site` (a rebuild) and fails when its output differs from a build from nothing;
/// returns the pages the rebuild rendered.
fn rebuild_matches_a_build_from_nothing(site: &Site, step: &str) -> usize {
    common::rebuild_matches_a_build_from_nothing(site, step).pages_rendered
}

#[test]
fn each_rebuild_equals_a_build_from_nothing_and_renders_only_what_changed() {
    let site = site();
    let first = site.build_ok();
    assert_eq!(
        first.pages_rendered,
        first.page_counts.iter().map(|c| c.1).sum::<usize>()
    );
    let pages = first.pages_rendered;

    assert_eq!(rebuild_matches_a_build_from_nothing(&site, "no change"), 0);

    site.write(
        "content/2026/bai-moi.md",
        &article(30, "Kiểm định cột đo xăng dầu đợt mới"),
    );
    let rendered = rebuild_matches_a_build_from_nothing(&site, "a new article");
    assert!(
        rendered > 0 && rendered * 2 < pages,
        "{rendered} of {pages}"
    );

    site.write(
        "content/2026/bai-7.md",
        &article(7, "Hoạt động khoa học số 7 (đã sửa tiêu đề)"),
    );
    let rendered = rebuild_matches_a_build_from_nothing(&site, "an edited title");
    assert!(rendered > 0 && rendered < pages, "{rendered} of {pages}");

    std::fs::remove_file(site.root().join("content/2026/bai-12.md")).unwrap();
    rebuild_matches_a_build_from_nothing(&site, "a deleted article");

    // What every page shows: all of them are made again.
    site.write(
        "config.yaml",
        "title: Sở Khoa học và Công nghệ\nper_page: 4\nmenu:\n  - {name: Tin tức, url: /chung/}\n  \
         - {name: Liên hệ, url: /lien-he/}\n",
    );
    let rendered = rebuild_matches_a_build_from_nothing(&site, "a new menu item");
    assert!(rendered >= pages, "{rendered} of {pages}");

    // A template of the site's own, replacing one of the theme's partials.
    let footer = include_str!("../themes/tin-hoat-dong/templates/partials/footer.html");
    site.write(
        "templates/partials/footer.html",
        &format!("{footer}\n<p class=\"ghi-chu\">Ghi chú chân trang</p>\n"),
    );
    let rendered = rebuild_matches_a_build_from_nothing(&site, "a changed template");
    assert!(rendered >= pages, "{rendered} of {pages}");
    assert!(site.read("index.html").contains("Ghi chú chân trang"));

    assert_eq!(
        rebuild_matches_a_build_from_nothing(&site, "no change again"),
        0
    );
}

#[test]
fn a_page_changed_by_hand_in_the_output_is_made_again() {
    let site = site();
    site.build_ok();
    let page = site.public().join("chung/bai-0/index.html");
    let original = std::fs::read(&page).unwrap();
    std::fs::write(&page, b"<p>sua tay</p>").unwrap();
    let report = site.build_ok();
    assert_eq!(report.pages_rendered, 1);
    assert_eq!(std::fs::read(&page).unwrap(), original);
}
