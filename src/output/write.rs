//! Writes a build so that a failed build changes nothing and an unchanged page is never
//! rewritten.
//!
//! Every output file is compared with the one already in the output folder before it is
//! written: identical files are left alone (same bytes, same modification time, so deploy
//! tools that sync by time or checksum upload only what changed); new or changed files go to
//! a staging folder beside the output. The comparison usually reads nothing: the marker file
//! keeps each file's content hash (xxh3), size and modification time from the last build, and
//! a file whose size and time on disk still match that record and whose new bytes hash the
//! same is unchanged. Any mismatch (a file edited or touched by hand, an old marker file)
//! falls back to reading the file and comparing its bytes. Only when the whole build has succeeded does
//! [`Staging::commit`] move the staged files into place (one rename each) and delete the
//! output files the build no longer produces. A first build renames the whole staging folder
//! into place. If anything fails before the commit, the staging folder is removed and the
//! output is exactly as it was.

use crate::error::{Error, Result};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

/// A file in every output folder we make, so we never replace a folder we did not make.
pub const MARKER: &str = ".trangtin-output";

/// An output folder being written.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    /// The target has no earlier build in it: everything is new.
    fresh: bool,
    /// The files of the previous build, from its marker file.
    previous: Option<Manifest>,
    /// What this build knows of each file it produced, for the next build's marker file.
    written: Mutex<Vec<(String, Fingerprint)>>,
    unchanged: AtomicUsize,
    changed: AtomicUsize,
}

/// What [`Staging::commit`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CommitReport {
    /// Files written (new or changed).
    pub changed: usize,
    /// Files left as they were because their content is the same.
    pub unchanged: usize,
    /// Files of the previous build that the build no longer produces, deleted.
    pub removed: usize,
}

impl Staging {
    /// Starts a build of `target`. Refuses a `target` that exists, is not empty and was not
    /// made by trangtin, so that `--output` pointed at the wrong folder loses nothing.
    pub fn new(target: &Path) -> Result<Staging> {
        let fresh = match target.exists() {
            false => true,
            true if !target.is_dir() => return Err(not_ours(target)),
            true if target.join(MARKER).is_file() => false,
            true => {
                let mut entries = fs::read_dir(target).map_err(|e| Error::io(target, e))?;
                if entries.next().is_some() {
                    return Err(not_ours(target));
                }
                true
            }
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        Ok(Staging {
            dir,
            previous: if fresh { None } else { read_manifest(target) },
            target: target.to_path_buf(),
            fresh,
            written: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            changed: AtomicUsize::new(0),
        })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one output file (path relative to the output root, `/` separators), unless the
    /// output already holds these exact bytes.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        check_relative(relative)?;
        let hash = xxhash_rust::xxh3::xxh3_64(bytes);
        if !self.fresh {
            if let Some(kept) = self.unchanged_file(relative, bytes, hash) {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                self.remember(relative, kept);
                return Ok(());
            }
        }
        self.changed.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        if let Some(written) = fs::metadata(&path)
            .ok()
            .and_then(|m| Fingerprint::of(&m, hash))
        {
            self.remember(relative, written);
        }
        Ok(())
    }

    /// When the output already holds exactly `bytes` at `relative`, the fingerprint to keep
    /// for it. Trusts the last build's record when the file on disk still matches it.
    fn unchanged_file(&self, relative: &str, bytes: &[u8], hash: u64) -> Option<Fingerprint> {
        let path = self.target.join(relative);
        let meta = fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() != bytes.len() as u64 {
            return None;
        }
        let on_disk = Fingerprint::of(&meta, hash);
        let recorded = self.previous.as_ref().and_then(|m| m.fingerprint(relative));
        match (recorded, on_disk) {
            (Some(recorded), Some(on_disk)) if recorded == on_disk => Some(on_disk),
            // The record says the file held other bytes: it changed, unless the file was
            // edited behind our back, which only reading can tell.
            (Some(recorded), Some(on_disk))
                if recorded.hash != hash && recorded.modified == on_disk.modified =>
            {
                None
            }
            (_, on_disk) => same_content(&path, bytes).then_some(on_disk).flatten(),
        }
    }

    fn remember(&self, relative: &str, fingerprint: Fingerprint) {
        self.written
            .lock()
            .expect("fingerprint list")
            .push((relative.to_string(), fingerprint));
    }

    /// Copies one file into the output (unless the output already has the same bytes).
    pub fn copy(&self, relative: &str, from: &Path) -> Result<()> {
        let bytes = fs::read(from).map_err(|e| Error::io(from, e))?;
        self.write(relative, &bytes)
    }

    /// Puts the finished build in place. `outputs` lists every file the build produced
    /// (relative paths); files of the previous build not in it are deleted.
    pub fn commit(self, outputs: &HashSet<String>) -> Result<CommitReport> {
        let fingerprints: std::collections::HashMap<String, Fingerprint> = self
            .written
            .into_inner()
            .expect("fingerprint list")
            .into_iter()
            .collect();
        let mut report = CommitReport {
            changed: self.changed.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: 0,
        };
        if self.fresh {
            write_manifest(self.dir.path(), outputs, &fingerprints)?;
            if self.target.exists() {
                fs::remove_dir(&self.target).map_err(|e| Error::io(&self.target, e))?;
            }
            let staged = self.dir.keep();
            if let Err(e) = fs::rename(&staged, &self.target) {
                let _ = fs::remove_dir_all(&staged);
                return Err(Error::io(&self.target, e));
            }
            return Ok(report);
        }
        let staged_root = self.dir.path().to_path_buf();
        for entry in walkdir::WalkDir::new(&staged_root).min_depth(1) {
            let entry = entry.map_err(|e| Error::io(&staged_root, e.into()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(&staged_root)
                .unwrap_or(entry.path());
            let destination = self.target.join(relative);
            // One rename in the common case; make room only when it fails.
            if fs::rename(entry.path(), &destination).is_err() {
                make_room(&self.target, &destination)?;
                fs::rename(entry.path(), &destination).map_err(|e| Error::io(&destination, e))?;
            }
        }
        report.removed = remove_stale(&self.target, &self.previous, outputs)?;
        write_manifest(&self.target, outputs, &fingerprints)?;
        Ok(report)
    }
}

/// The marker file lists the files of the build, so the next build knows what it may
/// delete without walking the whole output folder, and what each file held.
fn write_manifest(
    root: &Path,
    outputs: &HashSet<String>,
    fingerprints: &std::collections::HashMap<String, Fingerprint>,
) -> Result<()> {
    use std::fmt::Write;
    let mut paths: Vec<&str> = outputs.iter().map(String::as_str).collect();
    paths.sort_unstable();
    let mut text = String::from(MANIFEST_HEADER);
    for path in paths {
        if let Some(f) = fingerprints.get(path) {
            let _ = write!(text, "{:016x}\t{}\t{}\t", f.hash, f.size, f.modified);
        }
        text.push_str(path);
        text.push('\n');
    }
    let path = root.join(MARKER);
    fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

/// What the last build wrote into the output folder.
struct Manifest {
    files: std::collections::HashMap<String, Option<Fingerprint>>,
}

impl Manifest {
    fn fingerprint(&self, relative: &str) -> Option<Fingerprint> {
        self.files.get(relative).copied().flatten()
    }

    fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }
}

/// The content hash, size and modification time (ns since 1970) of an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    hash: u64,
    size: u64,
    modified: u128,
}

impl Fingerprint {
    fn of(meta: &fs::Metadata, hash: u64) -> Option<Fingerprint> {
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Fingerprint {
            hash,
            size: meta.len(),
            modified: modified.as_nanos(),
        })
    }

    /// Parses `hash<TAB>size<TAB>mtime<TAB>`-prefixed marker lines; `None` for anything else.
    fn parse(line: &str) -> Option<(Fingerprint, &str)> {
        let mut parts = line.splitn(4, '\t');
        let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
        let size = parts.next()?.parse().ok()?;
        let modified = parts.next()?.parse().ok()?;
        Some((
            Fingerprint {
                hash,
                size,
                modified,
            },
            parts.next()?,
        ))
    }
}

/// The files listed by the previous build's marker file, when it has a list (a marker of an
/// older version lists paths only, which still tells what may be deleted).
fn read_manifest(root: &Path) -> Option<Manifest> {
    let text = fs::read_to_string(root.join(MARKER)).ok()?;
    let list = text
        .strip_prefix(MANIFEST_HEADER)
        .or_else(|| text.strip_prefix(OLD_MANIFEST_HEADER))?;
    let files = list
        .lines()
        .map(|line| match Fingerprint::parse(line) {
            Some((fingerprint, path)) => (path.to_string(), Some(fingerprint)),
            None => (line.to_string(), None),
        })
        .collect();
    Some(Manifest { files })
}

const MANIFEST_HEADER: &str =
    "# built by trangtin: the files of the last build (xxh3, size, modified ns, path)\n";
const OLD_MANIFEST_HEADER: &str = "# built by trangtin: the files of the last build\n";

/// An output path must stay inside the output folder and be one a file system takes; the
/// plan has checked every path already, so this only guards against a bug.
fn check_relative(relative: &str) -> Result<()> {
    match crate::routes::output_path_problem(relative) {
        Some(message) => Err(Error::io(relative, std::io::Error::other(message))),
        None => Ok(()),
    }
}

fn not_ours(target: &Path) -> Error {
    Error::io(
        target,
        std::io::Error::other(format!(
            "the output folder exists, is not empty and was not made by trangtin \
             (no {MARKER} file in it); remove it or choose another --output"
        )),
    )
}

fn same_content(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    thread_local! {
        // One buffer per thread: reading thousands of old pages into fresh allocations
        // would cost more in page faults than the comparison itself.
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    match file.metadata() {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        file.read_to_end(buffer).is_ok() && buffer.as_slice() == bytes
    })
}

/// Makes sure `destination`'s folder exists as a folder and `destination` is not a folder.
fn make_room(root: &Path, destination: &Path) -> Result<()> {
    if destination.is_dir() {
        fs::remove_dir_all(destination).map_err(|e| Error::io(destination, e))?;
    }
    let Some(parent) = destination.parent() else {
        return Ok(());
    };
    // A file where a folder must now be (a page became a section): remove it.
    let mut ancestor = parent;
    while ancestor.starts_with(root) && ancestor != root {
        if ancestor.is_file() {
            fs::remove_file(ancestor).map_err(|e| Error::io(ancestor, e))?;
            break;
        }
        match ancestor.parent() {
            Some(p) => ancestor = p,
            None => break,
        }
    }
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))
}

/// Deletes the previous build's files that are not in `outputs`, and folders left empty.
/// Without a previous list, walks the output folder.
fn remove_stale(
    root: &Path,
    previous: &Option<Manifest>,
    outputs: &HashSet<String>,
) -> Result<usize> {
    let Some(previous) = previous else {
        return remove_unlisted(root, outputs);
    };
    let mut removed = 0;
    let mut folders = std::collections::BTreeSet::new();
    for path in previous.paths().filter(|p| !outputs.contains(p.as_str())) {
        if check_relative(path).is_err() {
            continue;
        }
        let file = root.join(path);
        if file.is_dir() {
            continue; // a page of the last build is now a folder of this one
        }
        match fs::remove_file(&file) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&file, e)),
        }
        let mut parent = file.parent();
        while let Some(p) = parent.filter(|p| *p != root) {
            folders.insert(p.to_path_buf());
            parent = p.parent();
        }
    }
    let mut folders: Vec<PathBuf> = folders.into_iter().collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for folder in folders {
        let _ = fs::remove_dir(&folder); // fails, harmlessly, when not empty
    }
    Ok(removed)
}

/// Deletes files under `root` that are not in `outputs` (and folders left empty).
fn remove_unlisted(root: &Path, outputs: &HashSet<String>) -> Result<usize> {
    let mut removed = 0;
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(|e| Error::io(root, e.into()))?;
        let relative =
            crate::content::source_name(entry.path().strip_prefix(root).unwrap_or(entry.path()));
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else if relative != MARKER && !outputs.contains(&relative) {
            fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            removed += 1;
        }
    }
    // Deepest first, so that emptied parents go too.
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for folder in folders {
        let _ = fs::remove_dir(&folder); // fails, harmlessly, when not empty
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn set(paths: &[&str]) -> HashSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    fn build(target: &Path, files: &[(&str, &[u8])]) -> CommitReport {
        let staging = Staging::new(target).unwrap();
        for (path, bytes) in files {
            staging.write(path, bytes).unwrap();
        }
        let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
        staging.commit(&set(&paths)).unwrap()
    }

    #[test]
    fn a_second_build_replaces_changed_files_and_removes_stale_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("a/index.html", b"one"), ("keep.html", b"same")]);
        let report = build(&target, &[("b.html", b"two"), ("keep.html", b"same")]);
        assert_eq!(
            report,
            CommitReport {
                changed: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!target.join("a").exists(), "emptied folders are removed");
        assert_eq!(fs::read(target.join("b.html")).unwrap(), b"two");
        assert!(target.join(MARKER).exists());
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "only public/ remains"
        );
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"same")]);
        let old = SystemTime::now() - Duration::from_secs(3600);
        let file = fs::File::options()
            .write(true)
            .open(target.join("index.html"))
            .unwrap();
        file.set_modified(old).unwrap();
        let report = build(&target, &[("index.html", b"same")]);
        assert_eq!(report.changed, 0);
        let mtime = fs::metadata(target.join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(mtime, old);
    }

    #[test]
    fn the_marker_file_records_each_files_hash_size_and_time() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"same")]);
        let manifest = read_manifest(&target).unwrap();
        let recorded = manifest.fingerprint("index.html").unwrap();
        let meta = fs::metadata(target.join("index.html")).unwrap();
        let on_disk = Fingerprint::of(&meta, xxhash_rust::xxh3::xxh3_64(b"same")).unwrap();
        assert_eq!(recorded, on_disk);
    }

    #[test]
    fn a_file_matching_its_record_is_trusted_without_reading_it() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"same")]);
        let file = target.join("index.html");
        let mtime = fs::metadata(&file).unwrap().modified().unwrap();
        // Same size, same time, other bytes: only a read could tell, and none happens.
        fs::write(&file, b"SAME").unwrap();
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let report = build(&target, &[("index.html", b"same")]);
        assert_eq!(report.unchanged, 1);
        assert_eq!(fs::read(&file).unwrap(), b"SAME");
    }

    #[test]
    fn a_file_edited_by_hand_is_compared_byte_for_byte() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("a.html", b"one"), ("b.html", b"two")]);
        std::thread::sleep(Duration::from_millis(20));
        fs::write(target.join("a.html"), b"ONE").unwrap(); // edited: rewritten
        fs::write(target.join("b.html"), b"two").unwrap(); // touched: left alone
        let report = build(&target, &[("a.html", b"one"), ("b.html", b"two")]);
        assert_eq!((report.changed, report.unchanged), (1, 1));
        assert_eq!(fs::read(target.join("a.html")).unwrap(), b"one");
    }

    #[test]
    fn a_marker_file_without_fingerprints_still_lists_what_to_delete() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("old.html", b"x"), ("index.html", b"i")]);
        fs::write(
            target.join(MARKER),
            format!("{OLD_MANIFEST_HEADER}index.html\nold.html\n"),
        )
        .unwrap();
        let report = build(&target, &[("index.html", b"i")]);
        assert_eq!((report.removed, report.unchanged), (1, 1));
        assert!(!target.join("old.html").exists());
    }

    #[test]
    fn dropping_a_staging_folder_leaves_the_output_and_no_temporary_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"old")]);
        let failed = Staging::new(&target).unwrap();
        failed.write("index.html", b"new").unwrap();
        failed.write("extra.html", b"new").unwrap();
        drop(failed);
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"old");
        assert!(!target.join("extra.html").exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_page_may_become_a_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("tin/cu", b"file")]);
        build(&target, &[("tin/cu/index.html", b"page")]);
        assert_eq!(fs::read(target.join("tin/cu/index.html")).unwrap(), b"page");
    }

    #[test]
    fn never_writes_outside_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&tmp.path().join("public")).unwrap();
        for bad in ["/etc/x", "../x", "a/../../x", "a//b", ""] {
            assert!(staging.write(bad, b"x").is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_make() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("thesis.docx"), b"precious").unwrap();
        assert!(Staging::new(tmp.path()).is_err());
        assert!(tmp.path().join("thesis.docx").exists());
    }
}
