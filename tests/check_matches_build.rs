//! `check` and `build` run one pipeline: for every kind of bad input, `check` reports as
//! errors exactly the problems `build` fails on, with the same exit status, and the previous
//! output stays untouched.

mod common;

use common::{article, Site};
use trangtin::pipeline::{self, Discard, Stopwatch};
use trangtin::site::BodyCache;
use trangtin::Problem;

const CONFIG: &str = "title: Tin\ncategories:\n  - name: Chung\n";

/// The error problems of a failed build (empty when it succeeds), as text lines.
fn build_errors(site: &Site) -> Vec<String> {
    match site.build() {
        Ok(_) => Vec::new(),
        Err(err) => lines(&err.to_problems()),
    }
}

/// The errors `check` reports, as text lines.
fn check_errors(site: &Site) -> Vec<String> {
    let report = trangtin::check::check(&site.options());
    let errors: Vec<Problem> = report
        .problems
        .into_iter()
        .filter(Problem::is_error)
        .collect();
    lines(&errors)
}

fn lines(problems: &[Problem]) -> Vec<String> {
    let mut lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.sort();
    lines
}

/// A site with one good article plus `files`.
fn site_with(files: &[(&str, &str)]) -> Site {
    let good = article("Tin tốt", "2024-03-01 08:00", "Chung", "Nội dung.\n");
    let site = Site::new(&[("config.yaml", CONFIG), ("content/2024/03/tot.md", &good)]);
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

/// Asserts that build fails, that check reports the same errors, that the CLI's `check`
/// exits non-zero, and that every error contains `expected`.
fn assert_check_matches_failed_build(site: &Site, expected: &str) {
    let built = build_errors(site);
    assert!(!built.is_empty(), "the build should fail");
    assert_eq!(check_errors(site), built);
    for line in &built {
        assert!(line.contains(expected), "{line}");
    }
    let cli = site.run(&["check", "--root", "."]);
    assert_eq!(cli.status.code(), Some(1));
    assert!(!site.public().exists(), "a failed build writes nothing");
}

#[test]
fn a_slug_longer_than_a_file_name_fails_both_naming_the_article_and_field() {
    let long = "a".repeat(300);
    let text =
        format!("---\ntitle: Dài\ndate: 2024-03-02 08:00\ncategory: Chung\nslug: {long}\n---\nX\n");
    let site = site_with(&[("content/2024/03/dai.md", &text)]);
    assert_check_matches_failed_build(&site, "content/2024/03/dai.md:5: field `slug`:");
    assert!(build_errors(&site)[0].contains("300 bytes"));
}

#[test]
fn an_unknown_field_fails_both_naming_the_field_meant() {
    let text = "---\ntitle: Lịch\ndate: 2024-03-02 08:00\ncategory: Chung\nsumary: X\n---\nX\n";
    let site = site_with(&[("content/2024/03/lich.md", text)]);
    assert_check_matches_failed_build(
        &site,
        "content/2024/03/lich.md:5: field `sumary`: unknown field; did you mean `summary`?",
    );
}

#[test]
fn a_colon_in_an_unquoted_title_fails_both_with_the_fix() {
    let text = "---\ntitle: Thông báo: Lịch tiếp công dân\ndate: 2024-03-02 08:00\n\
                category: Chung\n---\nX\n";
    let site = site_with(&[("content/2024/03/lich.md", text)]);
    assert_check_matches_failed_build(
        &site,
        "content/2024/03/lich.md:2: field `title`: the title has a colon followed by a space",
    );
    assert!(build_errors(&site)[0]
        .ends_with("put the title in quotes: title: \"Thông báo: Lịch tiếp công dân\""));
}

#[test]
fn an_alias_with_a_dot_segment_fails_both_naming_the_aliases_field() {
    let text = "---\ntitle: Cũ\ndate: 2024-03-02 08:00\ncategory: Chung\n\
                aliases: [/tin/./cu.html]\n---\nX\n";
    let site = site_with(&[("content/2024/03/cu.md", text)]);
    assert_check_matches_failed_build(&site, "content/2024/03/cu.md:5: field `aliases`:");
    assert!(build_errors(&site)[0].contains("`.` segment"));
}

#[test]
fn one_old_address_with_a_query_string_in_two_articles_fails_both_naming_both_files() {
    let one = "---\ntitle: Một\ndate: 2024-03-02 08:00\ncategory: Chung\n\
               aliases: [\"/Default.aspx?tabid=125&ItemID=12345\"]\n---\nX\n";
    let two = "---\ntitle: Hai\ndate: 2024-03-03 08:00\ncategory: Chung\nslug: hai\n\
               aliases:\n  - /tin-cu/khac.html\n  - /default.aspx?tabid=125&ItemID=12345\n---\nX\n";
    let site = site_with(&[
        ("content/2024/03/mot.md", one),
        ("content/2024/03/hai.md", two),
    ]);
    assert_check_matches_failed_build(&site, "content/2024/03/mot.md:5: field `aliases`:");
    let error = &build_errors(&site)[0];
    assert!(
        error.contains("`aliases` of content/2024/03/hai.md:6"),
        "{error}"
    );
    assert!(
        error.contains("/Default.aspx?tabid=125&ItemID=12345"),
        "{error}"
    );
}

#[test]
fn an_alias_on_another_host_fails_both_naming_the_aliases_field() {
    let text = "---\ntitle: Cũ\ndate: 2024-03-02 08:00\ncategory: Chung\n\
                aliases: [https://khac.gov.vn/Default.aspx?tabid=1]\n---\nX\n";
    let site = site_with(&[("content/2024/03/cu.md", text)]);
    assert_check_matches_failed_build(&site, "content/2024/03/cu.md:5: field `aliases`:");
    assert!(build_errors(&site)[0].contains("another host"));
}

#[test]
fn an_output_path_too_long_for_the_file_system_fails_both() {
    let deep = "/thu-muc".repeat(500) + "/cu.html";
    let text = format!(
        "---\ntitle: Sâu\ndate: 2024-03-02 08:00\ncategory: Chung\naliases: [\"{deep}\"]\n---\nX\n"
    );
    let site = site_with(&[("content/2024/03/sau.md", &text)]);
    assert_check_matches_failed_build(&site, "content/2024/03/sau.md:5: field `aliases`:");
}

#[test]
fn two_pages_at_one_path_fail_both_naming_the_alias_line() {
    let text = "---\ntitle: Trùng\ndate: 2024-03-02 08:00\ncategory: Chung\n\
                aliases: [/chung/tot/]\n---\nX\n";
    let site = site_with(&[("content/2024/03/trung.md", text)]);
    assert_check_matches_failed_build(&site, "content/2024/03/trung.md:5: field `aliases`:");
    assert!(build_errors(&site)[0].contains("content/2024/03/tot.md"));
}

#[test]
fn missing_files_are_warnings_in_both_and_neither_fails() {
    let text = "---\ntitle: Ảnh\ndate: 2024-03-02 08:00\ncategory: Chung\n\
                image: /images/khong-co.jpg\n---\n![a](anh-thieu.jpg)\n\n[b](/files/khong-co.pdf)\n";
    let site = site_with(&[("content/2024/03/anh.md", text)]);
    let report = site.build_ok();
    let report_check = trangtin::check::check(&site.options());
    assert_eq!(report_check.errors(), 0, "{:?}", report_check.problems);
    // check sees more missing files than the build (root-relative ones, `image:`), and
    // repeats none of the build's.
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert_eq!(report_check.warnings(), 3, "{:?}", report_check.problems);
    let cli = site.run(&["check", "--root", "."]);
    assert_eq!(cli.status.code(), Some(0));
}

#[test]
fn a_file_that_cannot_be_read_fails_both_sinks_alike() {
    let site = site_with(&[("content/files/bao-cao.pdf", "%PDF-1.4")]);
    let inputs = pipeline::read(site.root()).unwrap();
    // The file goes away between reading the folder and copying it, as an unreadable file
    // would fail (root reads files whatever their permissions, so this is the portable way).
    std::fs::remove_file(site.root().join("content/files/bao-cao.pdf")).unwrap();
    let options = site.options().assemble_options(&inputs.config);
    let (site_model, theme) = pipeline::assemble(inputs, options, &BodyCache::default()).unwrap();
    let mut rendering = pipeline::plan(site_model, theme).unwrap();
    let discard = pipeline::emit(&mut rendering, &Discard, &mut Stopwatch::new()).unwrap_err();
    let staging_dir = tempfile::tempdir().unwrap();
    let staging =
        trangtin::output::write::Staging::new(&staging_dir.path().join("public")).unwrap();
    let staged = pipeline::emit(&mut rendering, &staging, &mut Stopwatch::new()).unwrap_err();
    assert_eq!(lines(&discard.to_problems()), lines(&staged.to_problems()));
    let line = &lines(&staged.to_problems())[0];
    assert!(
        line.starts_with("content/files/bao-cao.pdf: cannot be read"),
        "{line}"
    );
}

#[test]
fn template_errors_and_content_errors_are_reported_together_by_both() {
    let bad = "---\ntitle: Thiếu ngày\ncategory: Chung\n---\nX\n";
    let site = site_with(&[
        ("content/2024/03/thieu.md", bad),
        ("templates/article.html", "{% if %}"),
    ]);
    let built = build_errors(&site);
    assert_eq!(built.len(), 2, "{built:?}");
    assert!(
        built.iter().any(|l| l.contains("field `date`")),
        "{built:?}"
    );
    assert!(
        built.iter().any(|l| l.contains("article.html")),
        "{built:?}"
    );
    assert_eq!(check_errors(&site), built);
}

#[test]
fn a_previous_output_survives_a_failed_build_and_a_check() {
    let site = site_with(&[]);
    site.build_ok();
    let before = common::snapshot(&site.public());
    site.write(
        "content/2024/03/dai.md",
        &format!(
            "---\ntitle: Dài\ndate: 2024-03-02 08:00\ncategory: Chung\nslug: {}\n---\nX\n",
            "b".repeat(256)
        ),
    );
    assert!(site.build().is_err());
    assert!(trangtin::check::check(&site.options()).errors() > 0);
    assert_eq!(common::snapshot(&site.public()), before);
}

#[test]
fn an_alias_over_a_theme_file_fails_both_naming_the_alias_and_the_file() {
    let text = "---\ntitle: Cũ\ndate: 2024-03-02 08:00\ncategory: Chung\n\
                aliases: [/css/style.css]\n---\nX\n";
    let site = site_with(&[("content/2024/03/cu.md", text)]);
    assert_check_matches_failed_build(&site, "content/2024/03/cu.md:5: field `aliases`:");
    let line = &build_errors(&site)[0];
    assert!(
        line.contains("the theme's static file css/style.css"),
        "{line}"
    );
    assert!(
        line.contains("would both be written to css/style.css"),
        "{line}"
    );
}

#[test]
fn an_alias_into_the_search_index_fails_both() {
    let text = "---\ntitle: Cũ\ndate: 2024-03-02 08:00\ncategory: Chung\n\
                aliases: [/search/meta.json]\n---\nX\n";
    let site = site_with(&[("content/2024/03/cu.md", text)]);
    site.write("config.yaml", &format!("{CONFIG}search: true\n"));
    assert_check_matches_failed_build(&site, "content/2024/03/cu.md:5: field `aliases`:");
    let line = &build_errors(&site)[0];
    assert!(line.contains("belongs to the search index"), "{line}");
}

#[test]
fn a_content_file_over_a_generated_page_or_feed_fails_both_naming_the_file() {
    for (file, page) in [
        ("content/index.html", "the page /"),
        ("content/rss.xml", "the feed rss.xml"),
        ("content/chung/rss.xml", "the feed chung/rss.xml"),
        ("content/robots.txt", "the generated robots.txt"),
    ] {
        let site = site_with(&[(file, "x")]);
        assert_check_matches_failed_build(&site, &format!("{file}: the file {file} and {page}"));
    }
}

#[test]
fn a_file_where_a_page_needs_a_folder_fails_both_naming_the_file_not_the_staging_folder() {
    let site = site_with(&[("content/chung", "a file named like the category")]);
    assert_check_matches_failed_build(&site, "content/chung: the page of content/2024/03/tot.md");
    let line = &build_errors(&site)[0];
    assert!(line.contains("where it needs a folder"), "{line}");
    assert!(!line.contains(".public"), "{line}");
}

#[test]
fn a_missing_content_folder_fails_both_and_keeps_the_published_site() {
    let site = site_with(&[]);
    site.build_ok();
    let before = common::snapshot(&site.public());
    std::fs::rename(site.root().join("content"), site.root().join("noi-dung")).unwrap();
    assert_check_matches_failed_build_keeping(&site, "there is no content/ folder");
    assert_eq!(common::snapshot(&site.public()), before);
    let typo = site.run(&["build", "--root", "khong-co"]);
    assert_eq!(typo.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&typo.stderr);
    assert!(
        stderr.contains("khong-co does not exist: is --root right?"),
        "{stderr}"
    );
}

/// As [`assert_check_matches_failed_build`], for a site that was built before.
fn assert_check_matches_failed_build_keeping(site: &Site, expected: &str) {
    let built = build_errors(site);
    assert!(!built.is_empty(), "the build should fail");
    assert_eq!(check_errors(site), built);
    assert!(built.iter().all(|l| l.contains(expected)), "{built:?}");
    assert_eq!(site.run(&["check", "--root", "."]).status.code(), Some(1));
}
