//! A build killed at any moment (`kill -9`) leaves the output either the whole old site or
//! the whole new one, and the next build succeeds and removes what the killed one left.

mod bin_support;

use bin_support::files;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const ARTICLES: usize = 1500;
const MARKER: &str = ".trangtin-output";

/// Writes a site of [`ARTICLES`] articles whose titles carry `edition`.
fn write_site(root: &Path, edition: &str) {
    std::fs::write(
        root.join("config.yaml"),
        "title: Tin\ncategories:\n  - name: Chung\n  - name: Xã hội\n",
    )
    .unwrap();
    for i in 0..ARTICLES {
        let category = if i % 2 == 0 { "Chung" } else { "Xã hội" };
        let dir = root.join(format!("content/2024/{:02}", 1 + i % 12));
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "---\ntitle: \"Tin {i} {edition}\"\ndate: 2024-{:02}-{:02} 08:00\ncategory: \"{category}\"\n\
             tags: [\"the {}\"]\n---\nNội dung bài {i}, bản {edition}.\n",
            1 + i % 12,
            1 + i % 28,
            i % 40
        );
        std::fs::write(dir.join(format!("tin-{i}.md")), text).unwrap();
    }
}

fn build(root: &Path, output: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_trangtin"))
        .args(["build", "--root", ".", "--output", output])
        .current_dir(root)
        .output()
        .unwrap()
}

/// The files of an output without its marker file (which records times).
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = files(dir);
    all.remove(MARKER);
    all
}

/// Names beside the output other than the site's own files.
fn beside(root: &Path) -> Vec<String> {
    let current = std::fs::read_link(root.join("public")).ok();
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && n != ".public.lock" && n != ".public.prev")
        .filter(|n| current.as_deref() != Some(Path::new(n)))
        .collect();
    names.sort();
    names
}

#[test]
fn a_killed_build_leaves_the_whole_old_or_the_whole_new_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_site(root, "cũ");
    assert!(build(root, "public").status.success());
    let old = site_files(&root.join("public"));
    write_site(root, "mới");
    let started = Instant::now();
    assert!(build(root, "expected").status.success());
    let full = started.elapsed();
    let new = site_files(&root.join("expected"));
    std::fs::remove_dir_all(root.join("expected")).unwrap();
    let _ = std::fs::remove_file(root.join(".expected.lock"));
    let mut seen_old = 0;
    // Kills spread over the build, most of them near its end, where the commit is.
    for percent in [10u32, 40, 70, 85, 92, 96, 98, 99, 100, 101, 103, 106] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trangtin"))
            .args(["build", "--root", ".", "--output", "public"])
            .current_dir(root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full * percent / 100);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = site_files(&root.join("public"));
        assert!(
            now == old || now == new,
            "killed at {percent}%: the output is neither the old site nor the new one"
        );
        if now == old {
            seen_old += 1;
            continue;
        }
        // Back to the old site for the next kill, through a normal build.
        write_site(root, "cũ");
        assert!(build(root, "public").status.success());
        assert!(site_files(&root.join("public")) == old);
        write_site(root, "mới");
    }
    assert!(seen_old > 0, "no kill landed before the switch");
    let out = build(root, "public");
    assert!(out.status.success(), "{out:?}");
    assert!(site_files(&root.join("public")) == new);
    assert_eq!(beside(root), Vec::<String>::new(), "leftovers were removed");
}
