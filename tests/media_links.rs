//! Featured images and the lead paragraph as readers see them: an `image:` beside the
//! article resolves like a body image on every page that shows it, `og:image` is absolute,
//! and the lead is not printed twice.

mod common;

use common::{attr_values, main_of, Site};

const CONFIG: &str = "title: Tin\nbase_url: https://skhcn.example.gov.vn/tin-tuc/\n\
                      categories:\n  - name: Chung\n";

fn article_with(front: &str, body: &str) -> String {
    format!("---\ntitle: Hội nghị\ndate: 2024-03-02 08:00\ncategory: Chung\n{front}---\n{body}")
}

#[test]
fn a_featured_image_beside_the_article_resolves_on_every_page_that_shows_it() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with("image: \"Ảnh hội nghị 01.jpg\"\n", "Nội dung.\n"),
        ),
    ]);
    site.photo("content/2024/03/Ảnh hội nghị 01.jpg", 64, 48);
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    // Processed (one width: the photo is 64 px wide), named by the file's slug.
    let url = "/tin-tuc/2024/03/anh-hoi-nghi-01.64.jpg";
    for page in [
        "chung/hoi-nghi/index.html",
        "index.html",
        "chung/index.html",
    ] {
        let html = site.read(page);
        assert!(
            attr_values(main_of(&html), "src").contains(&url),
            "{page} shows the image at {url}:\n{}",
            main_of(&html)
        );
    }
    let article = site.read("chung/hoi-nghi/index.html");
    let og = format!("<meta property=\"og:image\" content=\"https://skhcn.example.gov.vn{url}\">");
    assert!(article.contains(&og), "{og} in:\n{article}");
    assert!(site.exists("2024/03/anh-hoi-nghi-01.64.webp"));
    assert!(
        !site.exists("2024/03/Ảnh hội nghị 01.jpg"),
        "the original, with its GPS, is not published"
    );
}

#[test]
fn a_featured_image_that_does_not_exist_is_a_warning_at_its_line() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with("image: thieu.jpg\n", "Nội dung.\n"),
        ),
    ]);
    let report = site.build_ok();
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("content/2024/03/hoi-nghi.md:5: warning: field `image`:"),
        "{warnings:?}"
    );
}

#[test]
fn an_image_on_another_host_keeps_its_address_in_og_image() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with("image: https://cdn.example.vn/a.jpg\n", "Nội dung.\n"),
        ),
    ]);
    site.build_ok();
    let article = site.read("chung/hoi-nghi/index.html");
    assert!(
        article.contains("<meta property=\"og:image\" content=\"https://cdn.example.vn/a.jpg\">"),
        "{article}"
    );
}

#[test]
fn the_lead_is_printed_once_whether_or_not_the_summary_is_written() {
    let without = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with("", "Đoạn mở đầu của bài.\n\nĐoạn thứ hai.\n"),
        ),
    ]);
    without.build_ok();
    let html = without.read("chung/hoi-nghi/index.html");
    assert_eq!(
        main_of(&html).matches("Đoạn mở đầu của bài.").count(),
        1,
        "{html}"
    );
    assert!(!html.contains("article-lead"), "no separate lead:\n{html}");

    let with = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with("summary: Tóm tắt riêng.\n", "Đoạn mở đầu của bài.\n"),
        ),
    ]);
    with.build_ok();
    let html = with.read("chung/hoi-nghi/index.html");
    assert!(
        html.contains("<p class=\"article-lead\">Tóm tắt riêng.</p>"),
        "{html}"
    );
    assert_eq!(main_of(&html).matches("Đoạn mở đầu của bài.").count(), 1);
}

#[test]
fn photos_and_files_named_with_spaces_are_linked_not_printed_as_text() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with(
                "",
                "Mở đầu.\n\n![Quang cảnh](Ảnh hội nghị 02.jpg)\n\n\
                 Xem [Quyết định](/files/QĐ 456.pdf).\n",
            ),
        ),
        ("content/files/QĐ 456.pdf", "%PDF"),
    ]);
    site.photo("content/2024/03/Ảnh hội nghị 02.jpg", 64, 48);
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let html = site.read("chung/hoi-nghi/index.html");
    let body = main_of(&html);
    assert!(!body.contains("]("), "no Markdown left as text:\n{body}");
    assert!(
        attr_values(body, "src").contains(&"/tin-tuc/2024/03/anh-hoi-nghi-02.64.jpg"),
        "{body}"
    );
    assert!(
        attr_values(body, "href").contains(&"/tin-tuc/files/Q%C4%90%20456.pdf"),
        "{body}"
    );
    assert!(site.exists("files/QĐ 456.pdf"));
    let check = trangtin::check::check(&site.options());
    assert_eq!(check.problems.len(), 0, "{:?}", check.problems);
}

#[test]
fn an_old_portal_article_in_raw_html_gets_the_base_path_a_summary_and_search_text() {
    let config = format!("{CONFIG}search: true\n");
    let body = "<p style=\"text-align: justify;\">Sáng 13/10/2020, Sở Khoa học và Công nghệ \
                tổ chức hội nghị tổng kết.</p>\n\
                <p><img src=\"/Uploads/images/hoi-nghi.jpg\" alt=\"Hội nghị\"></p>\n\
                <p>Tải <a href=\"/Uploads/files/bao cao.pdf\">báo cáo</a>.</p>\n";
    let site = Site::new(&[
        ("config.yaml", &config),
        ("content/2020/10/cu.md", &article_with("", body)),
        ("content/Uploads/files/bao cao.pdf", "%PDF"),
    ]);
    site.photo("content/Uploads/images/hoi-nghi.jpg", 64, 48);
    site.build_ok();
    let html = site.read("chung/cu/index.html");
    let main = main_of(&html);
    assert!(
        attr_values(main, "src").contains(&"/tin-tuc/Uploads/images/hoi-nghi.64.jpg"),
        "{main}"
    );
    assert!(
        attr_values(main, "href").contains(&"/tin-tuc/Uploads/files/bao%20cao.pdf"),
        "{main}"
    );
    // The first paragraph is the summary on the home page and in the page description.
    let home = site.read("index.html");
    assert!(
        home.contains("Sáng 13/10/2020, Sở Khoa học và Công nghệ tổ chức hội nghị tổng kết."),
        "{home}"
    );
    // The search index has the article's words.
    let fragments: String = common::snapshot(&site.public())
        .into_iter()
        .filter(|(path, _)| path.starts_with("search/f/"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    assert!(
        fragments.contains("tổ chức hội nghị tổng kết"),
        "{fragments}"
    );
}

#[test]
fn attachments_are_listed_with_their_type_and_size_and_missing_ones_fail() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with(
                "attachments: [\"Kế hoạch 12.docx\", /files/bang-gia.xlsx]\n",
                "Xem [Quyết định](/files/QĐ 456.pdf) và [kế hoạch](Kế hoạch 12.docx).\n",
            ),
        ),
        ("content/2024/03/Kế hoạch 12.docx", &"x".repeat(1_500)),
        ("content/files/bang-gia.xlsx", &"x".repeat(2_345_678)),
        ("content/files/QĐ 456.pdf", "%PDF"),
    ]);
    site.build_ok();
    let html = site.read("chung/hoi-nghi/index.html");
    let list = common::between(&html, "<section class=\"attachments\"", "</section>");
    assert!(list.contains("Tệp đính kèm"), "{list}");
    let items: Vec<&str> = list.matches("<li>").collect();
    assert_eq!(
        items.len(),
        3,
        "each file once, front matter first:\n{list}"
    );
    assert!(
        list.contains("<a href=\"/tin-tuc/2024/03/K%E1%BA%BF%20ho%E1%BA%A1ch%2012.docx\" download>Kế hoạch 12.docx</a> <span class=\"file-meta\">(DOCX, 2 KB)</span>"),
        "{list}"
    );
    assert!(
        list.contains("bang-gia.xlsx</a> <span class=\"file-meta\">(XLSX, 2,4 MB)</span>"),
        "{list}"
    );
    assert!(
        list.contains("QĐ 456.pdf</a> <span class=\"file-meta\">(PDF, 4 B)</span>"),
        "{list}"
    );
    assert!(list.find("Kế hoạch").unwrap() < list.find("QĐ 456").unwrap());

    // A listed file that is missing, and a body link to a missing document, fail the build
    // and check alike, each at its line.
    site.write(
        "content/2024/03/hoi-nghi.md",
        &article_with(
            "attachments: [thieu.pdf]\n",
            "Xem [báo cáo](bao-cao.docx).\n",
        ),
    );
    let errors: Vec<String> = site
        .build_err()
        .to_problems()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().any(|e| e.starts_with(
            "content/2024/03/hoi-nghi.md:5: field `attachments`: attachment `thieu.pdf`"
        )),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/2024/03/hoi-nghi.md:7: attachment `bao-cao.docx`")),
        "{errors:?}"
    );
    let check = trangtin::check::check(&site.options());
    assert_eq!(check.errors(), 2, "{:?}", check.problems);
}
