//! Official documents ("Văn bản", `content/van-ban/`): the fixture site
//! `tests/sites/documents/` builds, and its mistakes are errors naming file, line and field,
//! in `check` as in `build`.

mod common;

use common::Site;
use std::path::Path;

/// A copy of `tests/sites/documents/` in a temporary folder.
fn fixture() -> Site {
    let site = Site::new(&[]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/documents");
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&root).unwrap();
            let relative = relative.to_string_lossy().replace('\\', "/");
            site.write_bytes(&relative, &std::fs::read(entry.path()).unwrap());
        }
    }
    site
}

/// The errors `trangtin check` reports, as text lines.
fn check_errors(site: &Site) -> Vec<String> {
    trangtin::check::check(&site.options())
        .problems
        .into_iter()
        .filter(trangtin::Problem::is_error)
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn the_fixture_site_builds_and_publishes_the_attachments() {
    let site = fixture();
    site.build_ok();
    assert!(site.exists("van-ban/2024/qd-456.pdf"));
    assert!(site.exists("van-ban/2023/kh-7.pdf"));
}

#[test]
fn a_missing_number_is_an_error_naming_file_line_and_field() {
    let site = fixture();
    let path = "content/van-ban/2024/tb-12.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &text.replace("number: 12/TB-SKHCN\n", ""));
    let expected =
        "content/van-ban/2024/tb-12.md:1: field `number`: is required but missing or empty";
    let errors = common::problems(&site.build_err())
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>();
    assert_eq!(errors, [expected]);
    assert_eq!(check_errors(&site), [expected]);
}

#[test]
fn a_missing_attached_file_is_an_error_naming_file_line_and_field() {
    let site = fixture();
    std::fs::remove_file(site.root().join("content/van-ban/2024/qd-456.pdf")).unwrap();
    let expected = "content/van-ban/2024/qd-456.md:8: field `files`: `qd-456.pdf` does not exist \
                    (looked for content/van-ban/2024/qd-456.pdf)";
    let errors: Vec<String> = common::problems(&site.build_err())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors, [expected]);
    assert_eq!(check_errors(&site), [expected]);
}

#[test]
fn an_unknown_field_and_a_type_outside_the_config_get_what_was_meant() {
    let site = fixture();
    let path = "content/van-ban/2023/kh-7.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        &text
            .replace("signer:", "người ký:")
            .replace("type: Kế hoạch", "type: Ke hoach x"),
    );
    let errors = check_errors(&site);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().any(|e| e.starts_with(
            "content/van-ban/2023/kh-7.md:6: field `người ký`: unknown field of a document; \
             did you mean `signer`?"
        )),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(
            |e| e.starts_with("content/van-ban/2023/kh-7.md:3: field `type`")
                && e.contains("did you mean `Kế hoạch`?")
        ),
        "{errors:?}"
    );
}

#[test]
fn two_documents_with_one_number_are_an_error() {
    let site = fixture();
    let path = "content/van-ban/2023/kh-7.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &text.replace("7/KH-UBND", "456/qđ-skhcn"));
    let errors = check_errors(&site);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("field `number`") && errors[0].contains("already the number of"),
        "{errors:?}"
    );
}
