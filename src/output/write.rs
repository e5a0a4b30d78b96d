//! Writes a build so that a failed or killed build changes nothing and an unchanged page is
//! never rewritten.
//!
//! A build writes a complete new tree, a *generation*, beside the output (see
//! [`super::swap`]), made from the tree of the build before last where there is one (see
//! [`super::tree`]): files whose bytes did not change are hard links to the previous
//! build's files (same bytes, same modification time, so deploy tools that sync by time or
//! checksum upload only what changed); new or changed files are written. The comparison
//! usually reads nothing: the marker file keeps each file's content hash (xxh3), size and
//! modification time from the last build, and a file whose size and time on disk still match
//! that record and whose new bytes hash the same is unchanged. Any mismatch (a file edited or
//! touched by hand, an old marker file) falls back to reading the file and comparing its
//! bytes. Only when the whole build has succeeded does [`Staging::commit`] make the new tree
//! durable and switch the output to it in one step; files the build no longer produces are
//! simply not in it. If anything fails before, the new tree is removed and the output is
//! exactly as it was.

use super::swap::{Cleanup, Current, Lock, Place};
use super::tree::{list_files, make_room, prune, prune_listed, WorkDir};
use crate::error::{Error, Problem, Result};
use crate::render::inputs::Inputs;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

/// A file in every output folder we make, so we never replace a folder we did not make.
pub const MARKER: &str = ".trangtin-output";

/// The files of the previous build's tree (`.{name}.prev`), written into it when it stops
/// being the output, so that the next build, which reuses it, need not walk it to know them
/// (see [`TreeListing`]). It lists itself, so the build that reuses the tree removes it.
const LISTING: &str = ".trangtin-listing";
/// The first line of [`LISTING`].
const LISTING_HEADER: &str = "trangtin listing 1";
/// The start of its last line, which gives the number of files listed: a list cut short
/// is not used.
const LISTING_END: &str = "end";

/// A build refuses to remove more than half of the published HTML pages, when that is at
/// least this many, unless told it may ([`Staging::allow_mass_delete`]).
pub const MASS_DELETE_MIN: usize = 20;

/// An output folder being written.
pub struct Staging {
    /// The new generation (removed when dropped before the commit). Declared before `lock`
    /// so that it is removed while the lock is still held.
    dir: WorkDir,
    /// The files of the older tree that `dir` was made from, if it was (see
    /// [`super::tree`]).
    older: Option<Manifest>,
    place: Place,
    /// What the output holds now.
    current: Current,
    /// The files of the previous build, from its marker file.
    previous: Option<Manifest>,
    /// Every path written by this build, with what is known of its file for the next
    /// build's marker file.
    written: Mutex<HashMap<String, Option<Fingerprint>>>,
    /// What each page written or kept by this build was made from, for the next build.
    page_inputs: Mutex<HashMap<String, Inputs>>,
    /// The files this build put into a reused tree, and whether with new bytes (else a
    /// link): what must be made durable before the switch.
    touched: Mutex<Vec<(PathBuf, bool)>>,
    unchanged: AtomicUsize,
    changed: AtomicUsize,
    allow_mass_delete: bool,
    /// Pages written that stand for removed articles ("Bài viết đã được gỡ"): removed, as
    /// far as the mass-removal check is concerned.
    unpublished: HashSet<String>,
    /// Deletes what earlier builds left, meanwhile; waited for before the lock goes.
    cleanup: Cleanup,
    /// Finds, while the build renders, the files of the live output that no build wrote
    /// (put there by hand), to carry into the new tree.
    foreign: Option<std::thread::JoinHandle<std::io::Result<Vec<String>>>>,
    /// Those files, once found: with the previous build's, the files of the live output.
    found_foreign: Option<Vec<String>>,
    /// The files of the reused tree as listed before this build wrote into it (see
    /// [`TreeListing`]); `None`: listed by walking it at the commit.
    listed: Option<Vec<String>>,
    _lock: Lock,
}

/// The files of the tree a build will reuse (the one before last), listed on a thread of its
/// own while the site is read, so that the commit need not walk it (see
/// [`Staging::new_listed`]). The list comes from the tree's `.trangtin-listing` file when it has a
/// whole one, written by the build that made it the previous tree; the tree is walked
/// otherwise.
pub struct TreeListing {
    listing: std::thread::JoinHandle<Option<(MarkerId, Vec<String>)>>,
}

/// Which file a tree's marker is: a tree changed by another build has another marker file.
type MarkerId = (u64, u64, std::time::SystemTime);

impl TreeListing {
    /// Starts listing the tree the next build into `target` will reuse.
    pub fn start(target: &Path) -> TreeListing {
        let tree = Place::of(target).ok().map(|place| place.sibling("prev"));
        TreeListing {
            listing: std::thread::spawn(move || {
                let tree = tree?;
                let before = marker_id(&tree)?;
                let files = match read_listing(&tree) {
                    Some(files) => files,
                    None => list_files(&tree).ok()?,
                };
                (marker_id(&tree)? == before).then_some((before, files))
            }),
        }
    }

    /// The files listed, if `tree` is the tree listed and still has the same marker file.
    fn of(self, tree: &Path) -> Option<Vec<String>> {
        let (id, files) = self.listing.join().ok()??;
        (marker_id(tree)? == id).then_some(files)
    }
}

/// Writes the [`LISTING`] of the tree that was the output until this build and is now at
/// `prev`: the files of its build (`previous`) and those found beside them (`foreign`).
/// Nothing is written when they are not known: the next build walks the tree then.
fn write_listing(prev: &Path, previous: Option<&Manifest>, foreign: Option<&[String]>) {
    let (Some(previous), Some(foreign)) = (previous, foreign) else {
        return;
    };
    let ours = [MARKER.to_string(), LISTING.to_string()];
    let mut text = String::from(LISTING_HEADER);
    let mut count = 0;
    for name in previous.paths().chain(foreign).chain(&ours) {
        if name.contains(['\n', '\r']) {
            return; // cannot be listed one to a line
        }
        text.push('\n');
        text.push_str(name);
        count += 1;
    }
    text.push_str(&format!("\n{LISTING_END} {count}\n"));
    let written = tempfile::NamedTempFile::new_in(prev).and_then(|mut temp| {
        use std::io::Write;
        temp.write_all(text.as_bytes())?;
        temp.persist(prev.join(LISTING)).map_err(|e| e.error)?;
        Ok(())
    });
    // Without it the next build walks the tree: slower, and as right.
    drop(written);
}

/// The files a whole [`LISTING`] of the tree at `dir` lists.
fn read_listing(dir: &Path) -> Option<Vec<String>> {
    let text = fs::read_to_string(dir.join(LISTING)).ok()?;
    let body = text.strip_prefix(LISTING_HEADER)?.strip_prefix('\n')?;
    let (names, end) = body.strip_suffix('\n')?.rsplit_once('\n')?;
    let count: usize = end
        .strip_prefix(LISTING_END)?
        .strip_prefix(' ')?
        .parse()
        .ok()?;
    let names: Vec<String> = names.lines().map(str::to_string).collect();
    (names.len() == count).then_some(names)
}

/// The identity of the marker file of the tree at `dir`: its inode (on Unix), size and time.
fn marker_id(dir: &Path) -> Option<MarkerId> {
    let meta = fs::symlink_metadata(dir.join(MARKER)).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((inode, meta.len(), meta.modified().ok()?))
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
    /// Starts a build of `target`: takes its lock (failing when another build holds it),
    /// puts right and removes what a killed build left, and refuses a `target` that exists,
    /// is not empty and was not made by trangtin, so that `--output` pointed at the wrong
    /// folder loses nothing.
    pub fn new(target: &Path) -> Result<Staging> {
        Staging::new_listed(target, None)
    }

    /// Like [`Staging::new`], with the files of the tree it will reuse listed ahead, while the
    /// site was read (used only if that tree is still the one listed).
    pub fn new_listed(target: &Path, listing: Option<TreeListing>) -> Result<Staging> {
        let place = Place::of(target)?;
        // Refused before anything is made beside it (checked again under the lock).
        place.current()?;
        fs::create_dir_all(&place.parent).map_err(|e| Error::io(&place.parent, e))?;
        let lock = Lock::take(&place)?;
        place.recover()?;
        let current = place.current()?;
        let mut leftovers = place.leftovers(current.root(&place));
        let prev = place.sibling("prev");
        let older = read_manifest(&prev).filter(|m| m.has_fingerprints());
        let prefix = place.generation_prefix();
        // Joined before the tree is renamed: the listing is used only if the marker of the
        // tree listed is still the very same file (no other build changed that tree).
        let listed = listing.and_then(|listing| listing.of(&prev));
        let (dir, older) = match older.map(|m| (WorkDir::reuse(&prev, &place.parent, &prefix), m)) {
            Some((Ok(dir), manifest)) => {
                leftovers.retain(|p| *p != prev);
                (dir, Some(manifest))
            }
            _ => {
                let fresh = WorkDir::fresh(&place.parent, &prefix);
                (fresh.map_err(|e| Error::io(&place.parent, e))?, None)
            }
        };
        let cleanup = Cleanup::start(leftovers);
        let previous = current.root(&place).and_then(read_manifest);
        let foreign = match (current.root(&place), &previous) {
            (Some(root), Some(previous)) => {
                let (root, known) = (root.to_path_buf(), previous.files.keys().cloned().collect());
                Some(std::thread::spawn(move || foreign_files(&root, &known)))
            }
            _ => None,
        };
        Ok(Staging {
            dir,
            older,
            previous,
            foreign,
            found_foreign: None,
            listed,
            place,
            current,
            written: Mutex::new(HashMap::new()),
            page_inputs: Mutex::new(HashMap::new()),
            touched: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            changed: AtomicUsize::new(0),
            allow_mass_delete: false,
            unpublished: HashSet::new(),
            cleanup,
            _lock: lock,
        })
    }

    /// Lets the commit remove most of the published pages (`--allow-mass-delete`).
    pub fn allow_mass_delete(mut self, allow: bool) -> Staging {
        self.allow_mass_delete = allow;
        self
    }

    /// Counts `paths` (pages left at the URLs of removed articles) as removed pages when
    /// deciding whether the commit removes most of the site.
    pub fn count_as_removed(&mut self, paths: HashSet<String>) {
        self.unpublished = paths;
    }

    /// The folder the new build is written into.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one output file (path relative to the output root, `/` separators): a link to
    /// the previous build's file when that holds these exact bytes, else the bytes. A path
    /// written twice is an error (the plan checks every path, so this only guards against
    /// a bug): the second bytes would silently win.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        check_relative(relative)?;
        self.claim(relative)?;
        let hash = xxhash_rust::xxh3::xxh3_64(bytes);
        let path = self.dir.path().join(relative);
        if let Some(kept) = self.already_right(relative, &path, hash, bytes.len()) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            self.remember(relative, kept);
            return Ok(());
        }
        self.make_room(&path)?;
        if let Some(root) = self.current.root(&self.place) {
            let old = root.join(relative);
            if let Some(kept) = self.unchanged_file(&old, relative, bytes, hash) {
                if keep(&old, &path, &kept).is_ok() {
                    self.touch(path, false);
                    self.unchanged.fetch_add(1, Ordering::Relaxed);
                    self.remember(relative, kept);
                    return Ok(());
                }
            }
        }
        self.changed.fetch_add(1, Ordering::Relaxed);
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        if let Some(written) = fs::metadata(&path)
            .ok()
            .and_then(|m| Fingerprint::of(&m, hash))
        {
            self.remember(relative, written);
        }
        self.touch(path, true);
        Ok(())
    }

    /// Writes a page as [`Staging::write`] does and records what it was made from.
    pub fn write_page(&self, relative: &str, bytes: &[u8], inputs: Option<Inputs>) -> Result<()> {
        self.write(relative, bytes)?;
        if let Some(inputs) = inputs {
            self.remember_inputs(relative, inputs);
        }
        Ok(())
    }

    /// Keeps the page the last build wrote at `relative` when it was made from the same
    /// `inputs` and its file is still the one it wrote (same size and modification time):
    /// `false` otherwise, and then nothing was done.
    pub fn keep_page(&self, relative: &str, inputs: Inputs) -> Result<bool> {
        let Some(previous) = self.previous.as_ref() else {
            return Ok(false);
        };
        if previous.inputs.get(relative) != Some(&inputs) {
            return Ok(false);
        }
        let Some(recorded) = previous.fingerprint(relative) else {
            return Ok(false);
        };
        check_relative(relative)?;
        let path = self.dir.path().join(relative);
        let in_older = self.older.as_ref().and_then(|o| o.fingerprint(relative));
        let on_disk = |file: &Path| {
            fs::symlink_metadata(file)
                .ok()
                .filter(fs::Metadata::is_file)
                .and_then(|m| Fingerprint::of(&m, recorded.hash))
        };
        if in_older == Some(recorded) && on_disk(&path) == Some(recorded) {
            // The reused tree holds that very file already.
            self.claim(relative)?;
        } else {
            let Some(root) = self.current.root(&self.place) else {
                return Ok(false);
            };
            let old = root.join(relative);
            if on_disk(&old) != Some(recorded) {
                return Ok(false);
            }
            self.make_room(&path)?;
            if keep(&old, &path, &recorded).is_err() {
                return Ok(false);
            }
            self.claim(relative)?;
            self.touch(path, false);
        }
        self.unchanged.fetch_add(1, Ordering::Relaxed);
        self.remember(relative, recorded);
        self.remember_inputs(relative, inputs);
        Ok(true)
    }

    fn remember_inputs(&self, relative: &str, inputs: Inputs) {
        let mut all = self.page_inputs.lock().expect("page inputs");
        all.insert(relative.to_string(), inputs);
    }

    /// When the older tree that the new one is made from already holds, at `path`, the very
    /// file the output has (same record: bytes, size and time) and these are its bytes: its
    /// fingerprint. Nothing needs doing then.
    fn already_right(
        &self,
        relative: &str,
        path: &Path,
        hash: u64,
        len: usize,
    ) -> Option<Fingerprint> {
        let older = self.older.as_ref()?.fingerprint(relative)?;
        let live = self.previous.as_ref()?.fingerprint(relative)?;
        if older != live || older.hash != hash || older.size != len as u64 {
            return None;
        }
        let on_disk = Fingerprint::of(&fs::symlink_metadata(path).ok()?, hash)?;
        (on_disk == older).then_some(older)
    }

    /// Makes room for a new file at `path` in the new tree: its folders, and in a reused
    /// tree whatever is in the way (see [`make_room`]).
    fn make_room(&self, path: &Path) -> Result<()> {
        let room = match (self.dir.reused, path.parent()) {
            (true, _) => make_room(self.dir.path(), path),
            (false, Some(parent)) => fs::create_dir_all(parent),
            (false, None) => Ok(()),
        };
        room.map_err(|e| Error::io(path, e))
    }

    /// Records a file put into a reused tree, to be made durable at the commit.
    fn touch(&self, path: PathBuf, with_bytes: bool) {
        if self.dir.reused {
            let mut touched = self.touched.lock().expect("touched list");
            touched.push((path, with_bytes));
        }
    }

    /// Records that this build writes `relative`; fails when it already did.
    fn claim(&self, relative: &str) -> Result<()> {
        let mut written = self.written.lock().expect("fingerprint list");
        if written.insert(relative.to_string(), None).is_some() {
            let message = "two outputs of one build would be written to this path";
            return Err(Error::io(relative, std::io::Error::other(message)));
        }
        Ok(())
    }

    /// When the previous build's file `old` holds exactly `bytes`, the fingerprint to keep
    /// for it. Trusts the last build's record when the file on disk still matches it.
    fn unchanged_file(
        &self,
        old: &Path,
        relative: &str,
        bytes: &[u8],
        hash: u64,
    ) -> Option<Fingerprint> {
        let meta = fs::metadata(old).ok()?;
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
            (_, on_disk) => same_content(old, bytes).then_some(on_disk).flatten(),
        }
    }

    fn remember(&self, relative: &str, fingerprint: Fingerprint) {
        // The path was claimed (and its name allocated) by [`Staging::claim`].
        if let Some(slot) = self
            .written
            .lock()
            .expect("fingerprint list")
            .get_mut(relative)
        {
            *slot = Some(fingerprint);
        }
    }

    /// Copies one file into the output (unless the output already has the same bytes).
    pub fn copy(&self, relative: &str, from: &Path) -> Result<()> {
        let bytes = fs::read(from).map_err(|e| Error::io(from, e))?;
        self.write(relative, &bytes)
    }

    /// Puts the finished build in place. `outputs` lists every file the build produced
    /// (relative paths); it is written to the marker file. Fails, changing nothing, when the
    /// build would remove most of the published pages and that was not allowed.
    pub fn commit(mut self, outputs: &HashSet<String>) -> Result<CommitReport> {
        self.check_removals(outputs)?;
        let mut pruned = Vec::new();
        if self.dir.reused {
            let written = self.written.lock().expect("fingerprint list");
            let keep = |path: &str| path == MARKER || written.contains_key(path);
            pruned = match self.listed.take() {
                Some(files) => prune_listed(self.dir.path(), &files, &keep),
                None => prune(self.dir.path(), &keep),
            }
            .map_err(|e| Error::io(self.dir.path(), e))?;
        }
        self.carry_foreign_files(outputs)?;
        let written = std::mem::take(&mut *self.written.lock().expect("fingerprint list"));
        let fingerprints: HashMap<String, Fingerprint> = written
            .into_iter()
            .filter_map(|(path, f)| Some((path, f?)))
            .collect();
        let report = CommitReport {
            changed: self.changed.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: self.previous.as_ref().map_or(0, |previous| {
                previous.paths().filter(|p| !outputs.contains(*p)).count()
            }),
        };
        let inputs = std::mem::take(&mut *self.page_inputs.lock().expect("page inputs"));
        write_manifest(self.dir.path(), outputs, &fingerprints, &inputs)?;
        fault("wrote the new tree")?;
        self.make_durable(pruned)?;
        fault("made the new tree durable")?;
        // From here the new tree is removed by hand if the switch fails.
        let generation = self.dir.keep();
        let replaced = match self.place.switch_to(&generation, &self.current) {
            Ok(replaced) => replaced,
            Err(e) => {
                let _ = fs::remove_dir_all(&generation);
                return Err(e);
            }
        };
        // The old tree is no longer the output: the next build deletes it while it works.
        self.cleanup.wait();
        if let Some(old) = replaced {
            let prev = self.place.sibling("prev");
            if fs::rename(old, &prev).is_ok() {
                write_listing(&prev, self.previous.as_ref(), self.found_foreign.as_deref());
            }
        }
        Ok(report)
    }

    /// Makes the new tree durable before it is switched in: in a fresh tree, everything
    /// (one `syncfs`); in a reused one, only what this build changed: the files it wrote,
    /// then every folder where it added or removed a name, up to the tree's root, in
    /// parallel (a sync of the whole file system would also wait for other programs' writes).
    fn make_durable(&self, pruned: Vec<PathBuf>) -> Result<()> {
        use rayon::prelude::*;
        if !self.dir.reused {
            return super::swap::sync_tree(self.dir.path());
        }
        let touched = std::mem::take(&mut *self.touched.lock().expect("touched list"));
        let sync = |path: &Path| {
            fs::File::open(path)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(path, e))
        };
        let files: Vec<&PathBuf> = touched.iter().filter(|(_, b)| *b).map(|(p, _)| p).collect();
        files.par_iter().try_for_each(|path| sync(path))?;
        let root = self.dir.path();
        let mut folders = std::collections::BTreeSet::new();
        folders.insert(root.to_path_buf());
        let changed = touched
            .iter()
            .map(|(p, _)| p.as_path())
            .chain(pruned.iter().map(PathBuf::as_path));
        for path in changed.chain([root.join(MARKER).as_path()]) {
            for folder in path.ancestors().skip(1).take_while(|f| f.starts_with(root)) {
                if !folders.insert(folder.to_path_buf()) {
                    break; // its ancestors are in already
                }
            }
        }
        sync(&root.join(MARKER))?;
        // A folder the prune emptied is gone; its parent, synced too, records that.
        folders
            .par_iter()
            .try_for_each(|folder| match sync(folder) {
                Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                    Ok(())
                }
                other => other,
            })
    }

    /// Links into the new tree the files of the output that no build made (a `.htaccess`,
    /// a verification file put there by hand): they stay, as they always have, unless this
    /// build writes the same path. Needs the previous build's list to tell them apart.
    fn carry_foreign_files(&mut self, outputs: &HashSet<String>) -> Result<()> {
        let (Some(root), Some(walk)) = (self.current.root(&self.place), self.foreign.take()) else {
            return Ok(());
        };
        let found = walk
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the walk of the output stopped")))
            .map_err(|e| Error::io(root, e))?;
        for name in found.iter().filter(|name| !outputs.contains(*name)) {
            let old = root.join(name);
            let new = self.dir.path().join(name);
            // A foreign file where this build needs a folder gives way, as it always has.
            let placed = new
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::hard_link(&old, &new).or_else(|_| copy_file(&old, &new)));
            if placed.is_ok() {
                self.touch(new, true);
            }
        }
        self.found_foreign = Some(found);
        Ok(())
    }

    /// Fails when the build would remove most of the published pages without leave (see
    /// [`removal_needing_leave`]).
    fn check_removals(&self, outputs: &HashSet<String>) -> Result<()> {
        let Some(previous) = self.previous.as_ref().filter(|_| !self.allow_mass_delete) else {
            return Ok(());
        };
        let published: HashSet<String>;
        let outputs = if self.unpublished.is_empty() {
            outputs
        } else {
            published = outputs.difference(&self.unpublished).cloned().collect();
            &published
        };
        match mass_removal(previous, outputs) {
            Some(message) => Err(Error::Input(vec![Problem::error(
                &self.place.target,
                message,
            )])),
            None => Ok(()),
        }
    }
}

/// Why a build producing `outputs` into `target` needs `--allow-mass-delete`, if it does:
/// it would remove more than half of the HTML pages the last build published there (and at
/// least [`MASS_DELETE_MIN`]). A site folder emptied by mistake must not unpublish the site.
pub fn removal_needing_leave(target: &Path, outputs: &HashSet<String>) -> Option<String> {
    let place = Place::of(target).ok()?;
    let current = place.current().ok()?;
    mass_removal(&read_manifest(current.root(&place)?)?, outputs)
}

fn mass_removal(previous: &Manifest, outputs: &HashSet<String>) -> Option<String> {
    let pages: Vec<&String> = previous.paths().filter(|p| p.ends_with(".html")).collect();
    let gone = pages.iter().filter(|p| !outputs.contains(**p)).count();
    if gone < MASS_DELETE_MIN || gone * 2 <= pages.len() {
        return None;
    }
    Some(format!(
        "this build would remove {gone} of the {} published pages, and nothing was \
         changed; if that is intended, build again with --allow-mass-delete",
        pages.len()
    ))
}

/// Puts the previous build's unchanged file `old` into the new tree at `new`: a hard link
/// (same file, same time), or, where links cannot be made, a copy given the same time.
fn keep(old: &Path, new: &Path, kept: &Fingerprint) -> std::io::Result<()> {
    if fs::hard_link(old, new).is_ok() {
        return Ok(());
    }
    fs::copy(old, new)?;
    let time = UNIX_EPOCH + std::time::Duration::from_nanos(kept.modified as u64);
    fs::File::options()
        .write(true)
        .open(new)?
        .set_modified(time)
}

/// Copies `from` to `to` with its modification time.
fn copy_file(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::copy(from, to)?;
    let time = fs::metadata(from)?.modified()?;
    fs::File::options().write(true).open(to)?.set_modified(time)
}

/// A fault injected by a test at a named step of the commit; nothing outside tests.
#[cfg(test)]
pub(crate) fn fault(step: &str) -> Result<()> {
    FAULT.with_borrow(|at| match at {
        Some(at) if at == step => Err(Error::io(step, std::io::Error::other("injected fault"))),
        _ => Ok(()),
    })
}

/// A fault injected by a test at a named step of the commit; nothing outside tests.
#[cfg(not(test))]
#[inline(always)]
pub(crate) fn fault(_step: &str) -> Result<()> {
    Ok(())
}

#[cfg(test)]
thread_local! {
    static FAULT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The marker file lists the files of the build, so the next build knows what it may
/// delete without walking the whole output folder, and what each file held.
fn write_manifest(
    root: &Path,
    outputs: &HashSet<String>,
    fingerprints: &HashMap<String, Fingerprint>,
    inputs: &HashMap<String, Inputs>,
) -> Result<()> {
    use std::fmt::Write;
    let mut paths: Vec<&str> = outputs.iter().map(String::as_str).collect();
    paths.sort_unstable();
    let mut text = String::from(MANIFEST_HEADER);
    for path in paths {
        if let Some(f) = fingerprints.get(path) {
            let _ = write!(text, "{:016x}\t{}\t{}\t", f.hash, f.size, f.modified);
            match inputs.get(path) {
                Some(made_from) => _ = write!(text, "{made_from:032x}\t"),
                None => text.push_str("-\t"),
            }
        }
        text.push_str(path);
        text.push('\n');
    }
    let path = root.join(MARKER);
    // Made anew, never written in place: in a reused tree it could be another tree's file.
    let _ = fs::remove_file(&path);
    fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

/// What the last build wrote into the output folder.
struct Manifest {
    files: HashMap<String, Option<Fingerprint>>,
    /// What each page was made from (see [`crate::render::inputs`]).
    inputs: HashMap<String, Inputs>,
}

impl Manifest {
    fn fingerprint(&self, relative: &str) -> Option<Fingerprint> {
        self.files.get(relative).copied().flatten()
    }

    /// Whether the list has each file's fingerprint (an older version's has paths only).
    fn has_fingerprints(&self) -> bool {
        self.files.values().all(Option::is_some)
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
    let (list, with_inputs) = match text.strip_prefix(MANIFEST_HEADER) {
        Some(list) => (list, true),
        None => (
            text.strip_prefix(FINGERPRINTS_HEADER)
                .or_else(|| text.strip_prefix(OLD_MANIFEST_HEADER))?,
            false,
        ),
    };
    let mut manifest = Manifest {
        files: HashMap::new(),
        inputs: HashMap::new(),
    };
    for line in list.lines() {
        match Fingerprint::parse(line) {
            Some((fingerprint, rest)) => {
                let (made_from, path) = match with_inputs {
                    true => rest.split_once('\t')?,
                    false => ("-", rest),
                };
                if let Ok(made_from) = u128::from_str_radix(made_from, 16) {
                    manifest.inputs.insert(path.to_string(), made_from);
                }
                manifest.files.insert(path.to_string(), Some(fingerprint));
            }
            None => _ = manifest.files.insert(line.to_string(), None),
        }
    }
    Some(manifest)
}

const MANIFEST_HEADER: &str = "# built by trangtin: the files of the last build (xxh3, size, \
modified ns, what a page was made from, path)\n";
const FINGERPRINTS_HEADER: &str =
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

/// The files under `root` (the live output) that the previous build's marker does not list:
/// files put there by hand (`.htaccess`, a verification file), as `/`-separated paths.
fn foreign_files(root: &Path, known: &HashSet<String>) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry?;
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let name = crate::content::source_name(relative);
        if name != MARKER && !known.contains(&name) {
            found.push(name);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn set(paths: &[&str]) -> HashSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    /// The names in `dir`, sorted, generation folders as `.public.gen-*`.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with(".public.gen-"))
            .collect();
        names.sort();
        names
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
            names(tmp.path()),
            [".public.lock", ".public.prev", "public"],
            "only public/, its generation, the previous one and the lock file remain"
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

    /// Builds `pages` (path, bytes, inputs) into `target` as `build` writes pages: kept
    /// when the last build made them from the same inputs. Returns the paths kept.
    fn build_pages(target: &Path, pages: &[(&str, &[u8], Inputs)]) -> Vec<String> {
        let staging = Staging::new(target).unwrap();
        let mut kept = Vec::new();
        for (path, bytes, inputs) in pages {
            if staging.keep_page(path, *inputs).unwrap() {
                kept.push(path.to_string());
            } else {
                staging.write_page(path, bytes, Some(*inputs)).unwrap();
            }
        }
        staging
            .commit(&set(&pages.iter().map(|p| p.0).collect::<Vec<_>>()))
            .unwrap();
        kept
    }

    #[test]
    fn a_page_made_from_the_same_inputs_is_kept_without_rendering_it() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = build_pages(
            &target,
            &[("a/index.html", b"A", 1), ("b/index.html", b"B", 2)],
        );
        assert!(first.is_empty());
        // Three builds in a row: the second links from the live tree, the third reuses
        // the tree before last, where the file already is.
        for round in 0..3 {
            let kept = build_pages(
                &target,
                &[("a/index.html", b"A", 1), ("b/index.html", b"B2", 3)],
            );
            match round {
                0 => assert_eq!(kept, ["a/index.html"]),
                _ => assert_eq!(kept, ["a/index.html", "b/index.html"]),
            }
            assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"A");
            assert_eq!(fs::read(target.join("b/index.html")).unwrap(), b"B2");
        }
    }

    #[test]
    fn a_page_edited_on_disk_since_the_last_build_is_rendered_again() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build_pages(&target, &[("index.html", b"page", 1)]);
        fs::write(target.join("index.html"), b"edited by hand, longer").unwrap();
        let kept = build_pages(&target, &[("index.html", b"page", 1)]);
        assert!(kept.is_empty());
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"page");
        // A marker of the version before (no inputs) keeps nothing and breaks nothing.
        let marker = target.join(MARKER);
        let text = fs::read_to_string(&marker).unwrap();
        let old: String = text
            .lines()
            .skip(1)
            .map(|line| {
                let f: Vec<&str> = line.split('\t').collect();
                format!("{}\t{}\t{}\t{}\n", f[0], f[1], f[2], f[4])
            })
            .collect();
        fs::remove_file(&marker).unwrap();
        fs::write(&marker, format!("{FINGERPRINTS_HEADER}{old}")).unwrap();
        assert!(build_pages(&target, &[("index.html", b"page", 1)]).is_empty());
        assert_eq!(
            build_pages(&target, &[("index.html", b"page", 1)]),
            ["index.html"]
        );
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
        assert_eq!(names(tmp.path()), [".public.lock", "public"]);
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

    /// The generation folders beside `target`.
    fn generations(target: &Path) -> usize {
        let parent = target.parent().unwrap();
        fs::read_dir(parent)
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().starts_with(".public.gen-")
            })
            .count()
    }

    fn fail_at(step: &str) {
        FAULT.with_borrow_mut(|at| *at = Some(step.to_string()));
    }

    fn no_fault() {
        FAULT.with_borrow_mut(|at| *at = None);
    }

    #[cfg(unix)]
    #[test]
    fn the_output_is_a_link_to_one_complete_generation() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"one")]);
        build(&target, &[("index.html", b"two")]);
        let link = fs::read_link(&target).unwrap();
        assert!(
            link.to_string_lossy().starts_with(".public.gen-"),
            "{link:?}"
        );
        assert_eq!(generations(&target), 1, "the old generation is deleted");
    }

    #[test]
    fn an_error_at_any_step_of_the_commit_leaves_the_whole_old_output() {
        for step in [
            "wrote the new tree",
            "made the new tree durable",
            "switching",
        ] {
            let tmp = tempfile::tempdir().unwrap();
            let target = tmp.path().join("public");
            build(&target, &[("a.html", b"old"), ("b.html", b"old")]);
            let staging = Staging::new(&target).unwrap();
            staging.write("a.html", b"new").unwrap();
            fail_at(step);
            let err = staging.commit(&set(&["a.html"])).unwrap_err();
            no_fault();
            assert!(err.to_string().contains("injected"), "{err}");
            assert_eq!(fs::read(target.join("a.html")).unwrap(), b"old", "{step}");
            assert!(target.join("b.html").exists(), "{step}");
            assert_eq!(generations(&target), usize::from(cfg!(unix)), "{step}");
            build(&target, &[("a.html", b"new")]);
            assert_eq!(fs::read(target.join("a.html")).unwrap(), b"new");
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_output_folder_of_an_older_version_is_replaced_and_put_back_when_cut_short() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir(&target).unwrap();
        fs::write(target.join(MARKER), OLD_MANIFEST_HEADER).unwrap();
        fs::write(target.join("index.html"), b"old").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging.write("index.html", b"new").unwrap();
        fail_at("switching");
        assert!(staging.commit(&set(&["index.html"])).is_err());
        no_fault();
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"old");
        assert!(!fs::symlink_metadata(&target).unwrap().is_symlink());
        // A build killed between the two renames: the next one puts the folder back first.
        fs::rename(&target, tmp.path().join(".public.old")).unwrap();
        build(&target, &[("index.html", b"new")]);
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"new");
        assert_eq!(
            names(tmp.path()),
            [".public.lock", ".public.prev", "public"]
        );
    }

    #[test]
    fn unchanged_files_keep_their_time_through_a_generation() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("a/index.html", b"same"), ("b.html", b"x")]);
        let before = fs::metadata(target.join("a/index.html")).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        build(&target, &[("a/index.html", b"same"), ("b.html", b"y")]);
        let after = fs::metadata(target.join("a/index.html")).unwrap();
        assert_eq!(before.modified().unwrap(), after.modified().unwrap());
    }

    #[test]
    fn a_path_written_twice_in_one_build_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"same")]);
        let staging = Staging::new(&target).unwrap();
        staging.write("index.html", b"other").unwrap();
        let err = staging.write("index.html", b"same").unwrap_err();
        assert!(err.to_string().contains("index.html: two outputs"), "{err}");
    }

    #[test]
    fn removing_most_published_pages_needs_leave() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let pages: Vec<String> = (0..40).map(|i| format!("p{i}/index.html")).collect();
        let files: Vec<(&str, &[u8])> = pages.iter().map(|p| (p.as_str(), &b"x"[..])).collect();
        build(&target, &files);
        // Half of them may go; 21 of 40 may not.
        build(&target, &files[..20]);
        build(&target, &files);
        let staging = Staging::new(&target).unwrap();
        let err = staging.commit(&set(&["p0/index.html"])).unwrap_err();
        assert!(
            err.to_string().contains("would remove 39 of the 40"),
            "{err}"
        );
        assert!(err.to_string().contains("--allow-mass-delete"), "{err}");
        assert!(target.join("p39/index.html").exists());
        let staging = Staging::new(&target).unwrap().allow_mass_delete(true);
        staging.write("p0/index.html", b"x").unwrap();
        assert_eq!(
            staging.commit(&set(&["p0/index.html"])).unwrap().removed,
            39
        );
    }

    #[test]
    fn a_second_build_of_one_output_at_once_fails() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = Staging::new(&target).unwrap();
        let err = Staging::new(&target).err().unwrap();
        assert!(err.to_string().contains("another trangtin build"), "{err}");
        drop(first);
        build(&target, &[("index.html", b"x")]);
    }

    #[test]
    fn leftovers_of_a_killed_build_are_removed_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"x")]);
        let killed = Staging::new(&target).unwrap();
        killed.write("index.html", b"y").unwrap();
        // As if killed: nothing cleans up, and the lock goes with the process.
        let Staging {
            dir, _lock: lock, ..
        } = killed;
        let _ = dir.keep();
        drop(lock);
        fs::create_dir_all(tmp.path().join(".public.staging-abc/x")).unwrap();
        build(&target, &[("index.html", b"z")]);
        assert_eq!(generations(&target), usize::from(cfg!(unix)));
        assert_eq!(
            names(tmp.path()),
            [".public.lock", ".public.prev", "public"]
        );
        build(&target, &[("index.html", b"z")]);
        assert_eq!(
            names(tmp.path()),
            [".public.lock", ".public.prev", "public"]
        );
    }

    /// A build as `build` makes one: the reused tree listed while the site is read.
    fn build_listed(target: &Path, files: &[(&str, &[u8])]) {
        let staging = Staging::new_listed(target, Some(TreeListing::start(target))).unwrap();
        for (path, bytes) in files {
            staging.write(path, bytes).unwrap();
        }
        let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
        staging.commit(&set(&paths)).unwrap();
    }

    /// The files of the tree at `dir`, sorted.
    fn files_of(dir: &Path) -> Vec<String> {
        let mut files = list_files(dir).unwrap();
        files.sort();
        files
    }

    #[test]
    fn the_previous_tree_lists_its_files_and_the_build_reusing_it_removes_the_list() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let prev = tmp.path().join(".public.prev");
        build_listed(&target, &[("index.html", b"1"), ("a/index.html", b"1")]);
        fs::write(target.join(".htaccess"), b"by hand").unwrap();
        build_listed(&target, &[("index.html", b"2"), ("b/index.html", b"2")]);
        let mut listed = read_listing(&prev).unwrap();
        listed.sort();
        assert_eq!(listed, files_of(&prev));
        assert!(listed.contains(&".htaccess".to_string()), "{listed:?}");
        for round in 3..6 {
            build_listed(&target, &[("index.html", b"3"), ("c/index.html", b"3")]);
            assert_eq!(
                files_of(&target),
                [
                    ".htaccess",
                    ".trangtin-output",
                    "c/index.html",
                    "index.html"
                ],
                "round {round}"
            );
        }
        // Removed by hand, a file put there by hand does not come back from older trees.
        fs::remove_file(target.join(".htaccess")).unwrap();
        for round in 6..9 {
            build_listed(&target, &[("index.html", b"4")]);
            assert_eq!(
                files_of(&target),
                [".trangtin-output", "index.html"],
                "round {round}"
            );
        }
    }

    #[test]
    fn a_listing_cut_short_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let prev = tmp.path().join(".public.prev");
        build_listed(&target, &[("index.html", b"1")]);
        build_listed(&target, &[("index.html", b"2")]);
        let listing = fs::read_to_string(prev.join(LISTING)).unwrap();
        // Cut before its end line, with a file it does not list beside it.
        let cut = listing.rsplit_once("end").unwrap().0;
        fs::write(prev.join(LISTING), cut).unwrap();
        assert!(read_listing(&prev).is_none());
        fs::write(prev.join("stray.html"), b"old").unwrap();
        build_listed(&target, &[("index.html", b"3")]);
        assert_eq!(files_of(&target), [".trangtin-output", "index.html"]);
    }

    #[test]
    fn files_put_in_the_output_by_hand_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"x"), ("a/b.html", b"x")]);
        fs::write(target.join(".htaccess"), b"DirectoryIndex index.html").unwrap();
        fs::write(target.join("a/google123.html"), b"verify").unwrap();
        build(&target, &[("index.html", b"y")]);
        assert_eq!(
            fs::read(target.join(".htaccess")).unwrap(),
            b"DirectoryIndex index.html"
        );
        assert_eq!(
            fs::read(target.join("a/google123.html")).unwrap(),
            b"verify"
        );
        assert!(!target.join("a/b.html").exists());
        // A build that makes the same path replaces it.
        build(&target, &[("index.html", b"y"), (".htaccess", b"built")]);
        assert_eq!(fs::read(target.join(".htaccess")).unwrap(), b"built");
    }

    #[cfg(unix)]
    #[test]
    fn an_output_named_with_a_trailing_slash_is_the_link_itself() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("index.html", b"x")]);
        build(&tmp.path().join("public/"), &[("index.html", b"y")]);
        assert!(fs::symlink_metadata(&target).unwrap().is_symlink());
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"y");
    }

    #[cfg(unix)]
    #[test]
    fn the_tree_before_last_is_brought_up_to_date_without_touching_the_live_one() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(
            &target,
            &[("a/index.html", b"1"), ("b.html", b"1"), ("c.html", b"1")],
        );
        build(
            &target,
            &[("a/index.html", b"1"), ("b.html", b"2"), ("c.html", b"1")],
        );
        let inode = |p: &str| fs::metadata(target.join(p)).unwrap().ino();
        let a_before = inode("a/index.html");
        // The third build reuses the first one's tree, whose a/index.html is the live file.
        let staging = Staging::new(&target).unwrap();
        assert!(staging.dir.reused);
        staging.write("a/index.html", b"3").unwrap();
        staging.write("b.html", b"2").unwrap();
        assert_eq!(
            fs::read(target.join("a/index.html")).unwrap(),
            b"1",
            "live file untouched"
        );
        let report = staging.commit(&set(&["a/index.html", "b.html"])).unwrap();
        assert_eq!(
            (report.changed, report.unchanged, report.removed),
            (1, 1, 1)
        );
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"3");
        assert_eq!(fs::read(target.join("b.html")).unwrap(), b"2");
        assert!(!target.join("c.html").exists());
        assert_ne!(inode("a/index.html"), a_before);
        // Unchanged since the build before: the very file, no work at all.
        let b = inode("b.html");
        let report = build(&target, &[("a/index.html", b"3"), ("b.html", b"2")]);
        assert_eq!(report.unchanged, 2);
        assert_eq!(inode("b.html"), b);
        assert_eq!(
            names(tmp.path()),
            [".public.lock", ".public.prev", "public"]
        );
        assert_eq!(generations(&target), 1);
    }
}
