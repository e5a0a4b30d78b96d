//! Writes a build into a staging folder beside the output, then swaps it into place, so a
//! failed build leaves the previous output exactly as it was.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// A file in every output folder we make, so we never replace a folder we did not make.
pub const MARKER: &str = ".trangtin-output";

/// An output folder being written.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// Starts a build of `target`. Refuses a `target` that exists, is not empty and was not
    /// made by trangtin, so that `--output` pointed at the wrong folder loses nothing.
    pub fn new(target: &Path) -> Result<Staging> {
        if target.exists() && !is_ours(target)? {
            return Err(Error::io(
                target,
                std::io::Error::other(format!(
                    "the output folder exists, is not empty and was not made by trangtin \
                     (no {MARKER} file); remove it or choose another --output"
                )),
            ));
        }
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
        fs::write(dir.path().join(MARKER), "built by trangtin\n")
            .map_err(|e| Error::io(dir.path(), e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one output file (path relative to the output root, `/` separators).
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Copies one file into the output.
    pub fn copy(&self, relative: &str, from: &Path) -> Result<()> {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::copy(from, &path).map_err(|e| Error::io(from, e))?;
        Ok(())
    }

    /// Puts the finished build in place of the target and removes the previous one.
    pub fn commit(self) -> Result<()> {
        let staged = self.dir.keep();
        let target = self.target;
        let previous = if target.exists() {
            let mut old = staged.clone().into_os_string();
            old.push(".old");
            let old = PathBuf::from(old);
            if let Err(e) = fs::rename(&target, &old) {
                let _ = fs::remove_dir_all(&staged);
                return Err(Error::io(&target, e));
            }
            Some(old)
        } else {
            None
        };
        if let Err(e) = fs::rename(&staged, &target) {
            if let Some(old) = &previous {
                let _ = fs::rename(old, &target);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(Error::io(&target, e));
        }
        if let Some(old) = previous {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }
}

/// True when `dir` is empty or carries our marker.
fn is_ours(dir: &Path) -> Result<bool> {
    if !dir.is_dir() {
        return Ok(false);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    Ok(entries.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = Staging::new(&target).unwrap();
        first.write("a/index.html", b"one").unwrap();
        first.commit().unwrap();
        let second = Staging::new(&target).unwrap();
        second.write("b.html", b"two").unwrap();
        second.commit().unwrap();
        assert!(!target.join("a/index.html").exists());
        assert_eq!(fs::read(target.join("b.html")).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only public/ remains");
    }

    #[test]
    fn dropping_a_staging_folder_leaves_the_output_and_no_temporary_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = Staging::new(&target).unwrap();
        first.write("index.html", b"old").unwrap();
        first.commit().unwrap();
        let failed = Staging::new(&target).unwrap();
        failed.write("index.html", b"new").unwrap();
        drop(failed);
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"old");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_make() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("thesis.docx"), b"precious").unwrap();
        assert!(Staging::new(tmp.path()).is_err());
        assert!(tmp.path().join("thesis.docx").exists());
    }
}
