//! Bad input: every kind of mistake an editor makes gets a message naming the file, the line
//! and the field; and no input at all, however malformed, makes the build panic.

mod common;

use common::{article, only_problem, problems, Site};
use std::path::{Path, PathBuf};
use trangtin::Error;

const FILE: &str = "content/2020/10/bai-viet.md";

/// Builds a site with one article file holding `text`; returns the one error problem.
fn one_error(text: &str) -> trangtin::Problem {
    let site = Site::new(&[(FILE, text)]);
    let err = site.build_err();
    assert!(!site.public().exists(), "a failed build writes nothing");
    only_problem(&err)
}

// ---------------------------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------------------------

#[test]
fn a_yaml_syntax_error_names_the_file_line() {
    // File line 4 is line 3 of the YAML: the front matter starts on line 2.
    let p = one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: Chung: Tin\n---\nx\n");
    assert_eq!(p.file, Path::new(FILE));
    assert_eq!(p.line, Some(4), "{p}");
    let text = p.to_string();
    assert!(
        text.starts_with("content/2020/10/bai-viet.md:4: "),
        "{text}"
    );
    assert_eq!(p.field.as_deref(), Some("category"), "{text}");
    assert!(
        text.ends_with("put the category in quotes: category: \"Chung: Tin\""),
        "{text}"
    );
    assert!(
        !text.contains(" at line "),
        "no second line number from the parser: {text}"
    );
}

#[test]
fn a_yaml_error_nothing_explains_keeps_the_parsers_words_and_line() {
    let p = one_error("---\ntitle: A\n%TAG ! x\ndate: 2020-10-13\ncategory: Chung\n---\nx\n");
    assert!(p.line.is_some_and(|l| (2..=5).contains(&l)), "{p}");
    assert!(
        p.message.starts_with("invalid YAML in front matter: "),
        "{p}"
    );
}

// ---------------------------------------------------------------------------------------------
// YAML mistakes clerks make: each message names the field and says how to write it
// ---------------------------------------------------------------------------------------------

#[test]
fn a_colon_in_an_unquoted_title_says_to_put_the_title_in_quotes() {
    let p = one_error(
        "---\ntitle: Thông báo: Lịch tiếp công dân\ndate: 2020-10-13\ncategory: Chung\n---\nx\n",
    );
    assert_eq!(
        p.to_string(),
        format!(
            "{FILE}:2: field `title`: the title has a colon followed by a space (`: `), which \
             front matter reads as the start of another field; put the title in quotes: \
             title: \"Thông báo: Lịch tiếp công dân\""
        )
    );
}

#[test]
fn common_yaml_mistakes_name_their_line_and_field_and_the_fix() {
    // (front matter lines after `---`, file line, field, end of the message)
    let cases: &[(&str, usize, &str, &str)] = &[
        (
            "title: A\ndate: 2020-10-13\ncategory: Chung\ntags:\n\t- a\n",
            6,
            "tags",
            "starts with a tab, and front matter is indented with spaces only; replace it with two spaces",
        ),
        (
            "title: *Quan trọng* họp\ndate: 2020-10-13\ncategory: Chung\n",
            2,
            "title",
            "put the title in quotes: title: \"*Quan trọng* họp\"",
        ),
        (
            "title: A\ndate: 2020-10-13\ncategory: Chung\nsummary: @Sở thông báo\n",
            5,
            "summary",
            "put the summary in quotes: summary: \"@Sở thông báo\"",
        ),
        (
            "title: [Thông báo] Lịch họp\ndate: 2020-10-13\ncategory: Chung\n",
            2,
            "title",
            "put the title in quotes: title: \"[Thông báo] Lịch họp\"",
        ),
        (
            "title: \"Hội nghị \"Xanh\" 2024\"\ndate: 2020-10-13\ncategory: Chung\n",
            2,
            "title",
            "use the other kind of quote marks around it: title: 'Hội nghị \"Xanh\" 2024'",
        ),
        (
            "title: \"Hội nghị\ndate: 2020-10-13\ncategory: Chung\n",
            2,
            "title",
            "is never closed; end it on the same line: title: \"Hội nghị\"",
        ),
        (
            "title:Hội nghị\ndate: 2020-10-13\ncategory: Chung\n",
            2,
            "title",
            "a space is needed after the colon: title: Hội nghị",
        ),
        (
            "title: A\ndate: 2020-10-13\ntitle: B\ncategory: Chung\n",
            4,
            "title",
            "is written twice, here and on line 2: keep one of the two lines",
        ),
        (
            "title: #1 Thông báo\ndate: 2020-10-13\ncategory: Chung\n",
            2,
            "title",
            "as a note; put the title in quotes: title: \"#1 Thông báo\"",
        ),
    ];
    for (yaml, line, field, end) in cases {
        let p = one_error(&format!("---\n{yaml}---\nx\n"));
        assert_eq!(p.line, Some(*line), "{p}");
        assert_eq!(p.field.as_deref(), Some(*field), "{p}");
        assert!(p.message.ends_with(end), "{p}");
    }
}

#[test]
fn a_hash_that_cuts_a_title_is_a_warning_naming_the_fix() {
    let site = Site::new(&[(
        FILE,
        "---\ntitle: Kết quả #1 của Sở\ndate: 2020-10-13\ncategory: Chung\n---\nx\n",
    )]);
    let report = site.build_ok();
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [format!(
            "{FILE}:2: warning: field `title`: the text from `#` on (`#1 của Sở`) is read as a \
             note and left out, so the title is only `Kết quả`; to keep it, put the title in \
             quotes: title: \"Kết quả #1 của Sở\""
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// Fields trangtin does not know
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_fields_are_errors_with_the_field_meant() {
    let site = Site::new(&[(
        FILE,
        "---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\nfeature: true\ntag: [a]\n\
         sumary: Tóm tắt\nTác giả: Nguyễn Văn An\nnguon: Báo X\n---\nx\n",
    )]);
    let err = site.build_err();
    let lines: Vec<String> = problems(&err).iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            format!("{FILE}:5: field `feature`: unknown field; did you mean `featured`?"),
            format!("{FILE}:6: field `tag`: unknown field; did you mean `tags`?"),
            format!("{FILE}:7: field `sumary`: unknown field; did you mean `summary`?"),
            format!(
                "{FILE}:8: field `Tác giả`: unknown field; did you mean `author`? (field names \
                 are English words: write `author:` instead of `Tác giả:`)"
            ),
            format!(
                "{FILE}:9: field `nguon`: unknown field: trangtin does not use it. Remove it, \
                 or, if the site's templates show it, add `nguon` to `extra_fields` in \
                 config.yaml"
            ),
        ]
    );
}

#[test]
fn fields_declared_in_config_are_accepted_and_others_still_are_not() {
    let text = "---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\nnguon: Báo X\n\
                so_van_ban: 12/KH-SKHCN\n---\nx\n";
    let site = Site::new(&[
        (
            "config.yaml",
            "title: Tin\nextra_fields: [nguon, so_van_ban]\n",
        ),
        (FILE, text),
    ]);
    site.build_ok();
    let site = Site::new(&[
        (
            "config.yaml",
            "title: Tin\nextra_fields: [nguon, so_van_ban]\n",
        ),
        (FILE, &text.replace("so_van_ban", "so_van_bna")),
    ]);
    let p = only_problem(&site.build_err());
    assert_eq!(
        p.to_string(),
        format!("{FILE}:6: field `so_van_bna`: unknown field; did you mean `so_van_ban`?")
    );
}

#[test]
fn declaring_a_field_trangtin_reads_is_a_config_error() {
    let site = Site::new(&[
        ("config.yaml", "title: Tin\nextra_fields: [summary]\n"),
        (FILE, &article("A", "2020-10-13", "Chung", "x\n")),
    ]);
    let p = only_problem(&site.build_err());
    assert_eq!(p.file, Path::new("config.yaml"));
    assert_eq!(
        (p.line, p.field.as_deref()),
        (Some(2), Some("extra_fields"))
    );
}

#[test]
fn an_unclosed_list_names_a_line_inside_the_front_matter() {
    let p = one_error("---\ntitle: A\ndate: 2020-10-13\ntags: [a, b\ncategory: Chung\n---\nx\n");
    let line = p.line.unwrap_or_else(|| panic!("no line: {p}"));
    assert!((4..=6).contains(&line), "{p}");
    assert!(
        p.to_string().starts_with(&format!("{FILE}:{line}: ")),
        "{p}"
    );
}

#[test]
fn a_tab_used_for_indentation_names_its_line() {
    let p = one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\ntags:\n\t- a\n---\nx\n");
    assert_eq!(p.file, Path::new(FILE));
    let line = p.line.unwrap_or_else(|| panic!("no line: {p}"));
    assert!((5..=6).contains(&line), "{p}");
}

#[test]
fn a_missing_required_field_is_named() {
    let p = one_error("---\ntitle: A\ncategory: Chung\n---\nx\n");
    assert_eq!(p.field.as_deref(), Some("date"));
    assert_eq!(
        p.to_string(),
        format!("{FILE}:1: field `date`: is required but missing or empty")
    );
}

#[test]
fn an_empty_required_field_is_named_at_its_line() {
    let p = one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: \"  \"\n---\nx\n");
    assert_eq!(p.field.as_deref(), Some("category"));
    assert_eq!(p.line, Some(4), "{p}");
}

#[test]
fn every_missing_field_of_every_file_is_reported() {
    let site = Site::new(&[
        ("content/2020/10/a.md", "---\nauthor: X\n---\nx\n"),
        (
            "content/2020/10/b.md",
            "---\ntitle: B\ndate: 2020-10-13\n---\nx\n",
        ),
    ]);
    let err = site.build_err();
    let found: Vec<(String, String)> = problems(&err)
        .iter()
        .map(|p| {
            (
                p.file.display().to_string(),
                p.field.clone().unwrap_or_default(),
            )
        })
        .collect();
    let expected = [
        ("content/2020/10/a.md", "title"),
        ("content/2020/10/a.md", "date"),
        ("content/2020/10/a.md", "category"),
        ("content/2020/10/b.md", "category"),
    ];
    for (file, field) in expected {
        assert!(
            found.iter().any(|(f, d)| f == file && d == field),
            "{file} `{field}` missing from:\n{err}"
        );
    }
    assert_eq!(found.len(), 4, "{err}");
    assert!(
        err.to_string().ends_with("4 errors in the site's input"),
        "{err}"
    );
}

#[test]
fn a_list_where_text_is_expected_names_the_field_and_line() {
    let p = one_error("---\ntitle: [a, b]\ndate: 2020-10-13\ncategory: Chung\n---\nx\n");
    assert_eq!(
        p.to_string(),
        format!(
            "{FILE}:2: field `title`: must be text, found a list; if it is meant as text, put \
             it in quotes: title: \"[a, b]\""
        )
    );
}

#[test]
fn a_mapping_where_a_date_is_expected_names_the_field_and_line() {
    let p = one_error("---\ntitle: A\ncategory: Chung\ndate:\n  year: 2020\n---\nx\n");
    assert_eq!(p.field.as_deref(), Some("date"));
    assert_eq!(p.line, Some(4), "{p}");
    assert!(p.message.contains("mapping"), "{p}");
}

#[test]
fn a_flag_that_is_not_true_or_false_names_the_field_and_line() {
    let p = one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\ndraft: có lẽ\n---\nx\n");
    assert_eq!(p.field.as_deref(), Some("draft"));
    assert_eq!(p.line, Some(5), "{p}");
    assert!(p.message.contains("true or false"), "{p}");
}

#[test]
fn every_ill_typed_field_of_a_file_is_reported() {
    let site = Site::new(&[(
        FILE,
        "---\ntitle: [a]\ndate: 2020-10-13\ncategory: Chung\ndraft: maybe\nfeatured: [x]\n---\nx\n",
    )]);
    let err = site.build_err();
    let lines: Vec<(Option<usize>, Option<String>)> = problems(&err)
        .iter()
        .map(|p| (p.line, p.field.clone()))
        .collect();
    assert_eq!(
        lines,
        [
            (Some(2), Some("title".to_string())),
            (Some(5), Some("draft".to_string())),
            (Some(6), Some("featured".to_string()))
        ],
        "{err}"
    );
}

#[test]
fn a_single_tag_or_a_comma_separated_string_is_accepted() {
    let site = Site::new(&[
        (
            "content/2020/10/a.md",
            "---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\ntags: 5\n---\nx\n",
        ),
        (
            "content/2020/10/b.md",
            "---\ntitle: B\ndate: 2020-10-13\ncategory: Chung\ntags: khoa học, đổi mới\n---\nx\n",
        ),
    ]);
    site.build_ok();
    let a = site.read("chung/a/index.html");
    assert!(a.contains("rel=\"tag\">5</a>"), "{a}");
    let b = site.read("chung/b/index.html");
    assert!(
        b.contains("rel=\"tag\">khoa học</a>") && b.contains("rel=\"tag\">đổi mới</a>"),
        "{b}"
    );
}

#[test]
fn an_invalid_date_names_the_line_and_the_accepted_formats() {
    let p = one_error("---\ntitle: A\ncategory: Chung\ndate: 13/10/2020\n---\nx\n");
    let text = p.to_string();
    assert!(
        text.starts_with(&format!("{FILE}:4: field `date`: ")),
        "{text}"
    );
    assert!(
        text.contains("13/10/2020"),
        "quotes what was written: {text}"
    );
    for format in [
        "2020-10-13T07:57:32+07:00",
        "2020-10-13 07:57:32",
        "2020-10-13 07:57",
        "2020-10-13",
    ] {
        assert!(text.contains(format), "lists {format}: {text}");
    }
}

#[test]
fn an_impossible_calendar_date_is_rejected() {
    for date in ["2020-13-45", "2021-02-29", "2020-10-13 24:61"] {
        let p = one_error(&format!(
            "---\ntitle: A\ncategory: Chung\ndate: {date}\n---\nx\n"
        ));
        assert_eq!(
            (p.line, p.field.as_deref()),
            (Some(4), Some("date")),
            "{date}: {p}"
        );
    }
}

#[test]
fn an_invalid_updated_date_is_named() {
    let p =
        one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\nupdated: hôm qua\n---\nx\n");
    assert_eq!(
        (p.line, p.field.as_deref()),
        (Some(5), Some("updated")),
        "{p}"
    );
}

#[test]
fn an_unknown_layout_is_named() {
    let p = one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\nlayout: trang\n---\nx\n");
    assert_eq!(
        (p.line, p.field.as_deref()),
        (Some(5), Some("layout")),
        "{p}"
    );
    assert!(p.message.contains("page"), "{p}");
}

#[test]
fn a_slug_without_letters_is_named() {
    let p = one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\nslug: \"!!!\"\n---\nx\n");
    assert_eq!((p.line, p.field.as_deref()), (Some(5), Some("slug")), "{p}");
}

#[test]
fn an_alias_climbing_out_of_the_site_is_named() {
    let p =
        one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\naliases: [../x]\n---\nx\n");
    assert_eq!(
        (p.line, p.field.as_deref()),
        (Some(5), Some("aliases")),
        "{p}"
    );
}

#[test]
fn a_year_outside_0_to_9999_is_rejected_naming_the_field() {
    // Such dates cannot be written as RFC 3339, which every template date filter needs.
    for date in ["-0001-01-01", "+10000-01-01 08:00"] {
        let site = Site::new(&[(
            FILE,
            &format!("---\ntitle: A\ncategory: Chung\ndate: {date}\n---\nx\n"),
        )]);
        let err = site.build_err();
        let Error::Input(_) = &err else {
            panic!("{date}: expected an input error naming {FILE}, got: {err}");
        };
        let p = only_problem(&err);
        assert_eq!(
            (p.file.as_path(), p.line, p.field.as_deref()),
            (Path::new(FILE), Some(4), Some("date")),
            "{date}: {p}"
        );
    }
}

/// Checks in memory (nothing is written) that a site's pages all lie under its base path.
fn urls_stay_inside(site: &Site) -> Result<(), String> {
    match trangtin::load_site(&site.options()) {
        Err(err) => Err(err.to_string()),
        Ok(loaded) => {
            for url in loaded.urls.iter().filter(|u| !u.is_empty()) {
                let rest = url
                    .strip_prefix(loaded.config.base_path.as_str())
                    .unwrap_or("");
                assert!(
                    !rest.is_empty() && !rest.starts_with('/'),
                    "the page URL `{url}` would be written outside the output folder"
                );
            }
            Ok(())
        }
    }
}

#[test]
fn a_category_without_letters_or_digits_is_rejected_or_gets_a_usable_slug() {
    for category in ["!!!", "..", "🚀", "\u{0301}\u{0323}"] {
        let site = Site::new(&[(
            FILE,
            &format!("---\ntitle: A\ndate: 2020-10-13\ncategory: \"{category}\"\n---\nx\n"),
        )]);
        if let Err(message) = urls_stay_inside(&site) {
            assert!(
                message.starts_with(&format!("{FILE}:4: field `category`: ")),
                "category `{category}`: the error should name the file, line and field: {message}"
            );
        }
    }
}

#[test]
fn a_declared_category_whose_slug_is_empty_is_a_config_error() {
    for config in [
        "categories:\n  - name: \"???\"\n  - name: Chung\n",
        "categories:\n  - name: \"???\"\n    slug: hoi\n  - name: Chung\n    slug: \"---\"\n",
    ] {
        let site = Site::new(&[
            ("config.yaml", config),
            (
                "content/2020/10/a.md",
                &article("A", "2020-10-13", "???", "x\n"),
            ),
            (
                "content/2020/10/b.md",
                &article("B", "2020-10-13", "Chung", "x\n"),
            ),
        ]);
        if let Err(message) = urls_stay_inside(&site) {
            assert!(message.starts_with("config.yaml:"), "{message}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The shape of the file
// ---------------------------------------------------------------------------------------------

#[test]
fn rejects_unclosed_front_matter() {
    let p = one_error("---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\n\nNội dung.\n");
    assert_eq!(p.line, Some(4), "after the last field");
    assert_eq!(
        p.to_string(),
        format!(
            "{FILE}:4: front matter is not closed: no `---` line after the opening one on line \
             1; add a `---` line after this one (`category: Chung`), before the article's text"
        )
    );
}

#[test]
fn a_mistyped_closing_fence_is_named_at_its_line() {
    for fence in ["--", "----", "— — —", "--- yaml", " ---"] {
        let p = one_error(&format!(
            "---\ntitle: A\ndate: 2020-10-13\ncategory: Chung\n{fence}\nNội dung.\n"
        ));
        assert_eq!(p.line, Some(5), "{fence}: {p}");
        assert!(
            p.message
                .ends_with("must be exactly three dashes `---`, with nothing before or after them"),
            "{p}"
        );
    }
}

#[test]
fn rejects_a_file_without_front_matter() {
    let p = one_error("# Hội nghị\n\nNội dung.\n");
    assert_eq!(p.line, Some(1));
    assert!(p.message.contains("no front matter"), "{p}");
}

#[test]
fn rejects_an_empty_file() {
    let p = one_error("");
    assert_eq!(p.file, Path::new(FILE));
    assert!(p.message.contains("front matter"), "{p}");
}

#[test]
fn rejects_front_matter_that_is_not_a_mapping() {
    let p = one_error("---\n- title: A\n- date: 2020-10-13\n---\nx\n");
    assert_eq!(p.file, Path::new(FILE));
    assert!(p.line.is_some_and(|l| (2..=3).contains(&l)), "{p}");
}

#[test]
fn rejects_invalid_utf8_naming_the_line() {
    let site = Site::new(&[]);
    site.write_bytes(
        FILE,
        b"---\ntitle: A\xe0 b\ndate: 2020-10-13\ncategory: Chung\n---\nx\n",
    );
    let p = only_problem(&site.build_err());
    assert_eq!(
        p.to_string(),
        format!("{FILE}:2: is not UTF-8 text; save it as UTF-8")
    );
}

#[test]
fn a_bad_file_does_not_hide_the_errors_of_another() {
    let site = Site::new(&[
        ("content/2020/10/a.md", "# không có front matter\n"),
        (
            "content/2020/10/b.md",
            &article("B", "2020-10-13", "Chung", "[x](khong-co.md)\n"),
        ),
        (
            "content/2020/10/c.md",
            &article("C", "2020-10-13", "Chung", "x\n"),
        ),
    ]);
    let err = site.build_err();
    let files: Vec<PathBuf> = problems(&err).iter().map(|p| p.file.clone()).collect();
    assert_eq!(
        files,
        [
            PathBuf::from("content/2020/10/a.md"),
            PathBuf::from("content/2020/10/b.md")
        ],
        "{err}"
    );
}

#[test]
fn a_bad_config_names_the_key_and_line() {
    let site = Site::new(&[
        ("config.yaml", "title: Trang tin\nper_page: 0\n"),
        (
            "content/2020/10/a.md",
            &article("A", "2020-10-13", "Chung", "x\n"),
        ),
    ]);
    let p = only_problem(&site.build_err());
    assert_eq!(
        p.to_string(),
        "config.yaml:2: field `per_page`: must be at least 1"
    );
}

#[test]
fn an_unknown_config_key_is_named() {
    let site = Site::new(&[("config.yaml", "title: A\nper_pgae: 5\n")]);
    let err = site.build_err();
    let p = only_problem(&err);
    assert_eq!(p.file, Path::new("config.yaml"));
    assert!(p.to_string().contains("per_pgae"), "{p}");
    assert_eq!(p.line, Some(2), "{p}");
}

// ---------------------------------------------------------------------------------------------
// A corpus of malformed files (tests/malformed_outcomes.rs pins what each one does)
// ---------------------------------------------------------------------------------------------

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/malformed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_malformed_corpus_has_enough_files() {
    assert!(corpus().len() >= 25, "{} files", corpus().len());
}

#[test]
fn each_malformed_file_that_should_fail_is_rejected_naming_its_line() {
    // The files whose mistakes are certain: (file, line, field).
    let cases: &[(&str, Option<usize>, Option<&str>)] = &[
        ("01-only-opening-fence.md", Some(1), None),
        ("02-only-dashes-no-newline.md", Some(1), None),
        ("05-truncated-mid-utf8.md", Some(2), None),
        ("06-only-bom.md", Some(1), None),
        ("16-binary-bytes.md", Some(2), None),
        ("21-impossible-date.md", Some(3), Some("date")),
        ("26-date-is-a-mapping.md", Some(3), Some("date")),
        ("50-invalid-utf8-in-body.md", Some(7), None),
        ("59-empty-file.md", Some(1), None),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/malformed");
    let mut failures = Vec::new();
    for &(name, line, field) in cases {
        let site = Site::new(&[]);
        site.write_bytes(
            &format!("content/x/{name}"),
            &std::fs::read(dir.join(name)).unwrap(),
        );
        match trangtin::build(&site.options()) {
            Ok(_) => failures.push(format!("{name}: built")),
            Err(err) => {
                let Error::Input(problems) = &err else {
                    failures.push(format!("{name}: {err}"));
                    continue;
                };
                let p = &problems[0];
                if p.file != Path::new(&format!("content/x/{name}"))
                    || p.line != line
                    || p.field.as_deref() != field
                {
                    failures.push(format!(
                        "{name}: expected line {line:?} field {field:?}, got {p}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
