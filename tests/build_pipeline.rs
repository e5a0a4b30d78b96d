//! End-to-end tests of the build: a fixture site in, the documented pages out.

mod common;

use common::{article, attr_values, between, list_files, main_of, only_problem, snapshot, Site};
use trangtin::{BuildOptions, Severity};

const CHUNG: &str = "Chung";

/// A site with five articles in "Chung" (1 to 5 October 2020) and two items a page.
fn five_articles_two_a_page() -> Site {
    let site = Site::new(&[("config.yaml", "per_page: 2\n")]);
    for day in 1..=5 {
        site.write(
            &format!("content/2020/10/bai-{day}.md"),
            &article(
                &format!("Bài {day}"),
                &format!("2020-10-0{day} 08:00"),
                CHUNG,
                "x\n",
            ),
        );
    }
    site
}

// ---------------------------------------------------------------------------------------------
// Pages at the documented URLs
// ---------------------------------------------------------------------------------------------

#[test]
fn writes_every_kind_of_page_at_its_documented_url() {
    let site = Site::new(&[
        (
            "content/2020/10/hoi-nghi-tong-ket.md",
            &article("Hội nghị tổng kết năm 2020", "2020-10-13 07:57:32", CHUNG, "Nội dung hội nghị.\n"),
        ),
        (
            "content/gioi-thieu.md",
            "---\ntitle: Giới thiệu\nlayout: page\nslug: gioi-thieu\n---\nChức năng, nhiệm vụ của Sở.\n",
        ),
    ]);
    site.write_bytes("content/files/2020/bao-cao.pdf", b"%PDF-1.4 fixture");
    // (A GIF is copied as it is; a photo no article shows is not published: see
    // tests/media_pictures.rs.)
    site.write_bytes("content/images/2020/10/anh.gif", b"GIF89a fixture");
    site.build_ok();

    let home = site.read("index.html");
    assert!(
        home.contains("href=\"/chung/hoi-nghi-tong-ket/\""),
        "home links the article:\n{home}"
    );

    let page = site.read("chung/hoi-nghi-tong-ket/index.html");
    assert!(page.contains("Nội dung hội nghị."), "{page}");

    let listing = site.read("chung/index.html");
    assert!(
        main_of(&listing).contains("href=\"/chung/hoi-nghi-tong-ket/\""),
        "{listing}"
    );
    assert!(
        !site.exists("chung/trang/1/index.html"),
        "one article makes one listing page"
    );

    let about = site.read("gioi-thieu/index.html");
    assert!(about.contains("Chức năng, nhiệm vụ của Sở."), "{about}");
    assert!(main_of(&about).contains("Giới thiệu"), "{about}");

    assert_eq!(
        std::fs::read(site.public().join("files/2020/bao-cao.pdf")).unwrap(),
        b"%PDF-1.4 fixture"
    );
    assert_eq!(
        std::fs::read(site.public().join("images/2020/10/anh.gif")).unwrap(),
        b"GIF89a fixture"
    );
    assert!(
        !site.exists("gioi-thieu.md"),
        "Markdown sources are not copied"
    );

    let css = site.read("css/style.css");
    assert!(
        css.contains('{') && css.len() > 100,
        "the theme's stylesheet is copied"
    );
    assert!(home.contains("href=\"/css/style.css?v="), "{home}");
}

/// The `?v=` of the stylesheet's link on the home page.
fn style_version(site: &Site) -> String {
    let home = site.read("index.html");
    let needle = "href=\"/css/style.css?v=";
    let at = home.find(needle).expect("the stylesheet's link") + needle.len();
    home[at..].split('"').next().unwrap().to_string()
}

#[test]
fn a_changed_stylesheet_is_linked_at_a_new_address() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        &article("A", "2020-10-13", "Chung", "x\n"),
    )]);
    site.build_ok();
    let before = style_version(&site);
    assert_eq!(before.len(), 10, "{before}");
    assert!(site.read("index.html").contains("src=\"/js/site.js?v="));
    site.write(
        "themes/tin-hoat-dong/static/css/style.css",
        "body { color: red }\n",
    );
    site.build_ok();
    let after = style_version(&site);
    assert_ne!(before, after, "a new theme is a new address");
    assert_eq!(site.read("css/style.css"), "body { color: red }\n");
    site.build_ok();
    assert_eq!(
        style_version(&site),
        after,
        "an unchanged file keeps its address"
    );
}

#[test]
fn a_category_with_more_articles_than_per_page_gets_older_pages_numbered_from_the_oldest() {
    let site = five_articles_two_a_page();
    site.build_ok();
    assert!(site.exists("chung/index.html"));
    assert!(site.exists("chung/trang/1/index.html"));
    assert!(site.exists("chung/trang/2/index.html"));
    assert!(
        !site.exists("chung/trang/3/index.html"),
        "{:?}",
        list_files(&site.public())
    );
}

// ---------------------------------------------------------------------------------------------
// Titles and dates
// ---------------------------------------------------------------------------------------------

#[test]
fn the_article_page_shows_the_title_and_the_vietnamese_date() {
    let site = Site::new(&[(
        "content/2020/10/hoi-thao.md",
        &article(
            "Hội thảo ứng dụng công nghệ",
            "2020-10-13 07:57:32",
            CHUNG,
            "Nội dung.\n",
        ),
    )]);
    site.build_ok();
    let page = site.read("chung/hoi-thao/index.html");
    let main = main_of(&page);
    assert!(
        main.contains("<h1 class=\"article-title\">Hội thảo ứng dụng công nghệ</h1>"),
        "{main}"
    );
    assert!(main.contains(">13/10/2020 07:57:32</time>"), "{main}");
    assert!(
        page.contains("<title>Hội thảo ứng dụng công nghệ – "),
        "{page}"
    );
}

#[test]
fn a_date_without_offset_is_in_vietnam_time() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        &article("A", "2020-10-13 07:57:32", CHUNG, "x\n"),
    )]);
    site.build_ok();
    let page = site.read("chung/a/index.html");
    assert!(
        page.contains("datetime=\"2020-10-13T07:57:32+07:00\""),
        "{page}"
    );
}

#[test]
fn accepts_each_documented_date_format() {
    let cases = [
        (
            "ngay",
            "2020-10-13",
            "13/10/2020 00:00:00",
            "2020-10-13T00:00:00+07:00",
        ),
        (
            "phut",
            "2020-10-13 07:57",
            "13/10/2020 07:57:00",
            "2020-10-13T07:57:00+07:00",
        ),
        (
            "giay",
            "2020-10-13 07:57:32",
            "13/10/2020 07:57:32",
            "2020-10-13T07:57:32+07:00",
        ),
        (
            "rfc",
            "2020-10-13T07:57:32+07:00",
            "13/10/2020 07:57:32",
            "2020-10-13T07:57:32+07:00",
        ),
        (
            "utc",
            "2020-10-13T00:57:32Z",
            "13/10/2020 07:57:32",
            "2020-10-13T07:57:32+07:00",
        ),
    ];
    let site = Site::new(&[]);
    for (slug, date, _, _) in cases {
        site.write(
            &format!("content/2020/10/{slug}.md"),
            &article(slug, date, CHUNG, "x\n"),
        );
    }
    site.build_ok();
    for (slug, date, shown, iso) in cases {
        let page = site.read(&format!("chung/{slug}/index.html"));
        let main = main_of(&page);
        assert!(
            main.contains(&format!(">{shown}</time>")),
            "{date} should show as {shown}:\n{main}"
        );
        assert!(
            main.contains(&format!("datetime=\"{iso}\"")),
            "{date} should be {iso}:\n{main}"
        );
    }
}

/// The sidebar is rendered once per build and shared, except on the first page of a category,
/// where that category is marked as the current page. It lists no articles: "Tin mới" links
/// to the home page's latest news and names the fragment the theme's script loads instead.
#[test]
fn the_sidebar_is_shared_and_marks_the_current_category() {
    let site = five_articles_two_a_page();
    site.build_ok();
    let aside = |path: &str| between(&site.read(path), "<aside", "</aside>").to_string();
    let article = aside("chung/bai-3/index.html");
    assert!(!article.contains("href=\"/chung/bai-"), "{article}");
    assert!(
        article.contains("href=\"/#tin-moi-nhat\" data-latest=\"/tin-moi.html\""),
        "{article}"
    );
    let latest = site.read("tin-moi.html");
    assert!(latest.contains("href=\"/chung/bai-5/\""), "{latest}");
    assert!(!latest.contains("<html"), "a fragment: {latest}");
    assert!(
        site.read("index.html").contains("id=\"tin-moi-nhat\""),
        "the link's target"
    );
    assert!(!article.contains("aria-current"), "{article}");
    assert_eq!(aside("index.html"), article);
    assert_eq!(aside("chung/trang/2/index.html"), article);
    let category = aside("chung/index.html");
    assert!(
        category.contains("href=\"/chung/\" aria-current=\"page\""),
        "{category}"
    );
    assert_eq!(category.replace(" aria-current=\"page\"", ""), article);
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/// How many of the five article URLs appear in `html`, each counted once per occurrence.
fn article_links(html: &str) -> Vec<usize> {
    (1..=5)
        .filter(|n| html.contains(&format!("href=\"/chung/bai-{n}/\"")))
        .map(|n| html.matches(&format!("href=\"/chung/bai-{n}/\"")).count())
        .collect()
}

#[test]
fn pagination_splits_five_articles_into_full_pages_counted_from_the_oldest() {
    let site = five_articles_two_a_page();
    site.build_ok();
    let pages = [
        site.read("chung/index.html"),
        site.read("chung/trang/2/index.html"),
        site.read("chung/trang/1/index.html"),
    ];
    // Inside <main>, article URLs appear only in the list (the sidebar is outside it).
    let lists: Vec<&str> = pages.iter().map(|p| main_of(p)).collect();
    // The newest page has 5 and 4; older pages are full and cut from the oldest: page 1 has
    // 1 and 2, page 2 has 3 and 4 (4 is on the newest page too).
    let expected: [&[usize]; 3] = [&[4, 5], &[3, 4], &[1, 2]];
    for (page, (list, wanted)) in lists.iter().zip(expected).enumerate() {
        let present: Vec<usize> = (1..=5)
            .filter(|n| list.contains(&format!("href=\"/chung/bai-{n}/\"")))
            .collect();
        assert_eq!(present, wanted, "articles on page {page}:\n{list}");
        assert!(
            article_links(list).iter().all(|&c| c == 1),
            "each item once:\n{list}"
        );
    }
    let main: Vec<&str> = pages.iter().map(|p| main_of(p)).collect();
    assert!(!main[0].contains("rel=\"prev\""), "{}", main[0]);
    assert!(
        main[0].contains("href=\"/chung/trang/2/\" rel=\"next\""),
        "{}",
        main[0]
    );
    assert!(main[0].contains("5 bài viết"), "{}", main[0]);
    assert!(
        main[1].contains("href=\"/chung/\" rel=\"prev\""),
        "{}",
        main[1]
    );
    assert!(
        main[1].contains("href=\"/chung/trang/1/\" rel=\"next\""),
        "{}",
        main[1]
    );
    assert!(
        main[2].contains("href=\"/chung/trang/2/\" rel=\"prev\""),
        "{}",
        main[2]
    );
    assert!(!main[2].contains("rel=\"next\""), "{}", main[2]);
    // An older page shows no total: it would change with every article published.
    assert!(!main[2].contains("bài viết ("), "{}", main[2]);
    assert!(main[2].contains("– Trang 1"), "{}", main[2]);
}

// ---------------------------------------------------------------------------------------------
// Slugs
// ---------------------------------------------------------------------------------------------

#[test]
fn vietnamese_file_names_and_slugs_become_ascii_urls() {
    let site = Site::new(&[
        (
            "content/2020/10/Đổi mới sáng tạo.md",
            &article("Đổi mới sáng tạo", "2020-10-13", "Khoa học và Công nghệ", "x\n"),
        ),
        (
            "content/2020/10/bai-2.md",
            "---\ntitle: Bài hai\ndate: 2020-10-14\ncategory: Khoa học và Công nghệ\nslug: \"Khởi nghiệp: “Đổi mới” & phát triển\"\n---\nx\n",
        ),
    ]);
    site.build_ok();
    assert!(
        site.exists("khoa-hoc-va-cong-nghe/doi-moi-sang-tao/index.html"),
        "{:?}",
        list_files(&site.public())
    );
    assert!(
        site.exists("khoa-hoc-va-cong-nghe/khoi-nghiep-doi-moi-phat-trien/index.html"),
        "{:?}",
        list_files(&site.public())
    );
    assert!(site.exists("khoa-hoc-va-cong-nghe/index.html"));
}

#[test]
fn same_slug_in_one_category_gives_the_newer_article_a_suffix_and_a_warning() {
    // The newer article's path sorts first, so only date order can give the right answer.
    let site = Site::new(&[
        (
            "content/a/hoi-nghi.md",
            &article("Hội nghị 2021", "2021-01-05 09:00", CHUNG, "Mới.\n"),
        ),
        (
            "content/b/hoi-nghi.md",
            &article("Hội nghị 2020", "2020-10-13 09:00", CHUNG, "Cũ.\n"),
        ),
    ]);
    let report = site.build_ok();
    assert!(site
        .read("chung/hoi-nghi/index.html")
        .contains("Hội nghị 2020"));
    assert!(site
        .read("chung/hoi-nghi-2/index.html")
        .contains("Hội nghị 2021"));
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(report.warnings.len(), 1, "{warnings:?}");
    let w = &report.warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.file, std::path::Path::new("content/a/hoi-nghi.md"));
    assert!(w.message.contains("hoi-nghi-2"), "{}", w);
    assert!(
        w.message.contains("content/b/hoi-nghi.md"),
        "names the other article: {w}"
    );
}

#[test]
fn same_slug_in_different_categories_is_no_collision() {
    let site = Site::new(&[
        (
            "content/a/hoi-nghi.md",
            &article("A", "2021-01-05", CHUNG, "x\n"),
        ),
        (
            "content/b/hoi-nghi.md",
            &article("B", "2020-10-13", "Thông báo", "x\n"),
        ),
    ]);
    let report = site.build_ok();
    assert!(site.exists("chung/hoi-nghi/index.html"));
    assert!(site.exists("thong-bao/hoi-nghi/index.html"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

// ---------------------------------------------------------------------------------------------
// Unicode normalization, line endings, BOM, rules in the body
// ---------------------------------------------------------------------------------------------

#[test]
fn nfd_input_joins_the_nfc_category_and_comes_out_as_nfc() {
    // "Khoa học" with U+0323 COMBINING DOT BELOW instead of the precomposed ọ.
    let nfd_category = "Khoa ho\u{0323}c";
    let nfd_title = "Nghie\u{0302}\u{0323}m thu đe\u{0302}\u{0300} ta\u{0300}i";
    let site = Site::new(&[
        (
            "content/2020/10/nfc.md",
            &article("Bài NFC", "2020-10-13", "Khoa học", "x\n"),
        ),
        (
            "content/2020/10/nfd.md",
            &article(
                nfd_title,
                "2020-10-14",
                nfd_category,
                "Ke\u{0302}\u{0301}t qua\u{0309}.\n",
            ),
        ),
    ]);
    site.build_ok();
    let listing = site.read("khoa-hoc/index.html");
    let list = main_of(&listing);
    assert!(list.contains("href=\"/khoa-hoc/nfc/\""), "{list}");
    assert!(list.contains("href=\"/khoa-hoc/nfd/\""), "{list}");
    let dirs: Vec<String> = list_files(&site.public())
        .into_iter()
        .filter(|f| f.ends_with("/nfd/index.html"))
        .collect();
    assert_eq!(dirs, ["khoa-hoc/nfd/index.html"]);

    let page = site.read("khoa-hoc/nfd/index.html");
    assert!(
        page.contains("Nghiệm thu đề tài"),
        "the title in NFC:\n{page}"
    );
    assert!(page.contains("Kết quả."), "the body in NFC:\n{page}");
    for file in list_files(&site.public())
        .iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = site.read(file);
        for mark in ['\u{0300}', '\u{0301}', '\u{0302}', '\u{0309}', '\u{0323}'] {
            assert!(
                !html.contains(mark),
                "{file} has the combining mark U+{:04X}",
                mark as u32
            );
        }
    }
}

#[test]
fn an_nfd_file_name_gives_the_same_url_as_nfc() {
    let site = Site::new(&[(
        "content/2020/10/Ho\u{0323}i nghi\u{0323}.md",
        &article("Hội nghị", "2020-10-13", CHUNG, "x\n"),
    )]);
    site.build_ok();
    assert!(
        site.exists("chung/hoi-nghi/index.html"),
        "{:?}",
        list_files(&site.public())
    );
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_read() {
    let site = Site::new(&[(
        "content/2020/10/windows.md",
        "\u{feff}---\r\ntitle: Soạn trên Windows\r\ndate: 2020-10-13 07:57:32\r\ncategory: Chung\r\n---\r\nDòng **đậm**.\r\n\r\nĐoạn hai.\r\n",
    )]);
    site.build_ok();
    let page = site.read("chung/windows/index.html");
    let main = main_of(&page);
    assert!(main.contains(">Soạn trên Windows</h1>"), "{main}");
    assert!(main.contains("<strong>đậm</strong>"), "{main}");
    assert!(main.contains("<p>Đoạn hai.</p>"), "{main}");
    assert!(!page.contains('\r'), "no carriage returns in the output");
    assert!(
        !page.contains('\u{feff}'),
        "no byte order mark in the output"
    );
}

#[test]
fn a_dashed_line_in_the_body_is_a_horizontal_rule() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        &article(
            "A",
            "2020-10-13",
            CHUNG,
            "Đoạn một.\n\n---\n\ntitle: không phải front matter\n",
        ),
    )]);
    site.build_ok();
    let page = site.read("chung/a/index.html");
    let body = between(&page, "<div class=\"article-body\">", "</div>");
    assert!(body.contains("<p>Đoạn một.</p>"), "{body}");
    assert!(body.contains("<hr"), "{body}");
    assert!(body.contains("title: không phải front matter"), "{body}");
}

// ---------------------------------------------------------------------------------------------
// Drafts and future articles
// ---------------------------------------------------------------------------------------------

fn site_with_draft_and_future() -> Site {
    Site::new(&[
        (
            "content/2020/10/cong-khai.md",
            &article("Công khai", "2020-10-13", CHUNG, "x\n"),
        ),
        (
            "content/2020/10/ban-nhap.md",
            "---\ntitle: Bản nháp\ndate: 2020-10-14\ncategory: Chung\ndraft: true\n---\nx\n",
        ),
        // 1/12/2026 is after the tests' "now" (29/11/2026).
        (
            "content/2026/12/sap-dang.md",
            &article("Sắp đăng", "2026-12-01 08:00", CHUNG, "x\n"),
        ),
    ])
}

#[test]
fn drafts_and_future_articles_are_held_back() {
    let site = site_with_draft_and_future();
    let report = site.build_ok();
    assert_eq!(report.held_back, 2);
    assert_eq!(report.articles, 1);
    assert!(site.exists("chung/cong-khai/index.html"));
    assert!(!site.exists("chung/ban-nhap/index.html"));
    assert!(!site.exists("chung/sap-dang/index.html"));
    for file in list_files(&site.public())
        .iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = site.read(file);
        for hidden in ["ban-nhap", "Bản nháp", "sap-dang", "Sắp đăng"] {
            assert!(
                !html.contains(hidden),
                "{file} mentions held-back `{hidden}`"
            );
        }
    }
}

#[test]
fn the_drafts_option_includes_drafts_and_future_articles() {
    let site = site_with_draft_and_future();
    let report = trangtin::build(&BuildOptions {
        drafts: true,
        ..site.options()
    })
    .unwrap();
    assert_eq!(report.held_back, 0);
    assert_eq!(report.articles, 3);
    assert!(site.read("chung/ban-nhap/index.html").contains("Bản nháp"));
    assert!(site.read("chung/sap-dang/index.html").contains("Sắp đăng"));
    let list = main_of(&site.read("chung/index.html")).to_string();
    for url in ["/chung/cong-khai/", "/chung/ban-nhap/", "/chung/sap-dang/"] {
        assert!(
            list.contains(&format!("href=\"{url}\"")),
            "{url} in the listing:\n{list}"
        );
    }
    assert!(main_of(&site.read("index.html")).contains("href=\"/chung/ban-nhap/\""));
}

#[test]
fn an_article_dated_exactly_now_is_published() {
    let site = Site::new(&[(
        "content/2026/11/dung-gio.md",
        &article("Đúng giờ", "2026-11-29 12:00", CHUNG, "x\n"),
    )]);
    let report = site.build_ok();
    assert_eq!(report.held_back, 0);
    assert!(site.exists("chung/dung-gio/index.html"));
}

// ---------------------------------------------------------------------------------------------
// Links between articles
// ---------------------------------------------------------------------------------------------

#[test]
fn a_relative_md_link_becomes_the_article_url() {
    let site = Site::new(&[
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", CHUNG, "x\n"),
        ),
        (
            "content/2020/11/b.md",
            &article(
                "B",
                "2020-11-02",
                "Thông báo",
                "Xem [bài A](../10/a.md#ket-qua) và [lại](/2020/10/a.md).\n",
            ),
        ),
    ]);
    site.build_ok();
    let body = between(
        &site.read("thong-bao/b/index.html"),
        "<div class=\"article-body\">",
        "</div>",
    )
    .to_string();
    assert!(
        body.contains("<a href=\"/chung/a/#ket-qua\">bài A</a>"),
        "{body}"
    );
    assert!(body.contains("<a href=\"/chung/a/\">lại</a>"), "{body}");
}

#[test]
fn a_link_to_a_missing_md_file_fails_naming_file_line_and_link() {
    let site = Site::new(&[(
        "content/2020/11/b.md",
        // Front matter is lines 1–5; the link is on line 8.
        &article(
            "B",
            "2020-11-02",
            CHUNG,
            "Đoạn một.\n\nXem [bài cũ](khong-co.md).\n",
        ),
    )]);
    let err = site.build_err();
    let p = only_problem(&err);
    assert_eq!(p.file, std::path::Path::new("content/2020/11/b.md"));
    assert_eq!(p.line, Some(8), "{p}");
    let text = p.to_string();
    assert!(text.starts_with("content/2020/11/b.md:8: "), "{text}");
    assert!(text.contains("khong-co.md"), "{text}");
    assert!(!site.public().exists(), "nothing is written");
}

#[test]
fn a_link_to_a_draft_is_plain_text_with_a_warning() {
    let site = Site::new(&[
        (
            "content/2020/10/nhap.md",
            "---\ntitle: Nháp\ndate: 2020-10-13\ncategory: Chung\ndraft: true\n---\nx\n",
        ),
        (
            "content/2020/11/b.md",
            &article(
                "B",
                "2020-11-02",
                CHUNG,
                "Xem [bản nháp](../10/nhap.md) nhé.\n",
            ),
        ),
    ]);
    let report = site.build_ok();
    let body = between(
        &site.read("chung/b/index.html"),
        "<div class=\"article-body\">",
        "</div>",
    )
    .to_string();
    assert!(body.contains("Xem bản nháp nhé."), "{body}");
    assert!(!body.contains("nhap.md"), "{body}");
    let warning = report
        .warnings
        .iter()
        .find(|w| w.file == std::path::Path::new("content/2020/11/b.md"))
        .unwrap_or_else(|| panic!("a warning about b.md: {:?}", report.warnings));
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.line, Some(6));
    assert!(
        warning.message.contains("nhap.md") && warning.message.contains("draft"),
        "{warning}"
    );
}

// ---------------------------------------------------------------------------------------------
// Base path
// ---------------------------------------------------------------------------------------------

#[test]
fn with_a_base_path_every_generated_link_starts_with_it() {
    let site = Site::new(&[
        (
            "config.yaml",
            "base_url: https://example.gov.vn/tin-tuc/\nper_page: 1\nmenu:\n  - {name: Giới thiệu, url: /gioi-thieu/}\n",
        ),
        (
            "content/2020/10/a.md",
            "---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\nimage: /images/2020/a.jpg\ntags: [khoa học]\n---\n\
             Xem [giới thiệu](/gioi-thieu/).\n\n![Ảnh hội nghị](/images/2020/b.jpg)\n\n![Ảnh bên cạnh](anh-ben-canh.jpg)\n",
        ),
        ("content/2020/10/b.md", &article("B", "2020-10-14", CHUNG, "Xem [A](a.md).\n")),
        ("content/gioi-thieu.md", "---\ntitle: Giới thiệu\nlayout: page\nslug: gioi-thieu\n---\nx\n"),
    ]);
    site.photo("content/2020/10/anh-ben-canh.jpg", 64, 48);
    site.photo("content/images/2020/a.jpg", 64, 48);
    site.photo("content/images/2020/b.jpg", 64, 48);
    site.build_ok();

    // The output folder is the site root; the base path is only in the links. Photos are
    // published processed (64 px wide: one width), beside where the original was.
    assert!(site.exists("chung/a/index.html"));
    assert!(site.exists("chung/trang/1/index.html"));
    assert!(site.exists("2020/10/anh-ben-canh.64.webp"));
    assert!(site.exists("2020/10/anh-ben-canh.64.jpg"));
    assert!(!site.exists("2020/10/anh-ben-canh.jpg"));
    assert!(!site.public().join("tin-tuc").exists());

    let page = site.read("chung/a/index.html");
    let body = between(&page, "<div class=\"article-body\">", "</div>");
    assert!(body.contains("href=\"/tin-tuc/gioi-thieu/\""), "{body}");
    assert!(
        body.contains("srcset=\"/tin-tuc/images/2020/b.64.webp 64w\""),
        "{body}"
    );
    assert!(
        body.contains("src=\"/tin-tuc/2020/10/anh-ben-canh.64.jpg\""),
        "{body}"
    );
    assert!(
        main_of(&page).contains("src=\"/tin-tuc/images/2020/a.64.jpg\""),
        "front-matter image:\n{page}"
    );
    assert!(
        page.contains("content=\"https://example.gov.vn/tin-tuc/images/2020/a.64.jpg\""),
        "og:image:\n{page}"
    );
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://example.gov.vn/tin-tuc/chung/a/\">"),
        "{page}"
    );
    let b = site.read("chung/b/index.html");
    assert!(b.contains("href=\"/tin-tuc/chung/a/\">A</a>"), "{b}");

    let mut checked = 0;
    for file in list_files(&site.public())
        .iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = site.read(file);
        for attr in ["href", "src", "action", "srcset"] {
            for url in attr_values(&html, attr)
                .into_iter()
                .flat_map(|v| v.split(", ").map(|u| u.split(' ').next().unwrap_or(u)))
            {
                if url.starts_with('/') {
                    checked += 1;
                    assert!(
                        url.starts_with("/tin-tuc/"),
                        "{file}: {attr}=\"{url}\" lacks the base path"
                    );
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} site links found");
}

// ---------------------------------------------------------------------------------------------
// Configuration: categories and sections
// ---------------------------------------------------------------------------------------------

#[test]
fn an_undeclared_category_fails_suggesting_the_closest_one() {
    let site = Site::new(&[
        (
            "config.yaml",
            "categories:\n  - name: Chung\n  - name: Khoa học công nghệ\n  - name: Thông báo\n",
        ),
        (
            "content/2020/10/a.md",
            "---\ntitle: A\ndate: 2020-10-13\ncategory: Khoa hoc cong nge\n---\nx\n",
        ),
    ]);
    let err = site.build_err();
    let p = only_problem(&err);
    assert_eq!(p.file, std::path::Path::new("content/2020/10/a.md"));
    assert_eq!(p.line, Some(4));
    assert_eq!(p.field.as_deref(), Some("category"));
    assert!(
        p.message.contains("did you mean `Khoa học công nghệ`"),
        "{p}"
    );
}

#[test]
fn an_undeclared_category_far_from_every_name_fails_without_a_suggestion() {
    let site = Site::new(&[
        ("config.yaml", "categories:\n  - name: Chung\n"),
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", "Văn bản pháp quy", "x\n"),
        ),
    ]);
    let p = only_problem(&site.build_err());
    assert!(p.message.contains("Văn bản pháp quy"), "{p}");
    assert!(!p.message.contains("did you mean"), "{p}");
}

#[test]
fn declared_categories_match_whatever_the_case() {
    let site = Site::new(&[
        (
            "config.yaml",
            "categories:\n  - name: Thông báo\n    slug: tb\n",
        ),
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", "THÔNG BÁO", "x\n"),
        ),
    ]);
    site.build_ok();
    assert!(
        site.exists("tb/a/index.html"),
        "{:?}",
        list_files(&site.public())
    );
}

#[test]
fn without_categories_in_config_they_come_from_the_articles() {
    let site = Site::new(&[
        ("config.yaml", "title: Trang tin\n"),
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", "Tin hoạt động", "x\n"),
        ),
        (
            "content/2020/10/b.md",
            &article("B", "2020-10-14", "Thông báo", "x\n"),
        ),
        (
            "content/2020/10/c.md",
            &article("C", "2020-10-15", "tin hoạt động", "x\n"),
        ),
    ]);
    site.build_ok();
    let tin = site.read("tin-hoat-dong/index.html");
    let list = main_of(&tin);
    assert!(
        list.contains("/tin-hoat-dong/a/") && list.contains("/tin-hoat-dong/c/"),
        "{list}"
    );
    assert!(site.exists("thong-bao/b/index.html"));
    let home = site.read("index.html");
    assert!(home.contains("href=\"/tin-hoat-dong/\""), "{home}");
    assert!(home.contains("href=\"/thong-bao/\""), "{home}");
}

#[test]
fn the_section_of_a_category_is_in_the_article_breadcrumb() {
    let site = Site::new(&[
        (
            "config.yaml",
            "categories:\n  - name: Chung\n    section: Tin Hoạt động\n  - name: Thông báo\n",
        ),
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", CHUNG, "x\n"),
        ),
        (
            "content/2020/10/b.md",
            &article("B", "2020-10-13", "Thông báo", "x\n"),
        ),
    ]);
    site.build_ok();
    let page = site.read("chung/a/index.html");
    let crumbs = between(&page, "<nav class=\"breadcrumb\"", "</nav>");
    assert!(
        crumbs.contains("<a href=\"/tin-hoat-dong/\">Tin Hoạt động</a>"),
        "{crumbs}"
    );
    assert!(crumbs.contains("<a href=\"/chung/\">Chung</a>"), "{crumbs}");
    assert!(
        crumbs.find("Tin Hoạt động").unwrap() < crumbs.find(">Chung<").unwrap(),
        "the section comes before the category: {crumbs}"
    );
    let other = site.read("thong-bao/b/index.html");
    let crumbs = between(&other, "<nav class=\"breadcrumb\"", "</nav>");
    assert!(
        !crumbs.contains("Tin Hoạt động"),
        "a category without a section: {crumbs}"
    );
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

#[test]
fn a_site_template_overrides_the_theme_template() {
    let site = Site::new(&[
        ("content/2020/10/a.md", &article("Bài A", "2020-10-13", CHUNG, "Nội dung.\n")),
        (
            "templates/article.html",
            "<p id=\"ghi-de\">{{ article.title }} | {{ article.date | datetime_vn }} | {{ article.category.name }}</p>\n",
        ),
    ]);
    site.build_ok();
    assert_eq!(
        site.read("chung/a/index.html"),
        "<p id=\"ghi-de\">Bài A | 13/10/2020 00:00:00 | Chung</p>\n"
    );
    let listing = site.read("chung/index.html");
    assert!(
        listing.contains("<main"),
        "other templates still come from the theme"
    );
}

#[test]
fn a_template_syntax_error_names_the_template_file_and_line() {
    let site = Site::new(&[
        ("content/2020/10/a.md", &article("A", "2020-10-13", CHUNG, "x\n")),
        ("templates/article.html", "<h1>{{ article.title }}</h1>\n<p>ok</p>\n{% if article.title %}\n<p>{{ article.title | }}</p>\n"),
    ]);
    let err = site.build_err();
    let text = err.to_string();
    match &err {
        trangtin::Error::Template { location, .. } => {
            assert!(
                location.starts_with("templates/article.html:"),
                "{location}"
            );
            let line: usize = location.rsplit(':').next().unwrap().parse().unwrap();
            assert!((3..=5).contains(&line), "{location}");
        }
        other => panic!("expected a template error, got {other:?}"),
    }
    assert!(text.contains("templates/article.html:"), "{text}");
    assert!(!site.public().exists(), "nothing is written");
}

// ---------------------------------------------------------------------------------------------
// Atomic output
// ---------------------------------------------------------------------------------------------

/// What is beside the output folder but its lock file, the generation it links to and the
/// previous build's (deleted by the next build).
fn leftovers_beside_output(site: &Site) -> Vec<String> {
    let current = std::fs::read_link(site.public()).ok();
    std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") || n.contains("staging"))
        .filter(|n| n != ".public.lock" && n != ".public.prev")
        .filter(|n| current.as_deref() != Some(std::path::Path::new(n)))
        .collect()
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let site = Site::new(&[
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", CHUNG, "x\n"),
        ),
        (
            "content/2020/10/b.md",
            &article("B", "2020-10-14", CHUNG, "x\n"),
        ),
    ]);
    site.build_ok();
    let before = snapshot(&site.public());
    assert!(before.contains_key("chung/a/index.html"));

    // A new good article and a bad one: nothing of either may appear.
    site.write(
        "content/2020/10/c.md",
        &article("C", "2020-10-15", CHUNG, "x\n"),
    );
    site.write(
        "content/2020/10/b.md",
        "---\ntitle: B\ndate: ngày mai\ncategory: Chung\n---\nx\n",
    );
    site.build_err();
    assert!(
        snapshot(&site.public()) == before,
        "public/ changed after a failed build"
    );
    assert_eq!(leftovers_beside_output(&site), Vec::<String>::new());
}

#[test]
fn a_build_failing_while_rendering_leaves_the_previous_output_untouched() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        &article("A", "2020-10-13", CHUNG, "x\n"),
    )]);
    site.build_ok();
    let before = snapshot(&site.public());
    // Fails at render time, after the staging folder was made.
    site.write("templates/article.html", "{{ article.title | date_vn }}\n");
    site.build_err();
    assert!(
        snapshot(&site.public()) == before,
        "public/ changed after a failed build"
    );
    assert_eq!(leftovers_beside_output(&site), Vec::<String>::new());
}

#[test]
fn a_successful_rebuild_replaces_the_output_and_leaves_no_temporary_folder() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        &article("A", "2020-10-13", CHUNG, "x\n"),
    )]);
    site.build_ok();
    std::fs::remove_file(site.root().join("content/2020/10/a.md")).unwrap();
    site.write(
        "content/2020/10/b.md",
        &article("B", "2020-10-14", CHUNG, "x\n"),
    );
    site.build_ok();
    assert!(
        site.read("chung/a/index.html")
            .contains("Bài viết đã được gỡ"),
        "a removed article's page says so (see tests/stable_urls.rs)"
    );
    assert!(!site.exists("2020/10/a.md"));
    assert!(site.exists("chung/b/index.html"));
    assert_eq!(leftovers_beside_output(&site), Vec::<String>::new());
}

#[test]
fn output_to_a_foreign_non_empty_folder_is_refused_and_left_untouched() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        &article("A", "2020-10-13", CHUNG, "x\n"),
    )]);
    site.write_bytes("tai-lieu/luan-van.docx", b"precious");
    site.write("tai-lieu/index.html", "<p>trang cua toi</p>");
    let before = snapshot(&site.root().join("tai-lieu"));
    let out = site.run(&["build", "--root", ".", "--output", "tai-lieu"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("tai-lieu"), "names the folder: {stderr}");
    assert!(
        snapshot(&site.root().join("tai-lieu")) == before,
        "the folder was changed"
    );
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "temporary folders left: {beside:?}");
}

#[test]
fn output_option_writes_to_the_given_folder_and_rebuilds_it() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        &article("A", "2020-10-13", CHUNG, "x\n"),
    )]);
    for _ in 0..2 {
        let out = site.run(&["build", "--root", ".", "--output", "dau-ra/web"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(site.root().join("dau-ra/web/chung/a/index.html").is_file());
    assert!(!site.public().exists(), "nothing in the default folder");
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

#[test]
fn the_cli_builds_and_prints_the_final_line() {
    let site = Site::new(&[
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", CHUNG, "x\n"),
        ),
        (
            "content/2020/10/b.md",
            &article("B", "2020-10-14", CHUNG, "x\n"),
        ),
        ("content/2020/10/anh.jpg", "jpg"),
    ]);
    let out = site.run(&["build", "--root", site.root().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    let rest = last
        .strip_prefix("Built 2 articles: ")
        .unwrap_or_else(|| panic!("{stdout}"));
    let (pages, rest) = rest
        .split_once(" pages written, ")
        .unwrap_or_else(|| panic!("{last}"));
    let (files, rest) = rest
        .split_once(" files copied in ")
        .unwrap_or_else(|| panic!("{last}"));
    let seconds = rest.strip_suffix(" s").unwrap_or_else(|| panic!("{last}"));
    let pages: usize = pages.parse().unwrap();
    let files: usize = files.parse().unwrap();
    seconds.parse::<f64>().unwrap_or_else(|_| panic!("{last}"));
    let output = list_files(&site.public());
    let html = output.iter().filter(|f| f.ends_with(".html")).count();
    assert!(
        pages >= html && html >= 4,
        "{pages} pages written, {html} HTML files: {output:?}"
    );
    assert!(files >= 2, "the theme's css and js and the image: {last}");
    let made = output
        .iter()
        .filter(|f| !f.starts_with(".trangtin"))
        .count();
    assert_eq!(
        pages + files,
        made,
        "every output file is counted once: {output:?}"
    );
}

#[test]
fn the_cli_lists_every_bad_file_and_exits_with_failure() {
    let site = Site::new(&[
        (
            "content/2020/10/tot.md",
            &article("Tốt", "2020-10-13", CHUNG, "x\n"),
        ),
        (
            "content/2020/10/thieu-ngay.md",
            "---\ntitle: Thiếu ngày\ncategory: Chung\n---\nx\n",
        ),
        (
            "content/2020/11/sai-ngay.md",
            "---\ntitle: Sai ngày\ncategory: Chung\ndate: 31/11/2020\n---\nx\n",
        ),
    ]);
    let out = site.run(&["build", "--root", "."]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("content/2020/10/thieu-ngay.md:1: field `date`: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/2020/11/sai-ngay.md:4: field `date`: "),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
    assert!(!stderr.contains("tot.md"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "no final line on failure: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!site.public().exists());
}

#[test]
fn the_cli_holds_back_drafts_unless_asked() {
    let site = Site::new(&[
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", CHUNG, "x\n"),
        ),
        (
            "content/2020/10/nhap.md",
            "---\ntitle: Nháp\ndate: 2020-10-14\ncategory: Chung\ndraft: true\n---\nx\n",
        ),
        (
            "content/2099/01/tuong-lai.md",
            &article("Tương lai", "2099-01-01", CHUNG, "x\n"),
        ),
    ]);
    let out = site.run(&["build", "--root", "."]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Built 1 articles"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 draft or future article(s) held back"));
    assert!(!site.exists("chung/nhap/index.html"));
    assert!(!site.exists("chung/tuong-lai/index.html"));

    let out = site.run(&["build", "--root", ".", "--drafts"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Built 3 articles"));
    assert!(site.exists("chung/nhap/index.html"));
    assert!(site.exists("chung/tuong-lai/index.html"));
}

#[test]
fn the_cli_prints_warnings_with_file_and_line() {
    let site = Site::new(&[
        (
            "content/a/hoi-nghi.md",
            &article("A", "2021-01-05", CHUNG, "x\n"),
        ),
        (
            "content/b/hoi-nghi.md",
            &article("B", "2020-10-13", CHUNG, "x\n"),
        ),
    ]);
    let out = site.run(&["build", "--root", "."]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/a/hoi-nghi.md: warning: "),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Pages that would land on one output path
// ---------------------------------------------------------------------------------------------

#[test]
fn a_page_whose_slug_is_a_category_fails_naming_the_page() {
    let site = Site::new(&[
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", CHUNG, "x\n"),
        ),
        (
            "content/chung.md",
            "---\ntitle: Trang chung\nlayout: page\nslug: chung\n---\nx\n",
        ),
    ]);
    let err = site.build_err();
    let text = err.to_string();
    assert!(text.contains("content/chung.md"), "{text}");
    assert!(text.contains("chung/index.html"), "{text}");
    assert!(!site.public().exists(), "nothing is written");
}

#[test]
fn an_alias_writes_a_redirect_to_the_article() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        "---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\naliases: [/tin-tuc/chung/12345.html, /cu/bai-a]\n---\nx\n",
    )]);
    site.build_ok();
    for old in ["tin-tuc/chung/12345.html", "cu/bai-a/index.html"] {
        let html = site.read(old);
        assert!(
            html.contains("/chung/a/"),
            "{old} points to the article:\n{html}"
        );
    }
}

#[test]
fn an_article_named_with_an_upper_case_md_ending_is_built_not_copied() {
    let site = Site::new(&[
        (
            "content/2020/10/bai-viet.MD",
            &article("Viết hoa", "2020-10-13", "Chung", "Nội dung.\n"),
        ),
        (
            "content/2020/10/b.md",
            &article("B", "2020-10-14", "Chung", "Xem [bài](bai-viet.MD).\n"),
        ),
    ]);
    site.build_ok();
    assert!(site.read("chung/bai-viet/index.html").contains("Viết hoa"));
    assert!(!site.exists("2020/10/bai-viet.MD"), "not copied as a file");
    assert!(site
        .read("chung/b/index.html")
        .contains("href=\"/chung/bai-viet/\""));
}

#[test]
fn robots_feeds_and_sitemap_can_be_replaced_by_templates() {
    let site = Site::new(&[
        (
            "content/2020/10/a.md",
            &article("Tin <A>", "2020-10-13 07:57:32", "Chung", "Nội dung.\n"),
        ),
        (
            "templates/robots.txt",
            "User-agent: *\nDisallow: /tim-kiem/\nSitemap: {{ sitemap_url }}\n",
        ),
        (
            "templates/rss.xml",
            "<feed title=\"{{ feed.title }}\">{% for item in feed.items %}\
             <item href=\"{{ item.link }}\">{{ item.title }}|{{ item.pub_date }}</item>\
             {% endfor %}</feed>",
        ),
        (
            "templates/sitemap.xml",
            "{% for e in entries %}{{ e.loc }} {{ e.lastmod }}\n{% endfor %}",
        ),
    ]);
    site.build_ok();
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nDisallow: /tim-kiem/\nSitemap: http://localhost:1111/sitemap.xml\n"
    );
    let feed = site.read("chung/rss.xml");
    assert!(
        feed.contains("<item href=\"http://localhost:1111/chung/a/\">Tin &lt;A&gt;|Tue, 13 Oct 2020 07:57:32 +0700</item>"),
        "{feed}"
    );
    assert!(site.read("rss.xml").starts_with("<feed title=\""));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("http://localhost:1111/chung/a/ 2020-10-13T07:57:32+07:00\n"),
        "{sitemap}"
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_content_is_left_out_with_a_warning() {
    let site = Site::new(&[(
        "content/2020/10/a.md",
        &article("A", "2020-10-13", "Chung", "x\n"),
    )]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "do not publish").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.root().join("content/secret.txt"),
    )
    .unwrap();
    let report = site.build_ok();
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/secret.txt: warning: is a symbolic link")),
        "{warnings:?}"
    );
    assert!(!site.exists("secret.txt"));
}

#[test]
fn a_rebuild_that_empties_a_folder_succeeds() {
    // The third build reuses the first build's tree, where luu-tru/2020/09/ loses its
    // only page: the folder goes, and making the tree durable must not trip over it.
    let site = Site::new(&[
        (
            "content/2020/09/a.md",
            &article("A", "2020-09-13", CHUNG, "x\n"),
        ),
        (
            "content/2020/10/b.md",
            &article("B", "2020-10-13", CHUNG, "x\n"),
        ),
    ]);
    site.build_ok();
    site.build_ok();
    std::fs::remove_file(site.root().join("content/2020/09/a.md")).unwrap();
    site.build_ok();
    assert!(!site.exists("luu-tru/2020/09/index.html"));
    site.build_ok();
    assert!(site.exists("luu-tru/2020/10/index.html"));
}

#[test]
fn fields_declared_in_config_reach_templates_as_article_extra() {
    let site = Site::new(&[
        (
            "config.yaml",
            "title: Tin\nextra_fields: [nguon, so_van_ban]\n",
        ),
        (
            "content/2020/10/a.md",
            "---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\nnguon: Báo Sơn Lâm\n---\nx\n",
        ),
        (
            "templates/article.html",
            "<p>{{ article.extra.nguon }}</p><i>{{ article.extra.so_van_ban }}</i>\
             <p>{% if article.extra.so_van_ban %}số {{ article.extra.so_van_ban }}\
             {% else %}không có số{% endif %}</p>\n",
        ),
    ]);
    site.build_ok();
    let page = site.read("chung/a/index.html");
    assert!(page.contains("<p>Báo Sơn Lâm</p>"), "{page}");
    assert!(
        page.contains("<i></i><p>không có số</p>"),
        "a declared field the article does not write is there, empty: {page}"
    );
}
