//! End-to-end tests of site search: the Pagefind bundle under `pagefind/`, the page
//! `/tim-kiem/`, and `search: false`.

mod common;

use common::{article, list_files, main_of, Site};
use trangtin::search::{self, STROKE};

const DO_LUONG: &str = "Tiêu chuẩn - Đo lường - Chất lượng";

fn config(extra: &str) -> String {
    // Search is off by default; these sites turn it on unless the test says otherwise.
    let extra = if extra.contains("search:") {
        extra.to_string()
    } else {
        format!("search: true\n{extra}")
    };
    format!(
        "title: \"Sở KH&CN\"\nbase_url: \"https://example.gov.vn/\"\n{extra}categories:\n  - name: \"Chung\"\n    slug: chung\n  - name: \"{DO_LUONG}\"\n    slug: tieu-chuan-do-luong-chat-luong\n"
    )
}

fn fixture(extra_config: &str) -> Site {
    Site::new(&[
        ("config.yaml", &config(extra_config)),
        (
            "content/2024/03/kiem-tra-do-luong.md",
            &article(
                "Kiểm tra đo lường xăng dầu",
                "2024-03-14 08:30:00",
                DO_LUONG,
                "Đoàn kiểm tra đã kiểm tra 25 cửa hàng xăng dầu.\n",
            ),
        ),
        (
            "content/2023/05/hoi-thao.md",
            &article(
                "Hội thảo khoa học về sở hữu trí tuệ",
                "2023-05-02",
                "Chung",
                "Hội thảo khoa học bàn về bảo hộ sở hữu trí tuệ cho nông sản.\n",
            ),
        ),
        (
            "content/gioi-thieu.md",
            "---\ntitle: Giới thiệu\nlayout: page\nslug: gioi-thieu\n---\nChức năng, nhiệm vụ của Sở.\n",
        ),
    ])
}

#[test]
fn writes_the_pagefind_bundle_and_the_search_page() {
    let site = fixture("");
    let report = site.build_ok();
    assert!(
        report
            .timings
            .iter()
            .any(|(stage, _)| *stage == "search index"),
        "{:?}",
        report.timings
    );
    let files = list_files(&site.public());
    for needed in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.unknown.pagefind",
    ] {
        assert!(files.iter().any(|f| f == needed), "{needed} in {files:?}");
    }
    for (folder, ext) in [
        ("pagefind/index/", ".pf_index"),
        ("pagefind/fragment/", ".pf_fragment"),
        ("pagefind/filter/", ".pf_filter"),
    ] {
        assert!(
            files
                .iter()
                .any(|f| f.starts_with(folder) && f.ends_with(ext)),
            "{folder}*{ext} in {files:?}"
        );
    }
    assert!(files
        .iter()
        .any(|f| f.starts_with("pagefind/pagefind.") && f.ends_with(".pf_meta")));
    assert!(
        !files.iter().any(|f| f.starts_with("pagefind/pagefind-ui")),
        "Pagefind's own UI is not shipped: {files:?}"
    );
    let entry = site.read("pagefind/pagefind-entry.json");
    assert!(entry.contains("\"vi\""), "{entry}");
    assert!(
        entry.contains(STROKE),
        "U+0335 is a word character: {entry}"
    );

    let page = site.read("tim-kiem/index.html");
    let main = main_of(&page);
    assert!(page.contains("src=\"/js/search.js\""), "{page}");
    assert!(page.contains("class=\"kind-search\""), "{page}");
    assert!(main.contains("data-base=\"/\""), "{main}");
    assert!(main.contains("<noscript>"), "{main}");
    assert!(main.contains("cần JavaScript"), "{main}");
    assert!(
        main.contains("href=\"/luu-tru/\""),
        "links the archives: {main}"
    );
    assert!(main.contains("<label for=\"tu-khoa\">"), "{main}");
    assert!(
        main.contains(&format!("<option value=\"{DO_LUONG}\"")),
        "{main}"
    );
    assert!(main.contains("<option value=\"2023\">"), "{main}");
    assert!(main.contains("<option value=\"2024\">"), "{main}");
    // The header box of every page is a plain GET form to the search page.
    let home = site.read("index.html");
    assert!(home.contains("action=\"/tim-kiem/\""), "{home}");
    assert!(site.exists("js/search.js"));
}

#[test]
fn the_build_is_repeatable_so_deploys_upload_nothing_new() {
    let site = fixture("");
    site.build_ok();
    let report = site.build_ok();
    assert_eq!(report.commit.changed, 0, "{:?}", report.commit);
}

#[test]
fn records_carry_the_metadata_the_results_show() {
    let site = fixture("");
    let loaded = trangtin::load_site(&site.options()).unwrap();
    let records = search::records(&loaded);
    assert_eq!(records.len(), 3, "two articles and one page");
    let r = records
        .iter()
        .find(|r| r.url == "/tieu-chuan-do-luong-chat-luong/kiem-tra-do-luong/")
        .unwrap();
    assert_eq!(
        r.meta["title"],
        format!("Kiểm tra d{STROKE}o lường xăng dầu")
    );
    assert_eq!(
        search::display_form(&r.meta["title"]),
        "Kiểm tra đo lường xăng dầu"
    );
    assert_eq!(r.meta["date"], "2024-03-14");
    assert_eq!(r.filters["category"], vec![DO_LUONG.to_string()]);
    assert_eq!(r.filters["year"], vec!["2024".to_string()]);
    assert!(
        r.content.contains(&format!("D{STROKE}oàn kiểm tra")),
        "{}",
        r.content
    );
    let page = records.iter().find(|r| r.url == "/gioi-thieu/").unwrap();
    assert!(page.filters.is_empty(), "{page:?}");
}

#[test]
fn urls_are_relative_to_the_base_path() {
    let site = fixture("");
    site.write(
        "config.yaml",
        &config("").replace("https://example.gov.vn/", "https://example.gov.vn/tin-tuc/"),
    );
    let loaded = trangtin::load_site(&site.options()).unwrap();
    let urls: Vec<String> = search::records(&loaded)
        .into_iter()
        .map(|r| r.url)
        .collect();
    assert!(urls.contains(&"/chung/hoi-thao/".to_string()), "{urls:?}");
    site.build_ok();
    let page = site.read("tim-kiem/index.html");
    assert!(main_of(&page).contains("data-base=\"/tin-tuc/\""), "{page}");
    assert!(page.contains("src=\"/tin-tuc/js/search.js\""), "{page}");
}

#[test]
fn search_false_builds_no_page_no_index_no_box() {
    let site = fixture("search: false\n");
    site.build_ok();
    let files = list_files(&site.public());
    assert!(
        !files.iter().any(|f| f.starts_with("pagefind/")),
        "{files:?}"
    );
    assert!(!site.exists("tim-kiem/index.html"));
    let home = site.read("index.html");
    assert!(!home.contains("role=\"search\""), "{home}");
    assert!(!home.contains("/tim-kiem/"), "{home}");
}
