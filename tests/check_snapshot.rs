//! Snapshots of what `trangtin check` and `trangtin build` say about `tests/sites/broken/`, a
//! site with one editor's mistake per file, and proof that a failed build writes nothing.

mod bin_support;

use bin_support::{copy_dir, exit_code, files, run, site, transcript};
use std::path::Path;

/// The files of the broken site whose mistakes stop `check` before it looks for collisions.
const FRONT_MATTER_MISTAKES: &[&str] = &[
    "loi-cu-phap-yaml.md",
    "thieu-ngay.md",
    "chuyen-muc-la.md",
    "lien-ket-hong.md",
    "ngay-sai.md",
    "truong-la.md",
];

/// A regular expression matching `text` literally (for insta filters).
fn literal(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// The folder's entries and, for every file under it, its bytes and modification time.
fn state(dir: &Path) -> Vec<(String, usize, std::time::SystemTime)> {
    files(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let modified = std::fs::metadata(dir.join(&path))
                .unwrap()
                .modified()
                .unwrap();
            (path, bytes.len(), modified)
        })
        .collect()
}

#[test]
fn check_lists_the_mistakes_of_the_broken_site_and_fails() {
    let output = run(
        &bin_support::repo(),
        &["check", "--root", "tests/sites/broken"],
    );
    assert_eq!(exit_code(&output), 1);
    insta::assert_snapshot!("check_broken", transcript(&output));
}

#[test]
fn check_reports_the_duplicate_slug_and_the_alias_collision_once_the_front_matter_is_fixed() {
    // With every mistake present, `check` stops before it looks for collisions (the snapshot
    // above has neither); without the front-matter mistakes it finds both.
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&site("broken"), temp.path(), &mut |path| {
        FRONT_MATTER_MISTAKES.contains(&path.file_name().unwrap().to_str().unwrap())
    });
    let output = run(temp.path(), &["check", "--root", "."]);
    assert_eq!(exit_code(&output), 1);
    let root = temp.path().to_str().unwrap().to_string();
    insta::with_settings!({ filters => vec![(literal(&root).as_str(), "[SITE]")] }, {
        insta::assert_snapshot!("check_broken_collisions", transcript(&output));
    });
}

#[test]
fn build_refuses_the_broken_site_and_leaves_the_previous_output_untouched() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("public");
    let out_arg = out.to_str().unwrap();
    let good = run(
        &site("minimal"),
        &["build", "--root", ".", "--output", out_arg],
    );
    assert_eq!(
        exit_code(&good),
        0,
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let before = state(temp.path());
    assert!(before.iter().any(|(p, _, _)| p == "public/index.html"));

    let output = run(
        &site("broken"),
        &["build", "--root", ".", "--output", out_arg],
    );
    assert_eq!(exit_code(&output), 1);
    let root = temp.path().to_str().unwrap().to_string();
    insta::with_settings!({ filters => vec![(literal(&root).as_str(), "[TEMP]")] }, {
        insta::assert_snapshot!("build_broken", transcript(&output));
    });
    assert!(
        state(temp.path()) == before,
        "the failed build changed the output folder or wrote beside it"
    );
}
