//! `trangtin user add|list|passwd|remove` run as a program, the password on standard input:
//! the users file it writes (mode 0600, hashes that verify through the library) and the
//! mistakes it refuses.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use trangtin::accounts::{Accounts, Role};

/// Runs `trangtin ARGS` in `dir` with `stdin` as its standard input.
fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trangtin"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run trangtin");
    // The command may exit before reading (a refused name): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a command that must succeed.
fn ok(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let output = run(dir, args, stdin);
    assert!(
        output.status.success(),
        "{args:?} failed:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    output
}

/// Runs a command that must fail with exit code 1 (not a panic, not a usage error); its
/// standard error.
fn fails(dir: &Path, args: &[&str], stdin: &str) -> String {
    let output = run(dir, args, stdin);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{args:?}:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    stderr(&output)
}

fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let users = Accounts::default_path(dir.path());
    (dir, users)
}

#[test]
fn adds_lists_changes_and_removes_users() {
    let (dir, users) = site();
    let root = dir.path();
    ok(
        root,
        &[
            "user",
            "add",
            "lan",
            "--role",
            "nguoi-duyet",
            "--display-name",
            "Nguyễn Thị Lan",
        ],
        "mật khẩu của Lan\n",
    );
    ok(
        root,
        &["user", "add", "minh", "--role", "bien-tap-vien"],
        "minh-0123456789\r\n",
    );

    let text = std::fs::read_to_string(&users).unwrap();
    assert!(
        text.starts_with("# Tài khoản soạn tin của trangtin."),
        "{text}"
    );
    assert!(!text.contains("mật khẩu của Lan"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&users).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let accounts = Accounts::load(&users).unwrap();
    let lan = accounts
        .verify("lan", "mật khẩu của Lan")
        .expect("lan logs in");
    assert_eq!(lan.display_name, "Nguyễn Thị Lan");
    assert_eq!(lan.role, Role::Approver);
    let minh = accounts
        .verify("minh", "minh-0123456789")
        .expect("the line ending is not part of the password");
    assert_eq!(
        (minh.display_name.as_str(), minh.role),
        ("minh", Role::Editor)
    );

    let listed = stdout(&ok(root, &["user", "list"], ""));
    assert_eq!(
        listed,
        "lan   nguoi-duyet    Nguyễn Thị Lan\nminh  bien-tap-vien  minh\n"
    );

    ok(root, &["user", "passwd", "minh"], "mật khẩu mới của Minh\n");
    let accounts = Accounts::load(&users).unwrap();
    assert!(accounts.verify("minh", "minh-0123456789").is_none());
    assert!(accounts.verify("minh", "mật khẩu mới của Minh").is_some());
    assert!(accounts.verify("lan", "mật khẩu của Lan").is_some());

    ok(root, &["user", "remove", "lan"], "");
    let accounts = Accounts::load(&users).unwrap();
    let names: Vec<&str> = accounts.users().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["minh"]);
    assert!(accounts.verify("lan", "mật khẩu của Lan").is_none());
}

#[test]
fn the_site_folder_can_be_given_with_root() {
    let (dir, _) = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    ok(
        elsewhere.path(),
        &[
            "user",
            "add",
            "lan",
            "--role",
            "nguoi-duyet",
            "--root",
            root,
        ],
        "0123456789\n",
    );
    ok(
        elsewhere.path(),
        &[
            "user",
            "--root",
            root,
            "add",
            "hoa",
            "--role",
            "bien-tap-vien",
        ],
        "0123456789\n",
    );
    let listed = stdout(&ok(elsewhere.path(), &["user", "list", "--root", root], ""));
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(!elsewhere.path().join(".trangtin").exists());
}

#[test]
fn refuses_short_passwords_taken_and_bad_names_and_unknown_users() {
    let (dir, users) = site();
    let root = dir.path();
    let err = fails(
        root,
        &["user", "add", "lan", "--role", "nguoi-duyet"],
        "ngắn quá\n",
    );
    assert!(err.contains("field `password`: Mật khẩu quá ngắn"), "{err}");
    assert!(!users.exists(), "nothing written");

    ok(
        root,
        &["user", "add", "lan", "--role", "nguoi-duyet"],
        "0123456789\n",
    );
    let before = std::fs::read_to_string(&users).unwrap();

    let err = fails(
        root,
        &["user", "add", "lan", "--role", "bien-tap-vien"],
        "0123456789\n",
    );
    assert!(err.contains("user `lan` already exists"), "{err}");
    for bad in ["Lan", "nguyễn", "a b", "../x", &"a".repeat(33)] {
        let err = fails(
            root,
            &["user", "add", bad, "--role", "bien-tap-vien"],
            "0123456789\n",
        );
        assert!(err.contains("is not a login name"), "{bad}: {err}");
    }
    let err = fails(root, &["user", "passwd", "minh"], "0123456789\n");
    assert!(err.contains("no user `minh` (users: lan)"), "{err}");
    let err = fails(root, &["user", "remove", "minh"], "");
    assert!(err.contains("no user `minh`"), "{err}");
    let err = fails(root, &["user", "passwd", "lan"], "");
    assert!(err.contains("no password"), "{err}");
    let err = fails(root, &["user", "passwd", "lan"], "short\n");
    assert!(err.contains("Mật khẩu quá ngắn"), "{err}");

    assert_eq!(std::fs::read_to_string(&users).unwrap(), before);
}

#[test]
fn an_unknown_role_is_a_usage_error_that_lists_the_roles() {
    let (dir, users) = site();
    let output = run(
        dir.path(),
        &["user", "add", "lan", "--role", "admin"],
        "0123456789\n",
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("bien-tap-vien, nguoi-duyet"), "{err}");
    assert!(!users.exists());
}

#[test]
fn a_broken_users_file_is_reported_with_its_line() {
    let (dir, users) = site();
    std::fs::create_dir_all(users.parent().unwrap()).unwrap();
    std::fs::write(
        &users,
        "users:\n  - name: lan\n    role: quan-tri\n    password: x\n",
    )
    .unwrap();
    let err = fails(dir.path(), &["user", "list"], "");
    assert!(
        err.contains("users.yaml:3: field `role`: unknown variant `quan-tri`"),
        "{err}"
    );
}

#[test]
fn listing_no_users_says_how_to_add_one() {
    let (dir, _) = site();
    let output = ok(dir.path(), &["user", "list"], "");
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains("trangtin user add NAME"));
}
