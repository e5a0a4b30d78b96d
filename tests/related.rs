//! End-to-end tests of "Tin liên quan": pinned articles first, only published articles,
//! identical output from identical input.

mod common;

use common::{article, between, snapshot, Site};

/// The related list of an article page (the `<ul data-list="related">`), or "" when absent.
fn related_list(html: &str) -> String {
    if !html.contains("data-list=\"related\"") {
        return String::new();
    }
    between(html, "data-list=\"related\"", "</ul>").to_string()
}

const RADIATION: &str =
    "Kiểm tra an toàn bức xạ tại cơ sở X-quang y tế, cấp phép tiến hành công việc bức xạ, \
     đo liều chiếu cho nhân viên bức xạ và kiểm định thiết bị X-quang chẩn đoán.";
const MEASUREMENT: &str =
    "Kiểm định phương tiện đo, cột đo xăng dầu, cân tại chợ dân sinh và hàng đóng gói sẵn \
     theo quy định về đo lường.";

fn site() -> Site {
    Site::new(&[
        ("content/2024/01/buc-xa-a.md", &article("Kiểm tra an toàn bức xạ X-quang", "2024-01-10", "An toàn", RADIATION)),
        ("content/2024/02/buc-xa-b.md", &article("Cấp phép công việc bức xạ X-quang", "2024-02-10", "An toàn", RADIATION)),
        ("content/2024/03/buc-xa-c.md", &article("Đo liều chiếu nhân viên bức xạ", "2024-03-10", "An toàn", RADIATION)),
        ("content/2024/04/do-luong-a.md", &article("Kiểm định cột đo xăng dầu", "2024-04-10", "Đo lường", MEASUREMENT)),
        ("content/2024/05/do-luong-b.md", &article("Kiểm tra cân tại chợ", "2024-05-10", "Đo lường", MEASUREMENT)),
        (
            "content/2024/06/nhap.md",
            &format!("---\ntitle: \"Bức xạ X-quang (bản nháp)\"\ndate: 2024-06-10\ncategory: \"An toàn\"\ndraft: true\n---\n{RADIATION}"),
        ),
        (
            "content/2024/07/tuong-lai.md",
            &article("Bức xạ X-quang năm sau", "2027-01-10", "An toàn", RADIATION),
        ),
        (
            "content/2024/08/ghim.md",
            &format!(
                "---\ntitle: \"Kiểm tra bức xạ có bài ghim\"\ndate: 2024-08-10\ncategory: \"An toàn\"\nrelated: [../05/do-luong-b.md]\n---\n{RADIATION}"
            ),
        ),
    ])
}

#[test]
fn similar_articles_are_listed_and_unrelated_ones_are_not() {
    let site = site();
    site.build_ok();
    let list = related_list(&site.read("an-toan/buc-xa-a/index.html"));
    assert!(list.contains("/an-toan/buc-xa-b/"), "{list}");
    assert!(list.contains("/an-toan/buc-xa-c/"), "{list}");
    assert!(
        !list.contains("/an-toan/buc-xa-a/"),
        "never the article itself: {list}"
    );
    assert!(
        !list.contains("do-luong"),
        "measurement articles are not related: {list}"
    );
}

#[test]
fn a_pinned_article_comes_first() {
    let site = site();
    site.build_ok();
    let list = related_list(&site.read("an-toan/ghim/index.html"));
    let pinned = list
        .find("/do-luong/do-luong-b/")
        .expect("the pinned article is listed");
    let scored = list
        .find("/an-toan/buc-xa-")
        .expect("scored articles follow");
    assert!(pinned < scored, "{list}");
}

#[test]
fn drafts_and_future_articles_never_appear() {
    let site = site();
    site.build_ok();
    for page in [
        "an-toan/buc-xa-a/index.html",
        "an-toan/buc-xa-b/index.html",
        "an-toan/ghim/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("nhap"), "draft listed on {page}");
        assert!(
            !html.contains("tuong-lai"),
            "future article listed on {page}"
        );
    }
}

#[test]
fn a_missing_pinned_path_fails_naming_both_files() {
    let site = site();
    site.write(
        "content/2024/09/sai.md",
        "---\ntitle: \"Sai\"\ndate: 2024-09-10\ncategory: \"An toàn\"\nrelated: [khong-co.md]\n---\nx\n",
    );
    let text = site.build_err().to_string();
    assert!(text.contains("content/2024/09/sai.md:5"), "{text}");
    assert!(text.contains("khong-co.md"), "{text}");
}

#[test]
fn two_builds_of_the_same_content_are_byte_identical() {
    let first = site();
    first.build_ok();
    let second = site();
    second.build_ok();
    let (a, b) = (snapshot(&first.public()), snapshot(&second.public()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        if path.ends_with(".trangtin-output") {
            continue;
        }
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}
