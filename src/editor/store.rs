//! The editor's files on disk: article paths (checked, never taken from a request as they
//! are), content hashes for conflict detection, atomic writes (a temporary file in the same
//! folder, then a rename), the trash under `.trangtin/thung-rac/` and restoring from it.

use crate::content::CONTENT_DIR;
use chrono::{DateTime, FixedOffset};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The editor's own folder in the site (outside `content/`, never published).
pub const STATE_DIR: &str = ".trangtin";
/// The trash, under [`STATE_DIR`].
pub const TRASH_DIR: &str = "thung-rac";

/// A file operation that failed, said for a clerk.
#[derive(Debug)]
pub enum StoreError {
    /// The file changed on disk since it was opened (at this time, in the site's zone).
    Conflict(String),
    /// The path is not an article the editor may touch.
    NotAllowed,
    /// The file is not there.
    Missing,
    /// The target already exists (restoring over a newer file).
    Exists,
    /// The disk said no.
    Io(std::io::Error),
}

impl StoreError {
    /// What went wrong, in Vietnamese.
    pub fn message(&self) -> String {
        match self {
            StoreError::Conflict(when) => format!(
                "Bài này vừa được sửa ở nơi khác lúc {when}; tải lại để xem bản mới. \
                 Nội dung bạn đang soạn vẫn còn trong ô dưới đây (hãy sao chép lại trước khi tải)."
            ),
            StoreError::NotAllowed => "Đường dẫn tệp không hợp lệ.".into(),
            StoreError::Missing => "Không tìm thấy tệp (có thể đã bị xoá).".into(),
            StoreError::Exists => {
                "Đã có một tệp cùng tên ở chỗ cũ; không khôi phục để khỏi ghi đè.".into()
            }
            StoreError::Io(e) => format!("Không ghi được tệp: {e}"),
        }
    }
}

/// The content hash the form carries: xxh3-128 of the file's bytes, in hex.
pub fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// A relative path made of plain names only (no `..`, no root, no drive, no backslash, no
/// hidden segment), or `None`.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains(['\\', '\0', ':']) {
        return None;
    }
    let mut out = PathBuf::new();
    for segment in path.split('/') {
        if segment.is_empty() || segment.starts_with('.') {
            return None;
        }
        out.push(segment);
    }
    // Belt and braces: what the platform sees must be plain names too.
    out.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(out)
}

/// The file of an article named by its path under `content/` (a `.md` file that exists,
/// and is in `content/` once symbolic links are followed).
pub fn article_file(root: &Path, path: &str) -> Result<PathBuf, StoreError> {
    let relative = safe_relative(path).ok_or(StoreError::NotAllowed)?;
    if !crate::content::is_markdown(path) {
        return Err(StoreError::NotAllowed);
    }
    let file = root.join(CONTENT_DIR).join(relative);
    if !file.is_file() {
        return Err(StoreError::Missing);
    }
    if !inside_content(root, &file) {
        return Err(StoreError::NotAllowed);
    }
    Ok(file)
}

/// Whether `path` (a file or folder under `content/`, there or still to be made) stays in
/// `content/` once symbolic links are followed: a plain relative path may still pass through
/// a link someone made in `content/` to a folder or file elsewhere on the server, which the
/// editor must neither read nor write.
pub fn inside_content(root: &Path, path: &Path) -> bool {
    let content = root.join(CONTENT_DIR);
    if !path.starts_with(&content) {
        return false;
    }
    let Ok(real_content) = content.canonicalize() else {
        // No content/ yet: nothing in it can be a link.
        return true;
    };
    // The deepest part of the path that exists, resolved (what is below it is made by us).
    path.ancestors()
        .take_while(|a| a.starts_with(&content))
        .find_map(|a| a.canonicalize().ok())
        .is_some_and(|real| real.starts_with(&real_content))
}

/// The folder of an article of `date`: `content/yyyy/mm/`.
pub fn month_folder(root: &Path, date: DateTime<FixedOffset>) -> PathBuf {
    root.join(CONTENT_DIR)
        .join(date.format("%Y").to_string())
        .join(date.format("%m").to_string())
}

/// `stem.ext` in `folder`, or `stem-2.ext`, `stem-3.ext`, ...: the first name not taken.
pub fn free_name(folder: &Path, stem: &str, ext: &str) -> String {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        if !folder.join(&name).exists() {
            return name;
        }
        n += 1;
    }
}

fn temp_in(folder: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    std::fs::create_dir_all(folder)?;
    // A dot name: the content loader and the watcher's rebuild skip it.
    let mut temp = tempfile::Builder::new()
        .prefix(".trangtin-soan-tin-")
        .tempfile_in(folder)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Writes a new file whole; never replaces one (`Exists` if the name was taken meanwhile).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let folder = path.parent().ok_or(StoreError::NotAllowed)?;
    let temp = temp_in(folder, bytes).map_err(StoreError::Io)?;
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            StoreError::Exists
        } else {
            StoreError::Io(e.error)
        }
    })?;
    Ok(())
}

/// Replaces `path` with `bytes`, if its content still has `expected_hash`; otherwise
/// [`StoreError::Conflict`] with the time the file was last changed.
pub fn replace(
    path: &Path,
    bytes: &[u8],
    expected_hash: &str,
    zone: FixedOffset,
) -> Result<(), StoreError> {
    let current = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => StoreError::Missing,
        _ => StoreError::Io(e),
    })?;
    if hash(&current) != expected_hash {
        return Err(StoreError::Conflict(modified_at(path, zone)));
    }
    let folder = path.parent().ok_or(StoreError::NotAllowed)?;
    let temp = temp_in(folder, bytes).map_err(StoreError::Io)?;
    temp.persist(path).map_err(|e| StoreError::Io(e.error))?;
    Ok(())
}

/// When a file was last changed, as a clerk reads it (`14:03:22 ngày 01/12/2026`).
pub fn modified_at(path: &Path, zone: FixedOffset) -> String {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(|t| {
            DateTime::<chrono::Utc>::from(t)
                .with_timezone(&zone)
                .format("%H:%M:%S ngày %d/%m/%Y")
                .to_string()
        })
        .unwrap_or_else(|_| "vừa rồi".into())
}

/// One deleted file in the trash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trashed {
    /// The trash folder's name (the time of deletion, `2026-12-01T19-03-22`).
    pub stamp: String,
    /// The file's path relative to the site (`content/2026/12/x.md`).
    pub path: String,
}

/// Moves `file` (inside the site at `root`) to `.trangtin/thung-rac/<stamp>/<path>`.
pub fn trash(root: &Path, file: &Path, now: DateTime<FixedOffset>) -> Result<Trashed, StoreError> {
    let relative = file
        .strip_prefix(root)
        .map_err(|_| StoreError::NotAllowed)?
        .to_path_buf();
    let mut stamp = now.format("%Y-%m-%dT%H-%M-%S").to_string();
    let trash = root.join(STATE_DIR).join(TRASH_DIR);
    let mut n = 1;
    while trash.join(&stamp).join(&relative).exists() {
        n += 1;
        stamp = format!("{}-{n}", now.format("%Y-%m-%dT%H-%M-%S"));
    }
    let target = trash.join(&stamp).join(&relative);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(StoreError::Io)?;
    }
    std::fs::rename(file, &target).map_err(StoreError::Io)?;
    Ok(Trashed {
        stamp,
        path: crate::content::source_name(&relative),
    })
}

/// Everything in the trash, newest first.
pub fn trashed(root: &Path) -> Vec<Trashed> {
    let trash = root.join(STATE_DIR).join(TRASH_DIR);
    let mut found = Vec::new();
    let Ok(stamps) = std::fs::read_dir(&trash) else {
        return found;
    };
    for stamp in stamps.flatten() {
        let stamp_name = stamp.file_name().to_string_lossy().into_owned();
        for entry in walkdir::WalkDir::new(stamp.path())
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            if let Ok(relative) = entry.path().strip_prefix(stamp.path()) {
                found.push(Trashed {
                    stamp: stamp_name.clone(),
                    path: crate::content::source_name(relative),
                });
            }
        }
    }
    found.sort_by(|a, b| b.stamp.cmp(&a.stamp).then(a.path.cmp(&b.path)));
    found
}

/// Moves a trashed file back where it was; never over a file that is there now.
pub fn restore(root: &Path, stamp: &str, path: &str) -> Result<PathBuf, StoreError> {
    let stamp = safe_relative(stamp).ok_or(StoreError::NotAllowed)?;
    let relative = safe_relative(path).ok_or(StoreError::NotAllowed)?;
    if stamp.components().count() != 1 || !relative.starts_with(CONTENT_DIR) {
        return Err(StoreError::NotAllowed);
    }
    let from = root
        .join(STATE_DIR)
        .join(TRASH_DIR)
        .join(&stamp)
        .join(&relative);
    if !from.is_file() {
        return Err(StoreError::Missing);
    }
    let to = root.join(&relative);
    // A link counts as a file there (even one that points nowhere).
    if to.symlink_metadata().is_ok() {
        return Err(StoreError::Exists);
    }
    if !inside_content(root, &to) {
        return Err(StoreError::NotAllowed);
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(StoreError::Io)?;
    }
    // A hard link, unlike a rename, fails when a file got that name meanwhile (a save or an
    // upload between the check above and here): nothing is ever replaced.
    match std::fs::hard_link(&from, &to) {
        Ok(()) => std::fs::remove_file(&from).map_err(StoreError::Io)?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(StoreError::Exists),
        // A file system without hard links (FAT, some shares): the check above must do.
        Err(_) => std::fs::rename(&from, &to).map_err(StoreError::Io)?,
    }
    // An emptied stamp folder goes too (remove_dir fails on a non-empty one, which is fine).
    let mut dir = from.parent().map(Path::to_path_buf);
    let top = root.join(STATE_DIR).join(TRASH_DIR);
    while let Some(d) = dir {
        if d == top || std::fs::remove_dir(&d).is_err() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-01T19:03:22+07:00").unwrap()
    }

    #[test]
    fn only_plain_relative_paths_are_safe() {
        for bad in [
            "../x.md",
            "/etc/passwd",
            "a/../../x",
            "a\\..\\x",
            ".trangtin/users.yaml",
            "a/./b",
            "",
            "C:\\x",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
        assert_eq!(
            safe_relative("2026/12/bài.md"),
            Some(PathBuf::from("2026/12/bài.md"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_in_content_to_elsewhere_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("content/2026")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.md"), "---\ntitle: x\n---\n").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("content/2026/12")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.md"), root.join("content/x.md")).unwrap();
        std::fs::write(root.join("content/2026/plain.md"), "").unwrap();
        assert!(matches!(
            article_file(&root, "2026/12/secret.md"),
            Err(StoreError::NotAllowed)
        ));
        assert!(matches!(
            article_file(&root, "x.md"),
            Err(StoreError::NotAllowed)
        ));
        assert!(!inside_content(
            &root,
            &root.join("content/2026/12/new/a.jpg")
        ));
        assert!(!inside_content(&root, &root.join("config.yaml")));
        assert!(article_file(&root, "2026/plain.md").is_ok());
        assert!(inside_content(&root, &root.join("content/2027/01/a.jpg")));
    }

    #[test]
    fn a_changed_file_is_a_conflict_and_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "v1").unwrap();
        let opened = hash(b"v1");
        std::fs::write(&file, "v2 from elsewhere").unwrap();
        let err = replace(&file, b"mine", &opened, *now().offset()).unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)));
        assert!(err.message().contains("vừa được sửa ở nơi khác lúc"));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "v2 from elsewhere");
        replace(&file, b"mine", &hash(b"v2 from elsewhere"), *now().offset()).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    }

    #[test]
    fn new_names_never_replace_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.md"), "").unwrap();
        std::fs::write(dir.path().join("x-2.md"), "").unwrap();
        assert_eq!(free_name(dir.path(), "x", "md"), "x-3.md");
        assert!(matches!(
            write_new(&dir.path().join("x.md"), b"new"),
            Err(StoreError::Exists)
        ));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("x.md")).unwrap(),
            ""
        );
    }

    #[test]
    fn a_trashed_file_is_listed_and_restored_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let file = root.join("content/2026/12/x.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "bài").unwrap();
        let t = trash(root, &file, now()).unwrap();
        assert_eq!(t.stamp, "2026-12-01T19-03-22");
        assert_eq!(t.path, "content/2026/12/x.md");
        assert!(!file.exists());
        assert_eq!(trashed(root), vec![t.clone()]);
        assert!(matches!(
            restore(root, &t.stamp, "../../config.yaml"),
            Err(StoreError::NotAllowed)
        ));
        // Not over a file (nor a link) that has the name now.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("nowhere"), &file).unwrap();
            assert!(matches!(
                restore(root, &t.stamp, &t.path),
                Err(StoreError::Exists)
            ));
            std::fs::remove_file(&file).unwrap();
        }
        restore(root, &t.stamp, &t.path).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "bài");
        assert!(trashed(root).is_empty());
    }
}
