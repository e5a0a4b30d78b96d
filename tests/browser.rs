//! The real-browser end-to-end tests: runs the Node suite of `tests/browser/` (Node's test
//! runner; nginx serves the sample site built by this crate's binary, Chromium drives it through
//! playwright-core, axe-core and the Nu Html Checker check it).
//!
//! They need node with `tests/browser/node_modules`, nginx, Chromium and Java: `bash
//! tests/all.sh` installs them and runs every test. Without them this test is skipped with a loud
//! line, unless `CI` or `TRANGTIN_BROWSER_TESTS=1` is set: then it fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn on_path(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// What the suite needs and is missing on this machine.
fn missing(repo: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if !on_path("node") {
        missing.push("node".to_string());
    }
    for module in ["playwright-core", "axe-core", "vnu-jar"] {
        let path = repo
            .join("tests/browser/node_modules")
            .join(module)
            .join("package.json");
        if !path.exists() {
            missing.push(format!("tests/browser/node_modules/{module} (npm ci)"));
        }
    }
    if !on_path("nginx")
        && !Path::new("/usr/sbin/nginx").exists()
        && std::env::var_os("NGINX").is_none()
    {
        missing.push("nginx".to_string());
    }
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() {
        missing.push(format!("chromium ({})", chromium.display()));
    }
    let java = Command::new("java").arg("-version").output();
    if !java.map(|o| o.status.success()).unwrap_or(false) {
        missing.push("java".to_string());
    }
    missing
}

#[test]
fn browser_suite() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let missing = missing(&repo);
    if !missing.is_empty() {
        let required = std::env::var_os("CI").is_some()
            || std::env::var("TRANGTIN_BROWSER_TESTS").as_deref() == Ok("1");
        let message = format!(
            "browser tests need {}: run `bash tests/all.sh` (it installs them and runs every test)",
            missing.join(", ")
        );
        if required {
            panic!("{message}");
        }
        // Straight to the terminal, past the test harness's capture.
        let _ = writeln!(
            std::io::stderr(),
            "\n======== SKIPPED: {message} ========\n"
        );
        return;
    }

    let started = Instant::now();
    let output = Command::new("node")
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-reporter=spec",
            "--test-timeout=300000",
            "tests/browser/",
        ])
        .current_dir(&repo)
        .env("TRANGTIN_BIN", env!("CARGO_BIN_EXE_trangtin"))
        .env("FORCE_COLOR", "0")
        .env("NO_COLOR", "1")
        .output()
        .expect("cannot run node");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        panic!(
            "the browser tests failed ({}, {:.1} s):\n{stdout}\n{stderr}",
            output.status,
            elapsed.as_secs_f64()
        );
    }
    // On success: the summary (counts, screenshot folder), past the harness's capture.
    let summary: Vec<&str> = stdout.lines().filter(|l| l.starts_with('ℹ')).collect();
    let _ = writeln!(
        std::io::stderr(),
        "browser tests passed in {:.1} s:\n{}",
        elapsed.as_secs_f64(),
        summary.join("\n")
    );
}
