//! End-to-end tests of what makes a news site findable: date archives, tags, authors, feeds,
//! the sitemap, redirects from old addresses and scheduled publishing.

mod common;

use common::{list_files, Site};
use quick_xml::events::Event;
use quick_xml::Reader;

fn post(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\ncategory: \"Chung\"\n{extra}---\nNội dung của bài {title} & <các> ký tự \u{1} đặc biệt.\n")
}

/// A site with articles in three months, a month boundary in UTC+7, three spellings of a
/// tag, a draft, a future article and an alias.
fn site() -> Site {
    Site::new(&[
        (
            "config.yaml",
            "base_url: https://example.gov.vn/tin-tuc/\nper_page: 2\n",
        ),
        (
            "content/a.md",
            &post(
                "Tháng mười một",
                "2020-10-05 08:00",
                "tags: [Khoa học]\nauthor: Nguyễn Văn An\n",
            ),
        ),
        (
            "content/b.md",
            &post(
                "Tháng mười hai",
                "2020-10-20 08:00",
                "tags: [\"khoa học \"]\nauthor: Nguyễn Văn An\n",
            ),
        ),
        (
            "content/c.md",
            &post(
                "Tháng mười ba",
                "2020-10-28 08:00",
                "tags: [KHOA HỌC, đo lường]\n",
            ),
        ),
        // 20:00 UTC on 31 December is 03:00 on 1 January in Vietnam.
        (
            "content/d.md",
            &post(
                "Đầu năm mới",
                "2020-12-31T20:00:00Z",
                "tags: [khoa học]\naliases: [/tin-tuc/tin-cu/123.html, /tin-cu/123.html]\n",
            ),
        ),
        (
            "content/e.md",
            &post("Ngày đầu năm", "2021-01-01 03:00", ""),
        ),
        (
            "content/nhap.md",
            &post(
                "Bản nháp",
                "2020-10-10 08:00",
                "draft: true\ntags: [khoa học]\n",
            ),
        ),
        (
            "content/sau.md",
            &post("Bài tương lai", "2027-01-01 08:00", "tags: [khoa học]\n"),
        ),
    ])
}

/// Parses XML completely, failing the test on any error; returns the text of every `tag`.
fn texts_of(xml: &str, tag: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => inside = e.name().as_ref() == tag.as_bytes(),
            Ok(Event::Text(t)) if inside => {
                out.push(t.unescape().expect("valid escapes").into_owned())
            }
            Ok(Event::End(_)) => inside = false,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("invalid XML at {}: {e}\n{xml}", reader.buffer_position()),
        }
    }
    out
}

fn count_links(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[test]
fn archive_months_count_their_articles_in_vietnam_time() {
    let site = site();
    site.build_ok();
    let index = site.read("luu-tru/index.html");
    assert!(index.contains("/tin-tuc/luu-tru/2020/10/"), "{index}");
    assert!(index.contains("/tin-tuc/luu-tru/2021/01/"), "{index}");
    assert!(
        !index.contains("/tin-tuc/luu-tru/2020/12/"),
        "the 31/12 20:00 UTC article is in January"
    );
    // October 2020: three published articles, two a page.
    let october = site.read("luu-tru/2020/10/index.html");
    assert!(site.exists("luu-tru/2020/10/trang/1/index.html"));
    assert!(!site.exists("luu-tru/2020/10/trang/2/index.html"));
    let page2 = site.read("luu-tru/2020/10/trang/1/index.html");
    let items = count_links(&october, "/tin-tuc/chung/") + count_links(&page2, "/tin-tuc/chung/");
    assert!(items >= 3, "three articles listed over two pages");
    // January 2021 holds both articles of the boundary.
    let january = site.read("luu-tru/2021/01/index.html");
    assert!(
        january.contains("/tin-tuc/chung/d/") && january.contains("/tin-tuc/chung/e/"),
        "{january}"
    );
}

#[test]
fn tags_that_differ_in_case_or_spacing_are_one_tag_named_by_its_most_used_spelling() {
    let site = site();
    site.build_ok();
    let tags: Vec<String> = list_files(&site.public())
        .into_iter()
        .filter(|p| p.starts_with("the/") && p.ends_with("/index.html") && !p.contains("/trang/"))
        .collect();
    assert_eq!(
        tags,
        [
            "the/do-luong/index.html",
            "the/index.html",
            "the/khoa-hoc/index.html"
        ]
    );
    let tag = site.read("the/khoa-hoc/index.html");
    assert!(
        tag.contains("khoa học"),
        "the most used spelling names the tag"
    );
    let all = site.read("the/index.html");
    assert!(
        all.contains("(4)") || all.contains(">4<") || all.contains(" 4 "),
        "four published articles: {all}"
    );
}

#[test]
fn authors_get_their_own_pages() {
    let site = site();
    site.build_ok();
    let author = site.read("tac-gia/nguyen-van-an/index.html");
    assert!(author.contains("/tin-tuc/chung/a/") && author.contains("/tin-tuc/chung/b/"));
}

#[test]
fn feeds_are_valid_xml_with_absolute_links_and_vietnam_dates() {
    let site = site();
    site.build_ok();
    for feed in ["rss.xml", "chung/rss.xml"] {
        let xml = site.read(feed);
        let links = texts_of(&xml, "link");
        assert!(
            links
                .iter()
                .all(|l| l.starts_with("https://example.gov.vn/tin-tuc/")),
            "{links:?}"
        );
        let dates = texts_of(&xml, "pubDate");
        assert_eq!(dates.len(), 5, "five published articles in {feed}");
        assert!(dates.iter().all(|d| d.ends_with("+0700")), "{dates:?}");
        assert!(texts_of(&xml, "guid").len() == 5);
        let descriptions = texts_of(&xml, "description");
        // Readers take `description` as HTML: the summary is HTML that shows the text.
        assert!(
            descriptions.iter().any(|d| d.contains("&amp; &lt;các&gt;")),
            "text survives escaping: {descriptions:?}"
        );
        assert!(!xml.contains('\u{1}'), "control characters are stripped");
    }
    let home = site.read("index.html");
    assert!(home.contains("application/rss+xml"), "pages link the feed");
}

#[test]
fn the_sitemap_lists_exactly_the_published_pages() {
    let site = site();
    site.build_ok();
    let locs = texts_of(&site.read("sitemap.xml"), "loc");
    let base = "https://example.gov.vn/tin-tuc/";
    let mut expected: Vec<String> = list_files(&site.public())
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("{base}{}", p.trim_end_matches("index.html")))
        .collect();
    expected.sort();
    let mut listed = locs.clone();
    listed.sort();
    assert_eq!(listed, expected);
    assert!(locs
        .iter()
        .all(|l| !l.contains("nhap") && !l.contains("/sau/")));
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://example.gov.vn/tin-tuc/sitemap.xml"));
}

#[test]
fn drafts_and_future_articles_are_absent_everywhere_and_counted() {
    let site = site();
    let report = site.build_ok();
    assert_eq!(report.held_back, 2);
    for file in list_files(&site.public()) {
        if file.ends_with(".html") || file.ends_with(".xml") {
            let text = site.read(&file);
            assert!(
                !text.contains("Bản nháp") && !text.contains("/chung/nhap/"),
                "draft in {file}"
            );
            assert!(
                !text.contains("Bài tương lai") && !text.contains("/chung/sau/"),
                "future article in {file}"
            );
        }
    }
}

#[test]
fn a_future_article_appears_once_a_build_runs_after_its_date() {
    let site = site();
    let mut options = site.options();
    options.now = Some(chrono::DateTime::parse_from_rfc3339("2027-01-02T00:00:00+07:00").unwrap());
    trangtin::build(&options).unwrap();
    assert!(site.exists("chung/sau/index.html"));
    assert!(site.read("rss.xml").contains("Bài tương lai"));
}

#[test]
fn an_alias_redirects_to_its_article() {
    let site = site();
    site.build_ok();
    let page = site.read("tin-cu/123.html");
    assert!(page.contains("http-equiv=\"refresh\""), "{page}");
    assert!(page.contains("url=/tin-tuc/chung/d/"), "{page}");
    assert!(
        page.contains("rel=\"canonical\" href=\"https://example.gov.vn/tin-tuc/chung/d/\""),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/tin-tuc/chung/d/\""),
        "a visible link: {page}"
    );
}

#[test]
fn an_alias_outside_the_base_path_is_a_rule_for_the_hosts_root_not_a_page() {
    let site = site();
    site.build_ok();
    let root = site.read("server/host-root.htaccess");
    assert!(
        root.contains("RewriteRule ^tin-cu/123\\.html$ /tin-tuc/chung/d/ "),
        "{root}"
    );
    let map = site.read("server/nginx-map.conf");
    assert!(
        map.contains("\"/tin-cu/123.html\" \"/tin-tuc/chung/d/\";"),
        "{map}"
    );
    assert!(!site.read(".htaccess").contains("RewriteRule"));
    let pages = list_files(&site.public());
    assert_eq!(
        pages.iter().filter(|p| p.ends_with("123.html")).count(),
        1,
        "only the alias under /tin-tuc/ is a page: {pages:?}"
    );
}

#[test]
fn an_alias_that_collides_with_a_page_fails_naming_both() {
    let site = site();
    site.write(
        "content/f.md",
        &post(
            "Trùng",
            "2020-10-06 08:00",
            "aliases: [/tin-tuc/chung/a/]\n",
        ),
    );
    let text = site.build_err().to_string();
    assert!(
        text.contains("content/f.md") && text.contains("content/a.md"),
        "{text}"
    );
}
