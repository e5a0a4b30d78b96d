//! End-to-end tests of `trangtin import --from-wordpress export.xml --uploads DIR`, through
//! the binary, on `tests/sites/wordpress/export.xml` (a WXR written for these tests): posts
//! become articles (a draft stays a draft), pages and attachments do not, images are
//! copied from the uploads folder, the old permalinks answer, and the report names each
//! post left out.

mod common;

use common::{images, list_files, main_of, Site};
use std::path::Path;
use std::process::Output;

const CONFIG: &str = "title: Thử nghiệm\nbase_url: https://tin.example.gov.vn/\n\
categories:\n  - name: Chung\n  - name: \"Thông báo\"\n";

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn site_with_export() -> Site {
    let site = Site::new(&[("config.yaml", CONFIG)]);
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/wordpress/export.xml");
    std::fs::copy(export, site.root().join("export.xml")).unwrap();
    site.write_bytes(
        "uploads/2020/10/hoi-thao.jpg",
        &images::jpeg_with_exif(800, 600, false, 1),
    );
    site
}

#[test]
fn wordpress_posts_become_articles_that_build_with_their_old_permalinks() {
    let site = site_with_export();
    let out = site.run(&[
        "import",
        "--from-wordpress",
        "export.xml",
        "--uploads",
        "uploads",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let report = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "post 104 \"Tin từ chuyên mục đã bỏ\": not imported: its categories (`Tin cũ`) are not in config.yaml",
        "image https://anh.khac.vn/a.jpg: not under wp-content/uploads/: left out",
        "2 article(s) imported, 1 page(s) left out.",
    ] {
        assert!(report.contains(expected), "no `{expected}` in:\n{report}");
    }
    assert!(
        !report.contains("Giới thiệu"),
        "a page is no article:\n{report}"
    );

    let content = site.root().join("content");
    let first =
        std::fs::read_to_string(content.join("2020/10/hoi-thao-ung-dung-cong-nghe-sinh-hoc.md"))
            .unwrap();
    assert_eq!(
        first,
        "---\ntitle: \"Hội thảo ứng dụng công nghệ sinh học\"\ndate: 2020-10-13 07:57:32\n\
         category: \"Chung\"\nauthor: \"Trần Văn Bình\"\n\
         summary: \"Hội thảo ứng dụng công nghệ sinh học.\"\nimage: \"hoi-thao.jpg\"\n\
         image_caption: \"Các đại biểu tham quan mô hình\"\ntags: [\"khoa học\"]\naliases:\n\
         \x20 - \"/2020/10/13/hoi-thao-cong-nghe-sinh-hoc/\"\n  - \"/?p=101\"\n---\n\n\
         Sáng 13/10, Sở tổ chức hội thảo **ứng dụng công nghệ sinh học** trong nông nghiệp.\\\n\
         Hơn 100 đại biểu tham dự.\n\n\
         #### Kết quả\n\n- Giới thiệu 5 quy trình mới;\n- Ký 2 hợp đồng chuyển giao.\n\n\
         Ảnh từ trang khác:\n"
    );
    assert!(content.join("2020/10/hoi-thao.jpg").is_file());

    let draft =
        std::fs::read_to_string(content.join("2020/12/ke-hoach-kiem-tra-do-luong-nam-2021.md"))
            .unwrap();
    assert!(draft.contains("\ndraft: true\n"), "{draft}");
    assert!(
        draft.ends_with(
            "---\n\n### Mục tiêu\n\nKiểm tra *phương tiện đo* tại các chợ, như đã nêu tại \
             [hội thảo](../../2020/10/hoi-thao-ung-dung-cong-nghe-sinh-hoc.md).\n"
        ),
        "{draft}"
    );

    site.build_ok();
    let files = list_files(&site.public());
    let page = files
        .iter()
        .find(|f| f.contains("hoi-thao-ung-dung-cong-nghe-sinh-hoc") && f.ends_with(".html"))
        .unwrap_or_else(|| panic!("no article page in {files:?}"));
    let html = site.read(page);
    assert!(
        main_of(&html).contains("<figcaption>Các đại biểu tham quan mô hình</figcaption>"),
        "{html}"
    );
    assert!(
        !files.iter().any(|f| f.contains("ke-hoach-kiem-tra")),
        "a draft was published"
    );
    // The old permalink is a redirect page; the shortlink a server rule.
    assert!(
        site.read("2020/10/13/hoi-thao-cong-nghe-sinh-hoc/index.html")
            .contains("hoi-thao-ung-dung-cong-nghe-sinh-hoc"),
        "{files:?}"
    );
    let map = site.read("server/nginx-map.conf");
    assert!(
        map.lines()
            .any(|l| l.contains("/?p=101") && l.contains("hoi-thao-ung-dung")),
        "{map}"
    );
}

#[test]
fn a_file_that_is_no_wordpress_export_is_refused_by_name() {
    let site = site_with_export();
    site.write("khac.xml", "<?xml version=\"1.0\"?><urlset></urlset>");
    let out = site.run(&["import", "--from-wordpress", "khac.xml"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("khac.xml: is not a WordPress export"),
        "{}",
        text(&out)
    );
}
