//! `trangtin deploy --to sftp://USER@HOST:PORT/PATH` against a real OpenSSH server (Debian's
//! `sshd`, started on free loopback ports by `tests/sftp_support`). The first deploy puts the
//! site byte for byte; the next puts only what changed and deletes a removed file; a dry run
//! writes nothing; an unknown or changed host key and a wrong user key are refused; an
//! interrupted deploy resumes; a folder the user cannot write is said clearly; the command
//! reads its settings from the environment and refuses a credentials file inside the site.
//!
//! Skipped, with the reason printed, unless `TRANGTIN_SFTP_TESTS=1` (`tests/all.sh` sets it
//! and installs openssh-server); when it is set, a missing `sshd` is a failure.

mod common;
mod sftp_support;

use common::{article, deploy_site, deployable_files, snapshot, Site};
use sftp_support::Sshd;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::Command;
use trangtin::deploy::manifest::MANIFEST;
use trangtin::deploy::{deploy, DeployOptions, Destination};

#[test]
fn deploys_to_an_sftp_server() {
    if std::env::var_os("TRANGTIN_SFTP_TESTS").is_none() {
        // Straight to the terminal, past the test harness's capture.
        let _ = writeln!(
            std::io::stderr(),
            "\n======== SKIPPED: the SFTP deploy tests need OpenSSH's sshd and \
             TRANGTIN_SFTP_TESTS=1: run `bash tests/all.sh` (it installs openssh-server and \
             sets it) ========\n"
        );
        return;
    }
    let sshd = Sshd::start();
    let credentials = sshd.credentials("sftp.env", &sshd.key, &sshd.known_hosts);

    puts_the_site_then_only_what_changed(&sshd, &credentials);
    a_dry_run_writes_nothing(&sshd, &credentials);
    an_unknown_or_changed_host_key_is_refused(&sshd);
    a_key_the_server_does_not_know_is_refused(&sshd);
    an_interrupted_deploy_resumes_with_what_is_left(&sshd, &credentials);
    a_folder_the_user_cannot_write_is_said_clearly(&sshd, &credentials);
    a_full_disk_is_said_clearly(&sshd, &credentials);
    the_command_reads_the_environment_and_refuses_credentials_inside_the_site(&sshd);
}

/// Deploy options for `site` into `to` with `credentials`.
fn options(site: &Site, to: &str, credentials: &Path) -> DeployOptions {
    let mut options = DeployOptions::new(site.public(), Destination::parse(to).unwrap());
    options.credentials = Some(credentials.to_path_buf());
    options.site_root = Some(site.root().to_path_buf());
    options
}

/// The target folder's files but the manifest; fails on a temporary file left behind.
fn target_files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(folder);
    files.remove(MANIFEST);
    let temporary: Vec<&String> = files
        .keys()
        .filter(|p| p.ends_with(".trangtin-tmp"))
        .collect();
    assert!(temporary.is_empty(), "left behind: {temporary:?}");
    files
}

fn puts_the_site_then_only_what_changed(sshd: &Sshd, credentials: &Path) {
    // A name with Vietnamese letters and a space; a file of many write requests.
    let report_text: String = (0..300_000u32)
        .map(|i| char::from(b'a' + (i.wrapping_mul(2_654_435_761) >> 27) as u8 % 26))
        .collect();
    let site = deploy_site(&[
        ("content/2026/11/tệp đính kèm.txt", "Tệp đính kèm."),
        ("content/2026/11/bao-cao.txt", &report_text),
    ]);
    let (to, folder) = sshd.target("www/tin-tuc");
    let first = deployable_files(&site);
    let report = deploy(&options(&site, &to, credentials)).expect("first deploy");
    assert_eq!(report.uploaded.len(), first.len());
    assert_eq!(
        report.uploaded_bytes,
        first.values().map(|b| b.len() as u64).sum::<u64>()
    );
    assert_eq!(target_files(&folder), first, "byte for byte");
    let manifest = std::fs::read_to_string(folder.join(MANIFEST)).unwrap();
    assert_eq!(manifest.lines().count(), first.len() + 1, "{manifest}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&folder.join("index.html")),
            mode(&site.public().join("index.html"))
        );
    }

    // Nothing changed: nothing is put.
    let again = deploy(&options(&site, &to, credentials)).unwrap();
    assert_eq!((again.uploaded.len(), again.unchanged), (0, first.len()));

    // One article edited, one attached file removed; a file of someone else's stays.
    std::fs::write(folder.join("google1234.html"), "xác minh").unwrap();
    let edited = common::edit_and_rebuild(&site, &first);
    let second = edited.after;
    let changed: BTreeSet<&String> = edited.changed.iter().collect();
    let removed: Vec<&String> = edited.removed.iter().collect();
    assert!(
        changed.iter().any(|p| p.contains("hoi-nghi")),
        "{changed:?}"
    );
    assert!(changed.len() < second.len(), "the style sheet is unchanged");
    assert!(
        removed.iter().any(|p| p.ends_with("bieu-mau.txt")),
        "{removed:?}"
    );

    let report = deploy(&options(&site, &to, credentials)).unwrap();
    let uploaded: BTreeSet<&String> = report.uploaded.iter().collect();
    assert_eq!(uploaded, changed, "exactly the changed files are put");
    assert_eq!(report.deleted.iter().collect::<Vec<_>>(), removed);
    assert_eq!(report.unchanged, second.len() - changed.len());
    let mut expected = second.clone();
    expected.insert("google1234.html".into(), "xác minh".into());
    assert_eq!(target_files(&folder), expected);
    assert!(
        report.summary().starts_with("Đã tải lên "),
        "{}",
        report.summary()
    );

    // A file removed or cut short on the server by hand is put again.
    std::fs::remove_file(folder.join("index.html")).unwrap();
    let report = deploy(&options(&site, &to, credentials)).unwrap();
    assert_eq!(report.uploaded, ["index.html"]);
    assert_eq!(target_files(&folder), expected);
}

fn a_dry_run_writes_nothing(sshd: &Sshd, credentials: &Path) {
    let site = deploy_site(&[]);
    let (to, folder) = sshd.target("dry/run");
    let mut dry = options(&site, &to, credentials);
    dry.dry_run = true;
    let report = deploy(&dry).unwrap();
    assert_eq!(report.uploaded.len(), deployable_files(&site).len());
    assert!(
        report.summary().starts_with("Chạy thử"),
        "{}",
        report.summary()
    );
    assert!(!folder.exists() && !folder.parent().unwrap().exists());

    // On a target with a manifest: still nothing written, the plan read from it.
    deploy(&options(&site, &to, credentials)).unwrap();
    let before = snapshot(&folder);
    site.write(
        "content/2026/11/lich-tiep-dan.md",
        &article("Lịch tiếp dân", "2026-11-21 08:00", "Chung", "Thứ Ba.\n"),
    );
    site.build_ok();
    let report = deploy(&dry).unwrap();
    assert!(!report.uploaded.is_empty());
    assert!(report.unchanged > 0);
    assert_eq!(snapshot(&folder), before);
}

fn an_unknown_or_changed_host_key_is_refused(sshd: &Sshd) {
    let site = deploy_site(&[]);
    let (to, folder) = sshd.target("unknown-host");
    let empty = sshd.dir.path().join("known_hosts_empty");
    std::fs::write(&empty, "").unwrap();
    let credentials = sshd.credentials("unknown.env", &sshd.key, &empty);
    let err = deploy(&options(&site, &to, &credentials))
        .unwrap_err()
        .to_string();
    assert!(err.contains("never trusts an unknown server"), "{err}");
    assert!(
        err.contains(&format!("ssh-keyscan -p {} 127.0.0.1 >>", sshd.port)),
        "{err}"
    );
    assert!(err.contains(&sshd.fingerprint()), "{err}");
    assert!(!folder.exists());

    // Another key recorded for this host and port: refused loudly, with the line.
    let other = std::fs::read_to_string(sshd.other_key.with_extension("pub")).unwrap();
    let other = other
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let changed = sshd.dir.path().join("known_hosts_changed");
    std::fs::write(
        &changed,
        format!("# old\n[127.0.0.1]:{} {other}\n", sshd.port),
    )
    .unwrap();
    let credentials = sshd.credentials("changed.env", &sshd.key, &changed);
    let err = deploy(&options(&site, &to, &credentials))
        .unwrap_err()
        .to_string();
    assert!(err.contains("HOST KEY HAS CHANGED"), "{err}");
    assert!(
        err.contains(&format!("{}:2", changed.display())),
        "the line of the old key: {err}"
    );
    assert!(err.contains(&sshd.fingerprint()), "{err}");
    assert!(!folder.exists());

    // The same key hashed (`ssh-keygen -H`) is known.
    let hashed = sshd.dir.path().join("known_hosts_hashed");
    std::fs::copy(&sshd.known_hosts, &hashed).unwrap();
    let status = Command::new("ssh-keygen")
        .arg("-H")
        .arg("-f")
        .arg(&hashed)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    assert!(std::fs::read_to_string(&hashed).unwrap().starts_with("|1|"));
    let credentials = sshd.credentials("hashed.env", &sshd.key, &hashed);
    let mut dry = options(&site, &to, &credentials);
    dry.dry_run = true;
    deploy(&dry).expect("a hashed known_hosts entry is read");
}

fn a_key_the_server_does_not_know_is_refused(sshd: &Sshd) {
    let site = deploy_site(&[]);
    let (to, folder) = sshd.target("wrong-key");
    let credentials = sshd.credentials("wrong.env", &sshd.other_key, &sshd.known_hosts);
    let err = deploy(&options(&site, &to, &credentials)).unwrap_err();
    match &err {
        trangtin::Error::Deploy { kind, .. } => {
            assert_eq!(*kind, std::io::ErrorKind::PermissionDenied, "{err}")
        }
        other => panic!("expected a refusal of the server, got: {other}"),
    }
    let text = err.to_string();
    assert!(text.contains("refused to log"), "{text}");
    assert!(
        text.contains(&sshd.other_key.display().to_string()),
        "{text}"
    );
    assert!(!folder.exists());

    // A password is tried after the key (this server takes none).
    let with_password = sshd.dir.path().join("password.env");
    std::fs::write(
        &with_password,
        format!(
            "TRANGTIN_SFTP_KEY={}\nTRANGTIN_SFTP_KNOWN_HOSTS={}\nTRANGTIN_SFTP_PASSWORD=mật-khẩu-sai\n",
            sshd.other_key.display(),
            sshd.known_hosts.display()
        ),
    )
    .unwrap();
    let err = deploy(&options(&site, &to, &with_password))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("and the password of TRANGTIN_SFTP_PASSWORD (it accepts: publickey)"),
        "{err}"
    );
    assert!(
        !err.contains("mật-khẩu"),
        "never the password itself: {err}"
    );
    assert!(!folder.exists());
}

fn an_interrupted_deploy_resumes_with_what_is_left(sshd: &Sshd, credentials: &Path) {
    let site = deploy_site(&[]);
    let (to, folder) = sshd.target("resume");
    let files = deployable_files(&site);
    // A folder (not empty) where the last page goes stops the deploy there.
    let last_page = files
        .keys()
        .rfind(|p| p.ends_with(".html"))
        .unwrap()
        .clone();
    let obstacle = folder.join(&last_page);
    std::fs::create_dir_all(obstacle.join("x")).unwrap();
    let mut interrupted = options(&site, &to, credentials);
    interrupted.batch_files = 2;
    let err = deploy(&interrupted).unwrap_err().to_string();
    assert!(err.contains(&format!("{to}/{last_page}")), "{err}");
    assert!(err.contains("is a folder in the way?"), "{err}");

    let manifest = std::fs::read_to_string(folder.join(MANIFEST)).unwrap();
    let done = manifest.lines().count() - 1;
    assert!(done > 0 && done < files.len(), "{done} of {}", files.len());

    std::fs::remove_dir_all(&obstacle).unwrap();
    let resumed = deploy(&interrupted).unwrap();
    assert_eq!(resumed.unchanged, done);
    assert_eq!(resumed.uploaded.len(), files.len() - done);
    assert_eq!(target_files(&folder), files);
}

fn a_folder_the_user_cannot_write_is_said_clearly(sshd: &Sshd, credentials: &Path) {
    let site = deploy_site(&[]);
    // The read-only port refuses every write (file permissions alone do not stop root).
    let (to, folder) = sshd.target_on(sshd.read_only_port, "read-only");
    std::fs::create_dir_all(&folder).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let err = deploy(&options(&site, &to, credentials)).unwrap_err();
    let text = err.to_string();
    match &err {
        trangtin::Error::Deploy { kind, target, .. } => {
            assert_eq!(*kind, std::io::ErrorKind::PermissionDenied, "{text}");
            assert!(
                target.starts_with(&format!("{to}/")),
                "names the file: {text}"
            );
        }
        other => panic!("expected a refusal of the server, got: {other}"),
    }
    assert!(
        text.contains(&format!(
            "permission denied: the server does not let {}",
            sshd.user
        )),
        "{text}"
    );
    assert!(!text.contains('\n'), "{text}");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
}

/// A small tmpfs mounted for the test, unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    /// Mounts a tmpfs of `size` at `folder`, or says why it cannot (not root, no right to
    /// mount in this container).
    fn mount(folder: &Path, size: &str) -> Result<SmallDisk, String> {
        std::fs::create_dir_all(folder).unwrap();
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(folder)
            .output()
            .map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(SmallDisk(folder.to_path_buf()))
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn a_full_disk_is_said_clearly(sshd: &Sshd, credentials: &Path) {
    let (to, folder) = sshd.target("full-disk");
    let disk = match SmallDisk::mount(&folder, "256k") {
        Ok(disk) => disk,
        Err(why) => {
            let _ = writeln!(
                std::io::stderr(),
                "\n======== SKIPPED (the full disk only): cannot mount a small tmpfs: {why} \
                 ========\n"
            );
            return;
        }
    };
    // An attachment larger than the disk.
    let big: String = (0..400_000)
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    let site = deploy_site(&[("content/2026/11/bao-cao.txt", &big)]);
    let err = deploy(&options(&site, &to, credentials)).unwrap_err();
    let text = err.to_string();
    match &err {
        trangtin::Error::Deploy { kind, target, .. } => {
            assert_eq!(*kind, std::io::ErrorKind::StorageFull, "{text}");
            assert!(
                target.starts_with(&format!("{to}/")),
                "names the file: {text}"
            );
        }
        other => panic!("expected a refusal of the server, got: {other}"),
    }
    assert!(text.contains("the server's disk is full"), "{text}");
    let left = snapshot(&folder);
    assert!(
        !left.keys().any(|p| p.ends_with(".trangtin-tmp")),
        "no temporary file left: {:?}",
        left.keys()
    );
    drop(disk);
}

fn the_command_reads_the_environment_and_refuses_credentials_inside_the_site(sshd: &Sshd) {
    let site = deploy_site(&[]);
    let (to, folder) = sshd.target("command");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trangtin"))
            .args(args)
            .current_dir(site.root())
            .env("TRANGTIN_SFTP_KEY", &sshd.key)
            .env("TRANGTIN_SFTP_KNOWN_HOSTS", &sshd.known_hosts)
            .env_remove("TRANGTIN_SFTP_PASSWORD")
            .output()
            .unwrap()
    };
    let output = run(&["deploy", "--to", &to, "--dry-run"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("+ index.html\n"), "{stdout}");
    assert!(!folder.exists());

    let ssh_form = to.replacen("sftp://", "ssh://", 1);
    let output = run(&["deploy", "--to", &ssh_form]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.starts_with("Đã tải lên "), "{stdout}");
    assert_eq!(target_files(&folder), deployable_files(&site));

    site.write("sftp.env", "TRANGTIN_SFTP_PASSWORD=x\n");
    let output = run(&["deploy", "--to", &to, "--credentials", "sftp.env"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("must not be inside"), "{stderr}");

    // A refused connection names the address and says what to check.
    let closed = format!("sftp://{}@127.0.0.1:1/tmp/x", sshd.user);
    let output = run(&["deploy", "--to", &closed]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains(&format!("{closed}: connection refused")),
        "{stderr}"
    );
}
