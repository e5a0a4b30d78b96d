//! `trangtin deploy --to FOLDER`: copies the build output into a folder (a mounted web
//! root, a network share), only what changed.
//!
//! The target keeps a manifest (`.trangtin-deploy.tsv`, see [`manifest`]) of the files
//! deploys put there, with their size and xxh3 hash. A deploy hashes the output's files,
//! copies those whose content the manifest does not have (or whose copy is missing or of
//! another size), assets before pages so that a new page never links to a file not there
//! yet, each through a temporary file renamed into place; then deletes the files of the
//! manifest the build no longer has, and never a file it did not put there. The manifest
//! is written anew after each batch (files made durable first), so that an interrupted
//! deploy resumes with what is left.

pub mod manifest;
mod source;
mod summary;

use crate::error::{Error, Problem, Result};
use manifest::{Content, Manifest};
use source::SourceFile;
use std::fs;
use std::path::{Path, PathBuf};

/// What to deploy where.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The build output (`public/` or `--output`; a link to it is followed).
    pub source: PathBuf,
    /// The folder to copy it into (created when missing).
    pub target: PathBuf,
    /// Say what would be copied and deleted, change nothing.
    pub dry_run: bool,
    /// The manifest is written after this many copies (and after the deletions).
    pub batch_files: usize,
}

impl DeployOptions {
    /// Deploys `source` into `target`, for real, in batches of 500 files.
    pub fn new(source: impl Into<PathBuf>, target: impl Into<PathBuf>) -> Self {
        DeployOptions {
            source: source.into(),
            target: target.into(),
            dry_run: false,
            batch_files: 500,
        }
    }
}

/// What a deploy did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployReport {
    /// The files copied, by path under the output folder, in the order copied.
    pub uploaded: Vec<String>,
    /// Their total size in bytes.
    pub uploaded_bytes: u64,
    /// The files deleted from the target.
    pub deleted: Vec<String>,
    /// The files already in the target with the same content.
    pub unchanged: usize,
    /// True when nothing was changed (`--dry-run`).
    pub dry_run: bool,
}

impl DeployReport {
    /// One sentence for the person who deploys:
    /// `Đã tải lên 12 tệp (1,2 MB), đã xoá 3 tệp, 13.250 tệp không đổi`.
    pub fn summary(&self) -> String {
        let (prefix, did) = if self.dry_run {
            ("Chạy thử, không ghi gì: ", "sẽ")
        } else {
            ("", "đã")
        };
        let text = format!(
            "{prefix}{did} tải lên {} tệp ({}), {did} xoá {} tệp, {} tệp không đổi",
            summary::count(self.uploaded.len()),
            summary::size(self.uploaded_bytes),
            summary::count(self.deleted.len()),
            summary::count(self.unchanged)
        );
        capitalize(&text)
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Copies what changed from `options.source` into `options.target` and deletes what the
/// build no longer has (see the module's documentation).
pub fn deploy(options: &DeployOptions) -> Result<DeployReport> {
    let source = check_source(&options.source)?;
    check_apart(&source, &options.target)?;
    let files = source::list(&source)?;
    let mut manifest = manifest::read(&options.target)?;
    let plan = Plan::new(&files, &manifest, &options.target);
    let report = DeployReport {
        uploaded: plan.copies.iter().map(|f| f.relative.clone()).collect(),
        uploaded_bytes: plan.copies.iter().map(|f| f.content.size).sum(),
        deleted: plan.deletions.clone(),
        unchanged: plan.unchanged,
        dry_run: options.dry_run,
    };
    if options.dry_run {
        return Ok(report);
    }
    let target = &options.target;
    fs::create_dir_all(target).map_err(|e| Error::io(target, e))?;
    // A file where a folder now goes (or the other way round) must go first.
    let (in_the_way, later): (Vec<&String>, Vec<&String>) = plan
        .deletions
        .iter()
        .partition(|relative| plan.is_in_the_way(relative));
    if !in_the_way.is_empty() {
        for relative in in_the_way {
            delete(target, relative)?;
            manifest.remove(relative);
        }
        manifest::write(target, &manifest)?;
    }
    for batch in plan.copies.chunks(options.batch_files.max(1)) {
        for file in batch {
            copy(&source, target, &file.relative)?;
            manifest.insert(file.relative.clone(), file.content);
        }
        crate::output::swap::sync_tree(target)?;
        manifest::write(target, &manifest)?;
    }
    for relative in &later {
        delete(target, relative)?;
        manifest.remove(*relative);
    }
    if !later.is_empty() || !target.join(manifest::MANIFEST).exists() {
        manifest::write(target, &manifest)?;
    }
    Ok(report)
}

/// What a deploy has to do.
struct Plan<'a> {
    /// Files to copy: assets first, then pages, each in path order.
    copies: Vec<&'a SourceFile>,
    /// Paths of the manifest that the build no longer has.
    deletions: Vec<String>,
    unchanged: usize,
    /// The paths of `copies`, sorted, to find what is in their way.
    copy_paths: std::collections::BTreeSet<&'a str>,
}

impl<'a> Plan<'a> {
    fn new(files: &'a [SourceFile], manifest: &Manifest, target: &Path) -> Self {
        let (mut copies, mut unchanged) = (Vec::new(), 0);
        for file in files {
            if is_in_place(
                manifest.get(&file.relative),
                &file.content,
                target,
                &file.relative,
            ) {
                unchanged += 1;
            } else {
                copies.push(file);
            }
        }
        // Stable: pages (HTML) after everything they may link to.
        copies.sort_by_key(|file| file.relative.ends_with(".html"));
        let kept: std::collections::HashSet<&str> =
            files.iter().map(|f| f.relative.as_str()).collect();
        let deletions = manifest
            .keys()
            .filter(|relative| !kept.contains(relative.as_str()))
            .cloned()
            .collect();
        let copy_paths = copies.iter().map(|f| f.relative.as_str()).collect();
        Plan {
            copies,
            deletions,
            unchanged,
            copy_paths,
        }
    }

    /// Whether deleting `relative` must come before the copies: a copy goes inside it (a
    /// file that became a folder) or it is inside a copy (a folder that became a file).
    fn is_in_the_way(&self, relative: &str) -> bool {
        let folder = format!("{relative}/");
        let copy_inside = self
            .copy_paths
            .range::<str, _>((
                std::ops::Bound::Included(folder.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .next()
            .is_some_and(|path| path.starts_with(&folder));
        let inside_copy = relative
            .match_indices('/')
            .any(|(i, _)| self.copy_paths.contains(&relative[..i]));
        copy_inside || inside_copy
    }
}

/// The target has the file's content: the manifest says so, and the file is there with
/// that size (someone may have deleted or truncated it since).
fn is_in_place(
    recorded: Option<&Content>,
    content: &Content,
    target: &Path,
    relative: &str,
) -> bool {
    recorded == Some(content)
        && fs::metadata(target.join(relative))
            .is_ok_and(|meta| meta.is_file() && meta.len() == content.size)
}

/// The build output as a real folder; refused when it is missing or was not made by
/// trangtin (a mistyped `--output` must not wipe the target through the deletions).
fn check_source(source: &Path) -> Result<PathBuf> {
    let not_output =
        |message: &str| Error::Input(vec![Problem::error(source, message.to_string())]);
    let resolved = fs::canonicalize(source)
        .map_err(|_| not_output("there is no build output here: run `trangtin build` first"))?;
    if !resolved.join(crate::output::write::MARKER).is_file() {
        return Err(not_output(&format!(
            "is not a build output of trangtin (no {} file in it): deploy the folder that \
             `trangtin build` writes (public/ or its --output)",
            crate::output::write::MARKER
        )));
    }
    Ok(resolved)
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
fn resolve(path: &Path) -> PathBuf {
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
    fn the_summary_reads_as_the_issue_asks() {
        let report = DeployReport {
            uploaded: (0..12).map(|i| format!("{i}.html")).collect(),
            uploaded_bytes: 1_200_000,
            deleted: vec!["a".into(), "b".into(), "c".into()],
            unchanged: 13_250,
            dry_run: false,
        };
        assert_eq!(
            report.summary(),
            "Đã tải lên 12 tệp (1,2 MB), đã xoá 3 tệp, 13.250 tệp không đổi"
        );
        let dry = DeployReport {
            dry_run: true,
            ..report
        };
        assert_eq!(
            dry.summary(),
            "Chạy thử, không ghi gì: sẽ tải lên 12 tệp (1,2 MB), sẽ xoá 3 tệp, 13.250 tệp \
             không đổi"
        );
    }

    #[test]
    fn pages_are_copied_after_the_files_they_link_to() {
        let file = |relative: &str| SourceFile {
            relative: relative.into(),
            content: Content { size: 1, hash: 1 },
        };
        let files = [
            file("a/index.html"),
            file("a/photo.jpg"),
            file("index.html"),
            file("style.css"),
        ];
        let dir = tempfile::tempdir().unwrap();
        let plan = Plan::new(&files, &Manifest::new(), dir.path());
        let order: Vec<&str> = plan.copies.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(
            order,
            ["a/photo.jpg", "style.css", "a/index.html", "index.html"]
        );
    }

    /// A folder that looks like a build output, with these files.
    fn output(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(crate::output::write::MARKER), "").unwrap();
        for (relative, text) in files {
            let path = dir.path().join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_file_that_became_a_folder_and_back_is_replaced() {
        let target = tempfile::tempdir().unwrap();
        let first = output(&[("a", "file a"), ("b/index.html", "page b")]);
        deploy(&DeployOptions::new(first.path(), target.path())).unwrap();
        let second = output(&[("a/index.html", "page a"), ("b", "file b")]);
        let report = deploy(&DeployOptions::new(second.path(), target.path())).unwrap();
        assert_eq!(report.deleted, ["a", "b/index.html"]);
        assert_eq!(
            fs::read_to_string(target.path().join("a/index.html")).unwrap(),
            "page a"
        );
        assert_eq!(
            fs::read_to_string(target.path().join("b")).unwrap(),
            "file b"
        );
        let manifest = manifest::read(target.path()).unwrap();
        let listed: Vec<&String> = manifest.keys().collect();
        assert_eq!(listed, ["a/index.html", "b"]);
    }

    #[test]
    fn an_empty_output_deletes_what_deploys_put_there_and_their_empty_folders() {
        let target = tempfile::tempdir().unwrap();
        fs::write(target.path().join("theirs.txt"), "x").unwrap();
        let first = output(&[("x/y/z.html", "z"), ("x/w.css", "w")]);
        deploy(&DeployOptions::new(first.path(), target.path())).unwrap();
        let empty = output(&[]);
        let report = deploy(&DeployOptions::new(empty.path(), target.path())).unwrap();
        assert_eq!(report.deleted.len(), 2);
        let mut left: Vec<String> = fs::read_dir(target.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, [manifest::MANIFEST, "theirs.txt"]);
    }

    #[test]
    fn resolves_a_path_that_does_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(resolve(&dir.path().join("a/b")), real.join("a/b"));
    }
}
