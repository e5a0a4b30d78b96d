//! Helpers for the tests that drive the `trangtin` binary only (no library items, so they do
//! not break when the library's API is renamed): run it, copy a fixture site, list files.

#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the sample site: `config.yaml`, `content/`, `themes/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site under `tests/sites/`.
pub fn site(name: &str) -> PathBuf {
    repo().join("tests/sites").join(name)
}

/// Runs `trangtin` with `args` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trangtin"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run trangtin")
}

/// The exit code; fails the test when the process was killed by a signal or panicked (101).
pub fn exit_code(output: &Output) -> i32 {
    let Some(code) = output.status.code() else {
        panic!("trangtin was killed by a signal: {output:?}");
    };
    assert!(
        code == 0 || code == 1,
        "trangtin exited with {code} (101 is a panic):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    code
}

/// Standard output and standard error as text, labelled, with the exit code.
pub fn transcript(output: &Output) -> String {
    format!(
        "exit code: {}\n--- stdout\n{}--- stderr\n{}",
        exit_code(output),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Copies the folder `from` into `to` (created), skipping files for which `skip` is true.
pub fn copy_dir(from: &Path, to: &Path, skip: &mut dyn FnMut(&Path) -> bool) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target, skip);
        } else if !skip(&path) {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path with `/` separators.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let relative = path.strip_prefix(base).unwrap().to_string_lossy();
                out.insert(relative.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The `<main ...>...</main>` element of a page (the first `<main` to the next `</main>`).
pub fn main_of(html: &str) -> &str {
    let from = html
        .find("<main")
        .unwrap_or_else(|| panic!("no <main> in:\n{html}"));
    let to = html[from..]
        .find("</main>")
        .unwrap_or_else(|| panic!("<main> is not closed in:\n{html}"));
    &html[from..from + to + "</main>".len()]
}
