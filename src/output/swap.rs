//! Where an output folder lives and how a new build replaces it in one step.
//!
//! The output path (`public`) is a symbolic link to a *generation* folder beside it
//! (`.public.gen-XXXXXX`). A build writes a whole new generation (hard links to the files
//! that did not change, so they keep their modification time), makes it durable, then
//! points the link at it with one `rename`, which replaces the link atomically: at every
//! instant, and after a crash or a power cut, `public` is either the whole old site or the
//! whole new one. The old generation is renamed `.public.prev`; the next build makes its
//! new tree from it (see [`super::tree`]). What killed builds left is deleted on a thread of
//! its own while the next build renders (deleting a tree of tens of thousands of names waits
//! on the disk for a second or more).
//!
//! Around that: a lock file (`.public.lock`, holding the builder's process id) keeps two
//! builds from writing one output at once, and the next build removes whatever a killed
//! build left beside the output (generations, temporary links, staging folders of older
//! versions). An output folder of an older version of trangtin (a real folder) is moved
//! aside (`.public.old`) and replaced by the link; if that is cut short, the next build puts
//! it back first.

use crate::error::{Error, Result};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::write::MARKER;

/// The output path split into the folder it is in and its name: every file of the
/// mechanism is a sibling `.{name}.{suffix}`.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// The output path as given (or the real folder behind a link the user made).
    pub(crate) target: PathBuf,
    /// The folder that holds it.
    pub(crate) parent: PathBuf,
    /// Its file name.
    pub(crate) name: String,
}

/// What the output path holds before a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Current {
    /// Nothing.
    Missing,
    /// An empty folder (made by hand): replaced.
    EmptyFolder,
    /// A folder written by an older version of trangtin (has the marker file).
    Folder,
    /// A link to one of our generations (the generation folder).
    Generation(PathBuf),
    /// A link of ours whose generation is gone.
    Dangling,
}

impl Current {
    /// The folder that holds the previous build's files, if any.
    pub(crate) fn root<'a>(&'a self, place: &'a Place) -> Option<&'a Path> {
        match self {
            Current::Folder => Some(&place.target),
            Current::Generation(dir) => Some(dir),
            _ => None,
        }
    }
}

impl Place {
    /// The place of `target`. A symbolic link that is not one of ours (`public` →
    /// `/srv/www/tin`) is followed: the real folder is the output.
    pub(crate) fn of(target: &Path) -> Result<Place> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // `public/` names the link's target, not the link: keep the name without the slash.
        let ends_in_slash = target.as_os_str().to_string_lossy().ends_with(['/', '\\']);
        let place = Place {
            target: match ends_in_slash {
                true => parent.join(&name),
                false => target.to_path_buf(),
            },
            parent,
            name,
        };
        let is_link = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && place.generation_of_link().is_none() {
            let real = fs::canonicalize(target).map_err(|e| Error::io(target, e))?;
            return Place::of(&real);
        }
        Ok(place)
    }

    /// `.{name}.{suffix}` beside the output.
    pub(crate) fn sibling(&self, suffix: &str) -> PathBuf {
        self.parent.join(format!(".{}.{suffix}", self.name))
    }

    /// The prefix of generation folders' names.
    pub(crate) fn generation_prefix(&self) -> String {
        format!(".{}.gen-", self.name)
    }

    /// The generation the output link points to, when it is a link of ours.
    fn generation_of_link(&self) -> Option<PathBuf> {
        let to = fs::read_link(&self.target).ok()?;
        let name = to.to_str()?;
        let ours = name.starts_with(&self.generation_prefix()) && !name.contains(['/', '\\']);
        ours.then(|| self.parent.join(name))
    }

    /// What the output path holds; refuses a file, or a folder that is not empty and not
    /// ours, so that `--output` pointed at the wrong folder loses nothing.
    pub(crate) fn current(&self) -> Result<Current> {
        let Ok(meta) = fs::symlink_metadata(&self.target) else {
            return Ok(Current::Missing);
        };
        if meta.file_type().is_symlink() {
            return Ok(match self.generation_of_link() {
                Some(dir) if dir.join(MARKER).is_file() => Current::Generation(dir),
                _ => Current::Dangling,
            });
        }
        if !meta.is_dir() {
            return Err(not_ours(&self.target));
        }
        if self.target.join(MARKER).is_file() {
            return Ok(Current::Folder);
        }
        let mut entries = fs::read_dir(&self.target).map_err(|e| Error::io(&self.target, e))?;
        match entries.next() {
            None => Ok(Current::EmptyFolder),
            Some(_) => Err(not_ours(&self.target)),
        }
    }

    /// Finishes or undoes what a killed build left: an old-style output folder moved aside
    /// (`.{name}.old`) goes back when the link never replaced it, and is deleted when it did.
    pub(crate) fn recover(&self) -> Result<()> {
        let old = self.sibling("old");
        if fs::symlink_metadata(&old).is_err() {
            return Ok(());
        }
        if fs::symlink_metadata(&self.target).is_err() {
            fs::rename(&old, &self.target).map_err(|e| Error::io(&self.target, e))
        } else {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))
        }
    }

    /// What earlier builds left beside the output: the previous build's tree
    /// (`.{name}.prev`, unless reused), and what killed builds left (generations other than `keep`,
    /// temporary links, the staging folders of older versions).
    pub(crate) fn leftovers(&self, keep: Option<&Path>) -> Vec<PathBuf> {
        let prefix = format!(".{}.", self.name);
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                name.strip_prefix(&prefix).is_some_and(|rest| {
                    rest == "prev"
                        || ["gen-", "staging-", "link-"]
                            .iter()
                            .any(|kind| rest.starts_with(kind))
                })
            })
            .filter(|path| keep != Some(path.as_path()))
            .collect()
    }

    /// Makes `generation` the output, in one step where the output already is a link.
    /// Returns the folder that held the previous build, now to be deleted.
    #[cfg(unix)]
    pub(crate) fn switch_to(
        &self,
        generation: &Path,
        current: &Current,
    ) -> Result<Option<PathBuf>> {
        let link = self.sibling(&format!("link-{}", std::process::id()));
        let _ = fs::remove_file(&link);
        let name = generation.file_name().unwrap_or(generation.as_os_str());
        std::os::unix::fs::symlink(name, &link).map_err(|e| Error::io(&link, e))?;
        let replaced = match current {
            Current::Missing | Current::Dangling => None,
            Current::Generation(dir) => Some(dir.clone()),
            Current::EmptyFolder => {
                fs::remove_dir(&self.target).map_err(|e| Error::io(&self.target, e))?;
                None
            }
            Current::Folder => {
                let old = self.sibling("old");
                fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
                Some(old)
            }
        };
        let switched = super::write::fault("switching")
            .and_then(|()| fs::rename(&link, &self.target).map_err(|e| Error::io(&self.target, e)));
        if let Err(e) = switched {
            let _ = fs::remove_file(&link);
            self.recover()?;
            return Err(e);
        }
        sync_folder(&self.parent)?;
        Ok(replaced)
    }

    /// Without symbolic links: the old folder moves aside and the generation takes its name
    /// (two renames; a build cut short between them is put right by [`Place::recover`]).
    #[cfg(not(unix))]
    pub(crate) fn switch_to(
        &self,
        generation: &Path,
        current: &Current,
    ) -> Result<Option<PathBuf>> {
        let old = self.sibling("old");
        let replaced = match current {
            Current::Missing | Current::Dangling => None,
            Current::EmptyFolder => {
                fs::remove_dir(&self.target).map_err(|e| Error::io(&self.target, e))?;
                None
            }
            Current::Folder | Current::Generation(_) => {
                fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
                Some(old)
            }
        };
        if let Err(e) = fs::rename(generation, &self.target) {
            self.recover()?;
            return Err(Error::io(&self.target, e));
        }
        Ok(replaced)
    }
}

/// Held while a build writes an output: an advisory lock on `.{name}.lock`, released when
/// the process ends however it ends (so a killed build never leaves a stale lock).
pub(crate) struct Lock {
    _file: fs::File,
}

impl Lock {
    /// Takes the lock of `place`, or fails at once, naming the process that holds it.
    /// Failing rather than waiting: a build started twice by mistake (a second terminal,
    /// an overlapping cron job) should say so, not hang behind the first.
    pub(crate) fn take(place: &Place) -> Result<Lock> {
        let path = place.sibling("lock");
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(busy(place, &path, &mut file)),
            Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        // The process id is for the message of the build that finds the lock taken.
        let _ = file.set_len(0);
        let _ = write!(file, "{}", std::process::id());
        Ok(Lock { _file: file })
    }
}

fn busy(place: &Place, path: &Path, file: &mut fs::File) -> Error {
    let mut holder = String::new();
    let _ = file.read_to_string(&mut holder);
    let holder = match holder.trim() {
        "" => String::new(),
        pid => format!(" (process {pid})"),
    };
    Error::io(
        path,
        std::io::Error::other(format!(
            "another trangtin build{holder} is writing {}; wait until it has finished",
            place.target.display()
        )),
    )
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

/// Makes every file and folder under `dir` durable: one `syncfs` of its file system on
/// Linux (one call, however many files), a sync of each file and folder elsewhere.
#[cfg(target_os = "linux")]
pub(crate) fn sync_tree(dir: &Path) -> Result<()> {
    use std::os::fd::AsRawFd;
    let folder = fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
    // SAFETY: `syncfs` only reads the descriptor, which `folder` keeps open during the call.
    #[allow(unsafe_code)]
    let status = unsafe { libc::syncfs(folder.as_raw_fd()) };
    if status != 0 {
        return Err(Error::io(dir, std::io::Error::last_os_error()));
    }
    Ok(())
}

/// Makes every file and folder under `dir` durable, one at a time.
#[cfg(not(target_os = "linux"))]
pub(crate) fn sync_tree(dir: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        let synced = fs::File::open(entry.path()).and_then(|f| f.sync_all());
        // Folders cannot be opened for syncing on every system; files must sync.
        if entry.file_type().is_file() {
            synced.map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// Deletes what earlier builds left beside the output on a thread of its own, while the
/// build works: deleting tens of thousands of names waits on the disk, and the build has
/// other work meanwhile. Waited for when dropped (so before the lock is released).
pub(crate) struct Cleanup(Option<std::thread::JoinHandle<()>>);

impl Cleanup {
    /// Starts deleting `paths` (folders with all they hold). Best effort: what cannot be
    /// deleted now is tried again by the next build.
    pub(crate) fn start(paths: Vec<PathBuf>) -> Cleanup {
        if paths.is_empty() {
            return Cleanup(None);
        }
        let remove = move || {
            for path in paths {
                let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
                let _ = match is_dir {
                    true => fs::remove_dir_all(&path),
                    false => fs::remove_file(&path),
                };
            }
        };
        let thread = std::thread::Builder::new().name("cleanup".into());
        match thread.spawn(remove) {
            Ok(handle) => Cleanup(Some(handle)),
            Err(_) => Cleanup(None), // no thread: the next build tries again
        }
    }

    /// Waits until the deletion has finished.
    pub(crate) fn wait(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.wait();
    }
}

/// Makes a folder's list of names durable (after a rename in it).
fn sync_folder(dir: &Path) -> Result<()> {
    fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_output_fails_naming_the_holder() {
        let tmp = tempfile::tempdir().unwrap();
        let place = Place::of(&tmp.path().join("public")).unwrap();
        let first = Lock::take(&place).unwrap();
        let err = Lock::take(&place).err().unwrap().to_string();
        assert!(err.contains("another trangtin build"), "{err}");
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        drop(first);
        Lock::take(&place).unwrap();
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let place = Place::of(&tmp.path().join("public")).unwrap();
        for dir in [
            ".public.gen-a",
            ".public.gen-b",
            ".public.staging-c",
            ".public.prev",
            "content",
        ] {
            fs::create_dir_all(tmp.path().join(dir).join("x")).unwrap();
        }
        fs::write(tmp.path().join(".public.link-1"), b"").unwrap();
        fs::write(tmp.path().join(".public.lock"), b"1").unwrap();
        let keep = tmp.path().join(".public.gen-a");
        let leftovers = place.leftovers(Some(&keep));
        assert_eq!(leftovers.len(), 4, "{leftovers:?}");
        Cleanup::start(leftovers).wait();
        let mut left: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".public.gen-a", ".public.lock", "content"]);
    }

    #[test]
    fn an_old_folder_moved_aside_goes_back_when_the_switch_was_cut_short() {
        let tmp = tempfile::tempdir().unwrap();
        let place = Place::of(&tmp.path().join("public")).unwrap();
        fs::create_dir(place.sibling("old")).unwrap();
        fs::write(place.sibling("old").join(MARKER), b"").unwrap();
        place.recover().unwrap();
        assert_eq!(place.current().unwrap(), Current::Folder);
        fs::create_dir(place.sibling("old")).unwrap();
        place.recover().unwrap();
        assert!(!place.sibling("old").exists(), "the switch had finished");
    }
}
