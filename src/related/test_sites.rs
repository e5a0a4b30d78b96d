//! Small sites for the tests of this module: articles on three subjects (tea, fish farming,
//! X-ray licensing), assembled in memory.

use crate::config::Config;
use crate::content::{parse_article, Loaded};
use crate::site::{ArticleId, AssembleOptions, Site};
use chrono::DateTime;

/// One test article: (source, date, category, tags, title, body, extra front matter).
pub(super) struct A<'a>(
    pub &'a str,
    pub &'a str,
    pub &'a str,
    pub &'a str,
    pub &'a str,
    pub &'a str,
    pub &'a str,
);

/// The site of `articles` with `config`; panics if it does not assemble.
pub(super) fn site_with(config: Config, articles: &[A<'_>]) -> Site {
    try_site(config, articles).expect("site assembles")
}

/// The site of `articles` with `config`, published up to 2030.
pub(super) fn try_site(config: Config, articles: &[A<'_>]) -> crate::Result<Site> {
    let mut loaded = Loaded::default();
    for A(source, date, category, tags, title, body, extra) in articles {
        let text = format!(
            "---\ntitle: \"{title}\"\ndate: {date}\ncategory: \"{category}\"\ntags: [{tags}]\n{extra}---\n{body}\n"
        );
        loaded
            .articles
            .push(parse_article(source, &text, &config).expect("valid article"));
    }
    loaded.articles.sort_by(|a, b| a.source.cmp(&b.source));
    let now = DateTime::parse_from_rfc3339("2030-01-01T00:00:00+07:00").unwrap();
    let options = AssembleOptions {
        drafts: false,
        now,
        plain_text_bytes: super::PLAIN_TEXT_NEEDED,
    };
    Site::assemble(config, loaded, options)
}

/// The site of `articles` with the default config.
pub(super) fn site(articles: &[A<'_>]) -> Site {
    site_with(Config::default(), articles)
}

/// The id of the article at `source`.
pub(super) fn id(site: &Site, source: &str) -> ArticleId {
    ArticleId::new(
        site.articles
            .iter()
            .position(|a| a.source == source)
            .expect("article exists"),
    )
}

/// The source paths of `ids`.
pub(super) fn sources(site: &Site, ids: &[ArticleId]) -> Vec<String> {
    ids.iter()
        .map(|&i| site.articles[i].source.clone())
        .collect()
}

pub(super) const TEA: &str =
    "Nghiên cứu nhân giống chè Shan tuyết bằng phương pháp giâm hom, vùng chè Shan tuyết cổ thụ.";
pub(super) const FISH: &str =
    "Mô hình nuôi cá lồng trên hồ thủy điện, cá rô phi đơn tính cho năng suất cao.";
pub(super) const XRAY: &str =
    "Cấp giấy phép tiến hành công việc bức xạ cho thiết bị X-quang chẩn đoán y tế.";

/// Two articles on each of the three subjects, a month apart, all in category "KH".
pub(super) fn three_topics() -> Vec<A<'static>> {
    vec![
        A(
            "2024/01/che-1.md",
            "2024-01-10",
            "KH",
            "",
            "Nhân giống chè Shan tuyết",
            TEA,
            "",
        ),
        A(
            "2024/02/che-2.md",
            "2024-02-10",
            "KH",
            "",
            "Mở rộng vùng chè Shan tuyết",
            TEA,
            "",
        ),
        A(
            "2024/03/ca-1.md",
            "2024-03-10",
            "KH",
            "",
            "Nuôi cá lồng",
            FISH,
            "",
        ),
        A(
            "2024/04/ca-2.md",
            "2024-04-10",
            "KH",
            "",
            "Nuôi cá rô phi",
            FISH,
            "",
        ),
        A(
            "2024/05/xq-1.md",
            "2024-05-10",
            "KH",
            "",
            "Cấp phép X-quang",
            XRAY,
            "",
        ),
        A(
            "2024/06/xq-2.md",
            "2024-06-10",
            "KH",
            "",
            "Kiểm tra X-quang y tế",
            XRAY,
            "",
        ),
    ]
}
