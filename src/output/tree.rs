//! The folder a build writes its new tree into: a fresh one, or the tree of the build before
//! last (`.public.prev`), brought up to date in place.
//!
//! Reusing the older tree is what keeps a rebuild cheap: a tree of a 10,000-article site
//! holds some 23,000 names (files and folders), and making a whole new tree of hard links,
//! then deleting the old one, costs a second or more of file-system work on every build
//! (tens of seconds on a busy disk). Brought up to date, the older tree needs work only for
//! the files that changed in the last two builds. It is not the output while it is written
//! (the output links to the other tree), so its files may be removed and rewritten freely;
//! but a file of it may be a hard link to the same file of the live tree, so a file is
//! never written in place: it is removed first and made anew.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The folder of the new tree; deleted when dropped unless kept.
pub(crate) struct WorkDir {
    path: PathBuf,
    /// Made from the older tree: its files must be removed before they are replaced.
    pub(crate) reused: bool,
    kept: bool,
}

impl WorkDir {
    /// A new, empty folder `{prefix}XXXXXX` in `parent`.
    pub(crate) fn fresh(parent: &Path, prefix: &str) -> io::Result<WorkDir> {
        let dir = tempfile::Builder::new().prefix(prefix).tempdir_in(parent)?;
        Ok(WorkDir {
            path: dir.keep(),
            reused: false,
            kept: false,
        })
    }

    /// The older tree `old`, renamed to a new generation's name `{prefix}XXXXXX` (so that a
    /// build killed while it is being changed leaves a generation the next build deletes,
    /// never a half-updated tree it would reuse).
    pub(crate) fn reuse(old: &Path, parent: &Path, prefix: &str) -> io::Result<WorkDir> {
        let name = format!(
            "{prefix}{:x}{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        let path = parent.join(name);
        fs::rename(old, &path)?;
        Ok(WorkDir {
            path,
            reused: true,
            kept: false,
        })
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Keeps the folder (it has become the output); returns its path.
    pub(crate) fn keep(mut self) -> PathBuf {
        self.kept = true;
        self.path.clone()
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Makes room for a new file at `path` in a reused tree: removes what is there (a file, or
/// a folder where a file must now be), and any file where a folder must now be.
pub(crate) fn make_room(root: &Path, path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path)?,
        Ok(_) => fs::remove_file(path)?,
        // Nothing there, or a file where a folder on the way must be (handled below).
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) => {}
        Err(e) => return Err(e),
    }
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    if fs::create_dir_all(parent).is_ok() {
        return Ok(());
    }
    // A file of the older tree where a folder must now be (a page became a section).
    let mut ancestor = parent;
    while ancestor.starts_with(root) && ancestor != root {
        if fs::symlink_metadata(ancestor).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(ancestor)?;
            break;
        }
        match ancestor.parent() {
            Some(p) => ancestor = p,
            None => break,
        }
    }
    fs::create_dir_all(parent)
}

/// Removes from the tree at `root` every file `keep` rejects (the older build's files this
/// build did not write), and the folders that leaves empty. Returns the files removed.
pub(crate) fn prune(root: &Path, keep: &dyn Fn(&str) -> bool) -> io::Result<Vec<PathBuf>> {
    prune_listed(root, &list_files(root)?, keep)
}

/// Every file of the tree at `root` (not its folders), as `/`-separated relative paths.
pub(crate) fn list_files(root: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(io::Error::from)?;
        if !entry.file_type().is_dir() {
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            files.push(crate::content::source_name(relative));
        }
    }
    Ok(files)
}

/// Like [`prune`], for a tree whose files are `files` (listed by [`list_files`] before the
/// build wrote into it: what the build wrote since, it keeps).
pub(crate) fn prune_listed(
    root: &Path,
    files: &[String],
    keep: &dyn Fn(&str) -> bool,
) -> io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let mut emptied = std::collections::BTreeSet::new();
    for name in files.iter().filter(|name| !keep(name)) {
        let path = root.join(name);
        match fs::remove_file(&path) {
            Ok(()) => {}
            // Gone already, or a folder now: the build made room for a folder there.
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(_) if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) => continue,
            Err(e) => return Err(e),
        }
        let mut parent = path.parent();
        while let Some(p) = parent.filter(|p| *p != root) {
            emptied.insert(p.to_path_buf());
            parent = p.parent();
        }
        removed.push(path);
    }
    let mut folders: Vec<PathBuf> = emptied.into_iter().collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for folder in folders {
        let _ = fs::remove_dir(&folder); // fails, harmlessly, when not empty
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_made_for_a_file_where_a_folder_or_a_file_was() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::write(root.join("a/b/index.html"), b"x").unwrap();
        make_room(root, &root.join("a/b")).unwrap();
        assert!(!root.join("a/b").exists());
        fs::write(root.join("a/b"), b"file").unwrap();
        make_room(root, &root.join("a/b/c/index.html")).unwrap();
        assert!(root.join("a/b/c").is_dir());
    }

    #[test]
    fn pruning_removes_unwritten_files_and_emptied_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for file in ["a/x.html", "a/y.html", "b/c/z.html"] {
            fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            fs::write(root.join(file), b"x").unwrap();
        }
        let removed = prune(root, &|p| p == "a/x.html").unwrap();
        assert_eq!(removed.len(), 2);
        assert!(root.join("a/x.html").exists());
        assert!(!root.join("b").exists());
    }

    #[test]
    fn pruning_by_a_listing_taken_before_the_build_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for file in ["a/x.html", "a/y.html", "b/c/z.html", "d"] {
            fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            fs::write(root.join(file), b"x").unwrap();
        }
        let listed = list_files(root).unwrap();
        assert_eq!(listed.len(), 4);
        // The build then writes a new file, and a folder where the file `d` was.
        fs::write(root.join("a/new.html"), b"x").unwrap();
        fs::remove_file(root.join("d")).unwrap();
        fs::create_dir_all(root.join("d")).unwrap();
        fs::write(root.join("d/index.html"), b"x").unwrap();
        let written = ["a/x.html", "a/new.html", "d/index.html"];
        let removed = prune_listed(root, &listed, &|p| written.contains(&p)).unwrap();
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert_eq!(
            list_files(root)
                .unwrap()
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>(),
            written.iter().map(|w| w.to_string()).collect()
        );
        assert!(!root.join("b").exists());
    }
}
