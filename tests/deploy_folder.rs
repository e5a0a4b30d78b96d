//! `trangtin deploy --to FOLDER` on a real build: the first deploy copies the site, the next
//! only what changed; removed pages are deleted but never a file deploy did not put there;
//! a dry run changes nothing; an interrupted deploy resumes with what is left.

mod common;

use common::{deploy_site, deployable_files, snapshot, Site};
use std::collections::BTreeMap;
use std::path::Path;
use trangtin::deploy::{deploy, manifest::MANIFEST, DeployOptions, DeployReport};

fn site() -> Site {
    deploy_site(&[])
}

fn deploy_to(site: &Site, target: &Path) -> DeployReport {
    deploy(&DeployOptions::new(site.public(), target)).expect("deploy")
}

/// The target's files but the manifest.
fn target_files(target: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(target);
    files.remove(MANIFEST);
    files
}

#[test]
fn the_first_deploy_copies_the_site_and_the_next_copies_nothing() {
    let site = site();
    let target = tempfile::tempdir().unwrap();
    let report = deploy_to(&site, target.path());
    let expected = deployable_files(&site);
    assert_eq!(report.uploaded.len(), expected.len());
    assert_eq!(
        report.uploaded_bytes,
        expected.values().map(|b| b.len() as u64).sum::<u64>()
    );
    assert_eq!((report.deleted.len(), report.unchanged), (0, 0));
    assert_eq!(target_files(target.path()), expected);

    let manifest = std::fs::read_to_string(target.path().join(MANIFEST)).unwrap();
    assert_eq!(manifest.lines().count(), expected.len() + 1, "{manifest}");
    assert!(manifest.contains("\nindex.html\t"), "{manifest}");

    let again = deploy_to(&site, target.path());
    assert_eq!(again.uploaded, Vec::<String>::new());
    assert_eq!(again.unchanged, expected.len());
    assert!(again
        .summary()
        .starts_with("Đã tải lên 0 tệp (0 B), đã xoá 0 tệp, "));
}

#[test]
fn an_edit_copies_what_changed_and_deletes_what_the_build_dropped() {
    let site = site();
    let target = tempfile::tempdir().unwrap();
    deploy_to(&site, target.path());
    // Files of others in the target: never touched.
    std::fs::write(target.path().join("google1234.html"), "xác minh").unwrap();
    std::fs::create_dir_all(target.path().join("2026/11/lich-tiep-dan")).unwrap();
    std::fs::write(target.path().join("2026/11/lich-tiep-dan/ghi-chu.txt"), "x").unwrap();

    let before = deployable_files(&site);
    let edited = common::edit_and_rebuild(&site, &before);
    let after = edited.after;

    let report = deploy_to(&site, target.path());
    let changed: Vec<&String> = edited.changed.iter().collect();
    let dropped: Vec<&String> = edited.removed.iter().collect();
    assert!(
        changed.iter().any(|p| p.contains("hoi-nghi")),
        "{changed:?}"
    );
    assert!(!dropped.is_empty());
    let mut uploaded: Vec<&String> = report.uploaded.iter().collect();
    uploaded.sort();
    assert_eq!(uploaded, changed);
    assert_eq!(report.deleted.iter().collect::<Vec<_>>(), dropped);
    assert_eq!(report.unchanged, after.len() - changed.len());

    let mut expected = after.clone();
    expected.insert("google1234.html".into(), "xác minh".into());
    expected.insert("2026/11/lich-tiep-dan/ghi-chu.txt".into(), "x".into());
    assert_eq!(target_files(target.path()), expected);
}

#[test]
fn a_dry_run_changes_nothing_and_says_what_a_deploy_would_do() {
    let site = site();
    let target = tempfile::tempdir().unwrap();
    let missing = target.path().join("chua-co");
    let mut options = DeployOptions::new(site.public(), &missing);
    options.dry_run = true;
    let dry = deploy(&options).unwrap();
    assert!(!missing.exists());
    assert!(dry
        .summary()
        .starts_with("Chạy thử, không ghi gì: sẽ tải lên "));

    let real = deploy_to(&site, &missing);
    assert_eq!(dry.uploaded, real.uploaded);
    assert_eq!(dry.uploaded_bytes, real.uploaded_bytes);
}

#[test]
fn an_interrupted_deploy_resumes_with_what_is_left() {
    let site = site();
    let target = tempfile::tempdir().unwrap();
    let files = deployable_files(&site);
    // A folder where the last page goes stops the deploy there.
    let last_page = files
        .keys()
        .rfind(|p| p.ends_with(".html"))
        .unwrap()
        .clone();
    let obstacle = target.path().join(&last_page);
    std::fs::create_dir_all(obstacle.join("x")).unwrap();
    let mut options = DeployOptions::new(site.public(), target.path());
    options.batch_files = 2;
    let err = deploy(&options).unwrap_err().to_string();
    assert!(err.contains(&last_page), "{err}");

    let manifest = std::fs::read_to_string(target.path().join(MANIFEST)).unwrap();
    let done = manifest.lines().count() - 1;
    assert!(done > 0 && done < files.len(), "{done} of {}", files.len());

    std::fs::remove_dir_all(&obstacle).unwrap();
    let resumed = deploy(&options).unwrap();
    assert_eq!(resumed.unchanged, done);
    assert_eq!(resumed.uploaded.len(), files.len() - done);
    assert_eq!(target_files(target.path()), files);
}

#[test]
fn a_file_removed_from_the_target_by_hand_is_copied_again() {
    let site = site();
    let target = tempfile::tempdir().unwrap();
    deploy_to(&site, target.path());
    std::fs::remove_file(target.path().join("index.html")).unwrap();
    let report = deploy_to(&site, target.path());
    assert_eq!(report.uploaded, ["index.html"]);
    assert_eq!(target_files(target.path()), deployable_files(&site));
}

#[cfg(unix)]
#[test]
fn copied_files_keep_the_outputs_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let site = site();
    let target = tempfile::tempdir().unwrap();
    deploy_to(&site, target.path());
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode(&target.path().join("index.html")),
        mode(&site.public().join("index.html"))
    );
    assert_ne!(
        mode(&target.path().join("index.html")) & 0o004,
        0,
        "readable by the server"
    );
}

#[test]
fn refuses_a_folder_that_is_no_build_output_and_a_target_inside_the_output() {
    let site = site();
    let target = tempfile::tempdir().unwrap();
    let err = deploy(&DeployOptions::new(
        site.root().join("content"),
        target.path(),
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("is not a build output of trangtin"), "{err}");
    let err = deploy(&DeployOptions::new(
        site.root().join("nowhere"),
        target.path(),
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("run `trangtin build` first"), "{err}");
    let inside = site.public().join("copy");
    let err = deploy(&DeployOptions::new(site.public(), &inside))
        .unwrap_err()
        .to_string();
    assert!(err.contains("overlaps the build output"), "{err}");
    assert!(!inside.exists());
}

#[test]
fn a_damaged_manifest_stops_the_deploy_before_anything_is_deleted() {
    let site = site();
    let target = tempfile::tempdir().unwrap();
    std::fs::write(target.path().join("keep.txt"), "x").unwrap();
    std::fs::write(
        target.path().join(MANIFEST),
        "../keep.txt\t1\t0000000000000000\n",
    )
    .unwrap();
    let err = deploy_to_err(&site, target.path());
    assert!(err.contains(".trangtin-deploy.tsv:1"), "{err}");
    assert!(target.path().join("keep.txt").exists());
    assert!(!target.path().join("index.html").exists());
}

fn deploy_to_err(site: &Site, target: &Path) -> String {
    deploy(&DeployOptions::new(site.public(), target))
        .unwrap_err()
        .to_string()
}

#[test]
fn the_command_prints_the_plan_of_a_dry_run_and_the_summary() {
    let site = site();
    let target = tempfile::tempdir().unwrap();
    let to = target.path().to_str().unwrap();
    let output = site.run(&["deploy", "--to", to, "--dry-run"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("+ index.html\n"), "{stdout}");
    assert!(
        stdout.contains("Chạy thử, không ghi gì: sẽ tải lên"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);

    let output = site.run(&["deploy", "--to", to]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.starts_with("Đã tải lên "), "{stdout}");
    assert!(!stdout.contains("+ index.html"), "{stdout}");
    assert!(target.path().join("index.html").is_file());
}
