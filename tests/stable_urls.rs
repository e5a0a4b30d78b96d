//! A published URL stays with its article (issue #16): a newer article with the same slug
//! never takes it, a moved article leaves a redirect behind, and a removed article leaves a
//! page that says so; `build` records the URLs in `published-urls.tsv`, `check` and
//! `build --drafts` do not.

mod common;

use common::{article, Site};

const CONFIG: &str =
    "title: Tin\ncategories:\n  - name: Chung\n  - name: Thông báo\n    slug: thong-bao\n";

fn record(site: &Site) -> String {
    std::fs::read_to_string(site.root().join("published-urls.tsv")).unwrap_or_default()
}

#[test]
fn a_back_dated_article_with_the_same_slug_does_not_take_the_published_url() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/05/doi-moi.md",
            &article("Đổi mới", "2024-05-02 08:00", "Chung", "Bài đã đăng.\n"),
        ),
    ]);
    site.build_ok();
    assert!(record(&site).contains("chung/doi-moi/\t2024/05/doi-moi.md\n"));
    // Back-dated: without the record it would be the older one and take `doi-moi`.
    site.write(
        "content/2023/01/doi-moi.md",
        &article("Đổi mới", "2023-01-10 08:00", "Chung", "Bài viết muộn.\n"),
    );
    let report = site.build_ok();
    assert!(site
        .read("chung/doi-moi/index.html")
        .contains("Bài đã đăng."));
    assert!(site
        .read("chung/doi-moi-2/index.html")
        .contains("Bài viết muộn."));
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "content/2023/01/doi-moi.md: warning: slug `doi-moi` is already used in category \
          `Chung` by content/2024/05/doi-moi.md; this article gets `doi-moi-2` (set `slug:` \
          to choose another)"
        ]
    );
    // And it stays so on a fresh machine: the record travels with the site.
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build_ok();
    assert!(site
        .read("chung/doi-moi/index.html")
        .contains("Bài đã đăng."));
}

#[test]
fn a_moved_article_leaves_a_redirect_at_its_old_url() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/05/lich.md",
            &article("Lịch tiếp dân", "2024-05-02 08:00", "Chung", "Nội dung.\n"),
        ),
    ]);
    site.build_ok();
    // The editor changes the category, then the slug.
    site.write(
        "content/2024/05/lich.md",
        &article(
            "Lịch tiếp dân",
            "2024-05-02 08:00",
            "Thông báo",
            "Nội dung.\n",
        ),
    );
    site.build_ok();
    site.write(
        "content/2024/05/lich.md",
        "---\ntitle: Lịch tiếp dân\ndate: 2024-05-02 08:00\ncategory: Thông báo\n\
             slug: lich-tiep-cong-dan\n---\nNội dung.\n",
    );
    site.build_ok();
    assert!(site.exists("thong-bao/lich-tiep-cong-dan/index.html"));
    for old in ["chung/lich/index.html", "thong-bao/lich/index.html"] {
        let page = site.read(old);
        assert!(
            page.contains("url=/thong-bao/lich-tiep-cong-dan/"),
            "{old} redirects to the new URL:\n{page}"
        );
    }
    assert_eq!(
        record(&site)
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        [
            "chung/lich/\t2024/05/lich.md",
            "thong-bao/lich-tiep-cong-dan/\t2024/05/lich.md",
            "thong-bao/lich/\t2024/05/lich.md",
        ]
    );
}

#[test]
fn a_removed_article_leaves_a_page_that_says_so_until_it_comes_back() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/05/a.md",
            &article("Tin A", "2024-05-02 08:00", "Chung", "Nội dung A.\n"),
        ),
        (
            "content/2024/05/b.md",
            &article("Tin B", "2024-05-03 08:00", "Chung", "Nội dung B.\n"),
        ),
    ]);
    site.build_ok();
    std::fs::remove_file(site.root().join("content/2024/05/a.md")).unwrap();
    site.build_ok();
    let gone = site.read("chung/a/index.html");
    assert!(gone.contains("<h1 class=\"page-title\" id=\"tieu-de-go\">Bài viết đã được gỡ</h1>"));
    assert!(gone.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(
        !site.read("sitemap.xml").contains("chung/a/"),
        "not in the sitemap"
    );
    assert!(record(&site).contains("chung/a/\t2024/05/a.md"));
    // A new article may take the URL of one that no longer exists.
    site.write(
        "content/2024/06/a.md",
        &article("Tin A", "2024-06-02 08:00", "Chung", "Bài mới.\n"),
    );
    site.build_ok();
    assert!(site.read("chung/a/index.html").contains("Bài mới."));
    assert!(record(&site).contains("chung/a/\t2024/06/a.md"));
    // Made a draft: its URL says it was removed, and no other article takes it.
    site.write(
        "content/2024/05/b.md",
        "---\ntitle: Tin B\ndate: 2024-05-03 08:00\ncategory: Chung\ndraft: true\n---\nB\n",
    );
    site.write(
        "content/2024/07/b.md",
        &article("Tin B", "2024-07-02 08:00", "Chung", "Một bài khác.\n"),
    );
    site.build_ok();
    assert!(site
        .read("chung/b/index.html")
        .contains("Bài viết đã được gỡ"));
    assert!(site.read("chung/b-2/index.html").contains("Một bài khác."));
}

#[test]
fn check_and_draft_previews_record_nothing() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/05/a.md",
            &article("Tin A", "2024-05-02 08:00", "Chung", "A.\n"),
        ),
    ]);
    let check = trangtin::check::check(&site.options());
    assert_eq!(check.errors(), 0);
    assert!(!site.root().join("published-urls.tsv").exists());
    let out = site.run(&["build", "--root", ".", "--drafts"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(!site.root().join("published-urls.tsv").exists());
    site.build_ok();
    assert!(site.root().join("published-urls.tsv").exists());
}

#[test]
fn a_damaged_record_is_an_error_naming_its_line() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/05/a.md",
            &article("A", "2024-05-02", "Chung", "A.\n"),
        ),
        ("published-urls.tsv", "# x\nchung/a/ 2024/05/a.md\n"),
    ]);
    let problem = common::only_problem(&site.build_err());
    assert!(
        problem.to_string().starts_with("published-urls.tsv:2: "),
        "{problem}"
    );
}
