//! Hostile input (issue #17, items 7–12 and 14): raw HTML and script URLs are sanitized,
//! feeds escape summaries, control characters are stripped, oversized or deeply nested
//! front matter is refused before parsing, fields are cut to their limits, and dates out of
//! range blame the article. Every change made to the input is a warning naming the file, the
//! line and (where there is one) the field, in `build` and in `check` alike.

mod common;

use common::{article, main_of, only_problem, Site};
use std::time::{Duration, Instant};
use trangtin::Problem;

const FILE: &str = "content/2020/10/bai-viet.md";
const PAGE: &str = "chung/bai-viet/index.html";

/// A site with one article file holding `text`, and `config` as config.yaml.
fn site(config: &str, text: &str) -> Site {
    Site::new(&[("config.yaml", config), (FILE, text)])
}

/// The warnings `check` reports, as text.
fn check_warnings(site: &Site) -> Vec<String> {
    let report = trangtin::check::check(&site.options());
    report
        .problems
        .iter()
        .filter(|p| !p.is_error())
        .map(Problem::to_string)
        .collect()
}

/// The warnings of a successful build, as text.
fn build_warnings(site: &Site) -> Vec<String> {
    let report = site.build_ok();
    report.warnings.iter().map(Problem::to_string).collect()
}

const HOSTILE_BODY: &str = "Mở đầu.\n\
\n\
<script>alert(1)</script>\n\
\n\
<figure class=\"anh\"><img src=\"/a.jpg\" onerror=\"alert(2)\" loading=\"lazy\" width=\"600\">\
<figcaption>Chú thích</figcaption></figure>\n\
\n\
<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" allowfullscreen></iframe>\n\
\n\
<iframe src=\"https://evil.example/\"></iframe>\n\
\n\
Xem [đây](jav&#x61;script:alert(3)) và <a href=\"vbscript:x\">kia</a>.\n\
\n\
| a | b |\n|---|---|\n| 1 | 2 |\n";

#[test]
fn raw_html_and_script_urls_are_sanitized_and_every_removal_is_a_warning_with_its_line() {
    let site = site(
        "title: Tin\n",
        &article("Bài", "2020-10-13", "Chung", HOSTILE_BODY),
    );
    let warnings = build_warnings(&site);
    let page = site.read(PAGE);
    let main = main_of(&page);
    for gone in [
        "<script",
        "alert(",
        "onerror",
        "javascript:",
        "vbscript:",
        "evil.example",
    ] {
        assert!(!main.contains(gone), "`{gone}` is still there:\n{main}");
    }
    for kept in [
        "<figure class=\"anh\">",
        "loading=\"lazy\"",
        "<figcaption>Chú thích</figcaption>",
        "src=\"https://www.youtube-nocookie.com/embed/abc\"",
        "<table>",
    ] {
        assert!(main.contains(kept), "`{kept}` was removed:\n{main}");
    }
    // The body starts on line 6 of the file: its line 3 is file line 8.
    let expected = [
        format!("{FILE}:8: warning: removed `<script>` and its content"),
        format!("{FILE}:10: warning: removed the attribute `onerror` of `<img>`"),
        format!("{FILE}:14: warning: removed `src` of `<iframe>`"),
        format!("{FILE}:16: warning: a `javascript:` URL is not allowed"),
        format!("{FILE}:16: warning: removed the `vbscript:` URL in `href` of `<a>`"),
    ];
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
    for (warning, start) in warnings.iter().zip(&expected) {
        assert!(
            warning.starts_with(start.as_str()),
            "{warning}\nexpected {start}"
        );
    }
    assert_eq!(check_warnings(&site), warnings, "check warns as build does");
}

#[test]
fn trusted_html_publishes_raw_html_as_written() {
    let site = site(
        "title: Tin\ntrusted_html: true\n",
        &article(
            "Bài",
            "2020-10-13",
            "Chung",
            "<div onclick=\"go()\">x</div>\n",
        ),
    );
    assert!(build_warnings(&site).is_empty());
    assert!(site.read(PAGE).contains("<div onclick=\"go()\">x</div>"));
}

#[test]
fn an_image_with_a_script_url_is_dropped_with_a_warning_naming_the_field() {
    let text = "---\ntitle: Bài\ndate: 2020-10-13\ncategory: Chung\nimage: \"javascript:alert(1)\"\n---\nx\n";
    let site = site("title: Tin\n", text);
    let warnings = build_warnings(&site);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(&format!(
            "{FILE}:5: warning: field `image`: a `javascript:` URL"
        )),
        "{}",
        warnings[0]
    );
    assert!(!site.read(PAGE).contains("javascript:"));
}

#[test]
fn a_script_url_in_the_menu_is_an_error_naming_config_and_line() {
    let site = site(
        "title: Tin\nmenu:\n  - {name: Bấm, url: \"javascript:alert(1)\"}\n",
        &article("Bài", "2020-10-13", "Chung", "x\n"),
    );
    let p = only_problem(&site.build_err());
    assert!(
        p.to_string()
            .starts_with("config.yaml:3: field `menu[1].url`: the link `Bấm`"),
        "{p}"
    );
}

#[test]
fn feed_summaries_are_escaped_as_text_so_readers_never_run_them() {
    let text = "---\ntitle: Bài\ndate: 2020-10-13\ncategory: Chung\nsummary: \"<img src=x onerror=alert(1)> & co\"\n---\nx\n";
    let site = site("title: Tin\n", text);
    site.build_ok();
    let rss = site.read("rss.xml");
    assert!(
        rss.contains(
            "<description>&amp;lt;img src=x onerror=alert(1)&amp;gt; &amp;amp; co</description>"
        ),
        "{rss}"
    );
}

#[test]
fn control_characters_never_reach_the_title_meta_tags_or_body() {
    let text = "---\ntitle: \"Tin\u{1b}[31m đỏ\u{7}\"\nsummary: \"Tóm\\e tắt\"\ndate: 2020-10-13\ncategory: Chung\n---\nThân\u{0} bài\u{85}.\n";
    let site = site("title: Tin\n", text);
    let warnings = build_warnings(&site);
    let page = site.read(PAGE);
    assert!(
        !page.contains(['\u{0}', '\u{7}', '\u{1b}', '\u{85}']),
        "control characters in the page"
    );
    assert!(
        page.contains("<title>Tin[31m đỏ"),
        "the title keeps its text"
    );
    assert!(page.contains("Thân bài."));
    assert_eq!(
        warnings,
        [
            format!("{FILE}:2: warning: control characters (such as NUL, BEL or ESC) removed; they cannot be shown"),
            format!("{FILE}:7: warning: control characters (such as NUL, BEL or ESC) removed; they cannot be shown"),
            format!("{FILE}:3: warning: field `summary`: control characters removed"),
        ]
    );
}

#[test]
fn deeply_nested_or_huge_front_matter_is_refused_quickly_naming_the_line() {
    let nested = format!(
        "---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\nx: {}\n---\nx\n",
        "[".repeat(60_000)
    );
    let start = Instant::now();
    let p = only_problem(&site("title: Tin\n", &nested).build_err());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(
        p.to_string()
            .starts_with(&format!("{FILE}:5: the front matter nests")),
        "{p}"
    );
    let huge = format!("---\ntitle: A\nx: \"{}\"\n---\nx\n", "a".repeat(100_000));
    let p = only_problem(&site("title: Tin\n", &huge).build_err());
    assert!(
        p.to_string()
            .starts_with(&format!("{FILE}:2: the front matter is 100015 bytes")),
        "{p}"
    );
    let allowed = site(
        "title: Tin\nlimits: {front_matter_bytes: 200000}\nextra_fields: [x]\n",
        &huge,
    );
    let fields: Vec<_> = common::problems(&allowed.build_err())
        .into_iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(
        fields,
        [Some("date".to_string()), Some("category".to_string())],
        "with a larger limit it is parsed"
    );
}

#[test]
fn twenty_thousand_identical_headings_build_in_linear_time() {
    let body = "## Tin\n\nx\n\n".repeat(20_000);
    let site = site(
        "title: Tin\n",
        &article("Bài", "2020-10-13", "Chung", &body),
    );
    let start = Instant::now();
    site.build_ok();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(site.read(PAGE).contains("<h2 id=\"tin-20000\">"));
}

#[test]
fn long_titles_and_too_many_tags_are_cut_to_the_configured_limits_with_warnings() {
    let tags: Vec<String> = (1..=10).map(|i| format!("the {i}")).collect();
    let text = format!(
        "---\ntitle: \"{}\"\ndate: 2020-10-13\ncategory: Chung\ntags: [{}]\n---\nx\n",
        "Đổi mới ".repeat(10),
        tags.join(", ")
    );
    let site = site("title: Tin\nlimits: {title_chars: 16, tags: 3}\n", &text);
    let warnings = build_warnings(&site);
    assert_eq!(
        warnings,
        [
            format!("{FILE}:2: warning: field `title`: 79 characters, more than the 16 allowed (`limits` in config.yaml); cut to 16"),
            format!("{FILE}:5: warning: field `tags`: 10 tags, more than the 3 allowed (`limits: tags` in config.yaml); the first 3 are kept"),
        ]
    );
    let page = site.read(PAGE);
    assert!(page.contains("<title>Đổi mới Đổi mới"), "{page}");
    assert!(page.contains("the 3") && !page.contains("the 4"));
}

#[test]
fn a_date_out_of_range_in_the_site_time_zone_is_an_error_in_the_article() {
    for (date, year) in [
        ("0001-01-01T00:00:00+14:00", "0"),
        ("9999-12-31T23:00:00-10:00", "10000"),
    ] {
        let site = site("title: Tin\n", &article("Bài", date, "Chung", "x\n"));
        let p = only_problem(&site.build_err());
        assert!(
            p.to_string()
                .starts_with(&format!("{FILE}:3: field `date`: `{date}`: the year must be between 1 and 9999 (it is {year} ")),
            "{p}"
        );
        assert!(!site.exists("luu-tru/0/index.html"));
    }
}
