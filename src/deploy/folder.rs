//! The folder target: a mounted web root, a network share. Each file is copied through a
//! temporary file beside it, renamed into place; the files are made durable before the
//! manifest that lists them.

use super::manifest::{self, Manifest};
use super::source::SourceFile;
use super::target::Target;
use crate::error::{Error, Problem, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// A folder to deploy into (created when missing).
#[derive(Debug, Clone)]
pub struct FolderTarget {
    folder: PathBuf,
}

impl FolderTarget {
    /// The folder `folder`, refused when it overlaps the build output `source` (copying
    /// would feed on itself).
    pub fn new(folder: &Path, source: &Path) -> Result<Self> {
        check_apart(source, folder)?;
        Ok(FolderTarget {
            folder: folder.to_path_buf(),
        })
    }
}

impl Target for FolderTarget {
    fn describe(&self) -> String {
        self.folder.display().to_string()
    }

    fn read_manifest(&mut self) -> Result<Manifest> {
        manifest::read(&self.folder)
    }

    fn is_in_place(&self, relative: &str, size: u64) -> bool {
        fs::metadata(self.folder.join(relative))
            .is_ok_and(|meta| meta.is_file() && meta.len() == size)
    }

    fn prepare(&mut self) -> Result<()> {
        fs::create_dir_all(&self.folder).map_err(|e| Error::io(&self.folder, e))
    }

    fn put(&mut self, source: &Path, files: &[&SourceFile]) -> Result<()> {
        files
            .iter()
            .try_for_each(|file| copy(source, &self.folder, &file.relative))
    }

    fn delete(&mut self, relative: &str) -> Result<()> {
        delete(&self.folder, relative)
    }

    fn write_manifest(&mut self, manifest: &Manifest) -> Result<()> {
        crate::output::swap::sync_tree(&self.folder)?;
        manifest::write(&self.folder, manifest)
    }

    fn has_manifest(&self) -> bool {
        self.folder.join(manifest::MANIFEST).exists()
    }
}

/// Refuses a target inside the output or around it: copying would feed on itself.
fn check_apart(source: &Path, target: &Path) -> Result<()> {
    let target_resolved = resolve(target);
    if target_resolved.starts_with(source) || source.starts_with(&target_resolved) {
        return Err(Error::Input(vec![Problem::error(
            target,
            format!(
                "the target overlaps the build output {}: deploy into a folder outside it",
                source.display()
            ),
        )]));
    }
    Ok(())
}

/// `path` with its longest existing part resolved (links, `..`), the rest as given.
pub(crate) fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(resolved) = fs::canonicalize(existing) {
            return rest.iter().rev().fold(resolved, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Copies one file into the target: a temporary file beside it (with the source's
/// permissions, so that the web server can read it), renamed over the old one.
fn copy(source: &Path, target: &Path, relative: &str) -> Result<()> {
    let from = source.join(relative);
    let to = target.join(relative);
    let dir = to.parent().unwrap_or(target);
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut input = fs::File::open(&from).map_err(|e| Error::io(&from, e))?;
    let permissions = input
        .metadata()
        .map_err(|e| Error::io(&from, e))?
        .permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".trangtin-deploy.")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    std::io::copy(&mut input, &mut temp).map_err(|e| Error::io(&to, e))?;
    temp.as_file()
        .set_permissions(permissions)
        .map_err(|e| Error::io(&to, e))?;
    temp.persist(&to).map_err(|e| Error::io(&to, e.error))?;
    Ok(())
}

/// Deletes a file a deploy put there, and the folders that leaves empty; one already gone
/// is fine (a deploy that stopped after deleting it).
fn delete(target: &Path, relative: &str) -> Result<()> {
    let path = target.join(relative);
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_dir() => return Ok(()), // not a file we put there any more
        Ok(_) => fs::remove_file(&path).map_err(|e| Error::io(&path, e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(&path, e)),
    }
    let mut dir = path.parent();
    while let Some(folder) = dir.filter(|d| *d != target && d.starts_with(target)) {
        if fs::remove_dir(folder).is_err() {
            break; // not empty: someone else's files are there too
        }
        dir = folder.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_a_path_that_does_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(resolve(&dir.path().join("a/b")), real.join("a/b"));
    }
}
