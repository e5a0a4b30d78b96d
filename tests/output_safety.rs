//! The published output is never lost by mistake: a build that would unpublish most of the
//! site needs leave, an output folder inside `content/` is refused, and two builds of one
//! output at once cannot mix.

mod common;

use common::{article, Site};

const CONFIG: &str = "title: Tin\ncategories:\n  - name: Chung\n";

/// A site with `n` articles.
fn site_of(n: usize) -> Site {
    let site = Site::new(&[("config.yaml", CONFIG)]);
    for i in 0..n {
        let text = article(&format!("Tin {i}"), "2024-03-01 08:00", "Chung", "X.\n");
        site.write(&format!("content/2024/03/tin-{i}.md"), &text);
    }
    site
}

#[test]
fn a_build_removing_most_published_pages_fails_unless_allowed() {
    let site = site_of(30);
    site.build_ok();
    let before = common::snapshot(&site.public());
    for i in 1..30 {
        std::fs::remove_file(site.root().join(format!("content/2024/03/tin-{i}.md"))).unwrap();
    }
    let out = site.run(&["build", "--root", "."]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("would remove 32 of the 42 published pages"),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-mass-delete"), "{stderr}");
    assert_eq!(common::snapshot(&site.public()), before, "nothing changed");
    let check = site.run(&["check", "--root", "."]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("would remove 32 of the 42 published pages"),
        "{stdout}"
    );
    let check = site.run(&["check", "--root", ".", "--allow-mass-delete"]);
    assert_eq!(check.status.code(), Some(0));
    let out = site.run(&["build", "--root", ".", "--allow-mass-delete"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // The removed articles' URLs say they were removed.
    assert!(site
        .read("chung/tin-1/index.html")
        .contains("Bài viết đã được gỡ"));
    assert!(site.exists("chung/tin-0/index.html"));
}

#[test]
fn removing_a_few_pages_needs_no_leave() {
    let site = site_of(30);
    site.build_ok();
    for i in 1..10 {
        std::fs::remove_file(site.root().join(format!("content/2024/03/tin-{i}.md"))).unwrap();
    }
    let report = site.build_ok();
    assert_eq!(
        report.commit.removed, 0,
        "the pages of removed articles stay, saying so"
    );
    assert!(site
        .read("chung/tin-1/index.html")
        .contains("Bài viết đã được gỡ"));
}

#[test]
fn an_output_folder_inside_content_is_refused() {
    let site = site_of(1);
    let out = site.run(&["build", "--root", ".", "--output", "content/public"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/public: the output folder is inside content/"),
        "{stderr}"
    );
    assert!(!site.root().join("content/public").exists());
    let linked = site.root().join("ra");
    std::os::unix::fs::symlink("content", &linked).unwrap();
    let out = site.run(&["build", "--root", ".", "--output", "ra/public"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a link into content/ is seen through"
    );
}

#[test]
fn a_second_build_of_one_output_fails_while_the_first_runs() {
    let site = site_of(2);
    site.build_ok();
    let first = trangtin::output::write::Staging::new(&site.public()).unwrap();
    let err = site.build_err().to_string();
    assert!(err.contains("another trangtin build"), "{err}");
    assert!(err.contains(&std::process::id().to_string()), "{err}");
    drop(first);
    site.build_ok();
}

#[test]
fn init_ignores_the_output_its_generations_and_lock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("trang");
    trangtin::scaffold::init_site(&root, false).unwrap();
    let ignored = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "public"), "{ignored}");
    assert!(ignored.lines().any(|l| l == ".public.*"), "{ignored}");
}
