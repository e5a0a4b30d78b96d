//! End-to-end tests of site search: the index under `search/`, the page `/tim-kiem/`, and
//! `search: false`.

mod common;

use common::{article, list_files, main_of, Site};
use trangtin::search;

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
fn writes_the_index_and_the_search_page() {
    let site = fixture("");
    let report = site.build_ok();
    assert!(
        report
            .timings
            .iter()
            .any(|time| time.stage == "search index"),
        "{:?}",
        report.timings
    );
    let files = list_files(&site.public());
    let index: Vec<&String> = files.iter().filter(|f| f.starts_with("search/")).collect();
    // meta, categories, 16 shards (the fewest), one fragment per document.
    assert_eq!(index.len(), 2 + 16 + 3, "{index:?}");
    assert!(
        !files.iter().any(|f| f.starts_with("pagefind/")),
        "{files:?}"
    );
    assert_eq!(
        site.read("search/meta.json"),
        format!(
            "{{\"version\":1,\"docs\":3,\"shards\":16,\"years\":{{\"2024\":[0,0],\"2023\":[1,1]}},\
             \"categories\":[\"Chung\",\"{DO_LUONG}\"]}}"
        )
    );
    assert_eq!(
        site.read("search/category.json"),
        "[1,0,-1]",
        "the page has none"
    );
    for s in 0..16 {
        assert!(site.exists(&format!("search/t/{s:x}.json")), "shard {s:x}");
    }
    // Folded terms, delta-encoded ids, weights: 3 per title occurrence, 1 per body occurrence.
    let shard = |term: &str| site.read(&format!("search/t/{:x}.json", search::shard_of(term, 16)));
    assert!(shard("do").contains("\"do\":[0,3]"), "{}", shard("do"));
    assert!(shard("hoc").contains("\"hoc\":[1,4]"), "{}", shard("hoc"));
    assert!(
        shard("gioi").contains("\"gioi\":[2,3]"),
        "pages are indexed: {}",
        shard("gioi")
    );
    assert!(!shard("đo").contains("\"đo\""), "only folded terms");
    assert_eq!(
        site.read("search/f/0.json"),
        format!(
            "{{\"url\":\"/tieu-chuan-do-luong-chat-luong/kiem-tra-do-luong/\",\
             \"title\":\"Kiểm tra đo lường xăng dầu\",\"date\":\"14/03/2024\",\
             \"category\":\"{DO_LUONG}\",\"text\":\"Đoàn kiểm tra đã kiểm tra 25 cửa hàng xăng dầu.\"}}"
        )
    );
    let page = site.read("search/f/2.json");
    assert!(
        page.starts_with(
            "{\"url\":\"/gioi-thieu/\",\"title\":\"Giới thiệu\",\"date\":\"\",\"category\":\"\""
        ),
        "{page}"
    );

    let page = site.read("tim-kiem/index.html");
    let main = main_of(&page);
    assert!(page.contains("src=\"/js/search.js?v="), "{page}");
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
fn records_are_newest_first_with_what_the_results_show() {
    let site = fixture("");
    let loaded = trangtin::load_site(&site.options()).unwrap();
    let records = search::records(&loaded);
    let urls: Vec<&str> = records.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "/tieu-chuan-do-luong-chat-luong/kiem-tra-do-luong/",
            "/chung/hoi-thao/",
            "/gioi-thieu/"
        ],
        "articles newest first, then pages"
    );
    let r = &records[0];
    assert_eq!(r.title, "Kiểm tra đo lường xăng dầu");
    assert_eq!(r.date, "14/03/2024");
    assert_eq!(r.year, Some(2024));
    assert_eq!(r.category, Some((1, DO_LUONG)));
    assert!(r.body.contains("Đoàn kiểm tra"), "{}", r.body);
    assert_eq!(search::year_ranges(&records), [(2024, 0, 0), (2023, 1, 1)]);
    let page = &records[2];
    assert_eq!((page.year, page.category), (None, None), "{page:?}");
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
    assert!(
        site.read("search/f/1.json")
            .starts_with("{\"url\":\"/chung/hoi-thao/\""),
        "search.js puts the base path in front"
    );
    let page = site.read("tim-kiem/index.html");
    assert!(main_of(&page).contains("data-base=\"/tin-tuc/\""), "{page}");
    assert!(page.contains("src=\"/tin-tuc/js/search.js?v="), "{page}");
}

#[test]
fn search_false_builds_no_page_no_index_no_box() {
    let site = fixture("search: false\n");
    site.build_ok();
    let files = list_files(&site.public());
    assert!(!files.iter().any(|f| f.starts_with("search/")), "{files:?}");
    assert!(!site.exists("tim-kiem/index.html"));
    let home = site.read("index.html");
    assert!(!home.contains("role=\"search\""), "{home}");
    assert!(!home.contains("/tim-kiem/"), "{home}");
}
