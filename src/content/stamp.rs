//! What a file looks like from outside: enough to tell, without reading it, that it has not
//! changed since an earlier build read it (as `git` and `make` do). The build cache
//! (`crate::cache`) keeps the stamp taken before each article was read; a rebuild takes the
//! article from the cache without reading its file when the stamp is the same.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// A file changed this recently (or dated in the future) gets no stamp: a second change
/// within the same tick of the file system's clock (two seconds on FAT) could leave the
/// same stamp behind.
const SETTLED: Duration = Duration::from_secs(3);

/// The size, times of last change (of the bytes and of the file's record, which no program
/// can set back) and identity of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
    device: u64,
}

impl FileStamp {
    /// The stamp of the file at `path`, taken before it is read: `None` when it cannot be
    /// had (not Unix, no such file) or when the file changed too recently to be told apart
    /// from a change that follows.
    pub fn of(path: &Path) -> Option<FileStamp> {
        FileStamp::at(path, SystemTime::now())
    }

    #[cfg(unix)]
    fn at(path: &Path, now: SystemTime) -> Option<FileStamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        let settled = |secs: i64, nanos: i64| {
            let since_epoch = Duration::new(u64::try_from(secs).ok()?, u32::try_from(nanos).ok()?);
            let age = now
                .duration_since(SystemTime::UNIX_EPOCH + since_epoch)
                .ok()?;
            (age >= SETTLED).then_some(())
        };
        settled(meta.mtime(), meta.mtime_nsec())?;
        settled(meta.ctime(), meta.ctime_nsec())?;
        Some(FileStamp {
            len: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        })
    }

    #[cfg(not(unix))]
    fn at(_path: &Path, _now: SystemTime) -> Option<FileStamp> {
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A file written now.
    fn file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_file_just_written_has_no_stamp_until_it_settles() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(dir.path(), "a.md", "một");
        assert_eq!(FileStamp::of(&path), None);
        let later = SystemTime::now() + SETTLED + Duration::from_secs(1);
        assert!(FileStamp::at(&path, later).is_some());
        assert_eq!(FileStamp::at(&dir.path().join("none.md"), later), None);
    }

    #[test]
    fn any_change_to_the_file_changes_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(dir.path(), "a.md", "một");
        let later = || SystemTime::now() + SETTLED + Duration::from_secs(1);
        let before = FileStamp::at(&path, later()).unwrap();
        assert_eq!(FileStamp::at(&path, later()), Some(before));
        // The same size, its modification time set back: the record's change time moves.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, "hai").unwrap();
        let modified = SystemTime::UNIX_EPOCH
            + Duration::new(before.modified.0 as u64, before.modified.1 as u32);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        let after = FileStamp::at(&path, later()).unwrap();
        assert_eq!(after.modified, before.modified);
        assert_ne!(after, before);
        // Another file put in its place.
        let other = file(dir.path(), "b.md", "hai");
        std::fs::rename(&other, &path).unwrap();
        assert_ne!(FileStamp::at(&path, later()), Some(after));
    }
}
