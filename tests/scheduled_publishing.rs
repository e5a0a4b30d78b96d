//! A scheduled article (dated in the future) is published by the first build after its time
//! and by nothing else: the README's timer recipe relies on it.

mod common;

use chrono::DateTime;
use common::{article, Site};

#[test]
fn a_future_article_appears_with_the_first_build_after_its_time() {
    let site = Site::new(&[
        ("config.yaml", "title: Tin\ncategories:\n  - name: Chung\n"),
        (
            "content/2026/11/hom-qua.md",
            &article("Tin hôm qua", "2026-11-28 08:00", "Chung", "Đã đăng.\n"),
        ),
        (
            "content/2026/12/lich-hop.md",
            &article(
                "Lịch họp tuần tới",
                "2026-12-01 07:30",
                "Chung",
                "Sắp đăng.\n",
            ),
        ),
    ]);
    let at = |time: &str| {
        let mut options = site.options();
        options.now = Some(DateTime::parse_from_rfc3339(time).unwrap());
        trangtin::build(&options).unwrap()
    };
    // 07:29 in Vietnam: not yet.
    let before = at("2026-12-01T07:29:00+07:00");
    assert_eq!((before.articles, before.held_back), (1, 1));
    assert!(!site.exists("chung/lich-hop/index.html"));
    assert!(!site.read("index.html").contains("Lịch họp tuần tới"));
    assert!(!site.read("rss.xml").contains("Lịch họp tuần tới"));
    // 00:31 UTC is 07:31 in Vietnam: the timer's next build publishes it everywhere.
    let after = at("2026-12-01T00:31:00+00:00");
    assert_eq!((after.articles, after.held_back), (2, 0));
    assert!(site.read("chung/lich-hop/index.html").contains("Sắp đăng."));
    assert!(site.read("index.html").contains("Lịch họp tuần tới"));
    assert!(site.read("rss.xml").contains("Lịch họp tuần tới"));
    assert!(site.read("sitemap.xml").contains("/chung/lich-hop/"));
}
