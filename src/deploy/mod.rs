//! `trangtin deploy --to FOLDER|s3://BUCKET/PREFIX|sftp://USER@HOST/PATH`: copies the build
//! output into a folder (a mounted web root, a network share), an S3-compatible bucket or a
//! folder on an SSH server, only what changed.
//!
//! The target keeps a manifest (`.trangtin-deploy.tsv`, see [`manifest`]) of the files
//! deploys put there, with their size and xxh3 hash. A deploy hashes the output's files,
//! puts those whose content the manifest does not have (or whose copy is missing or of
//! another size), assets before pages so that a new page never links to a file not there
//! yet, each replaced whole; then deletes the files of the manifest the build no longer has,
//! and never a file it did not put there. The manifest is written anew after each batch
//! (files made durable first), so that an interrupted deploy resumes with what is left.
//!
//! That logic is here, once; a [`Target`] (the [`folder`], the [`s3`] bucket, the [`sftp`]
//! server) only puts, deletes, and reads and writes the manifest.

mod credentials;
pub mod folder;
pub mod manifest;
pub mod s3;
pub mod sftp;
mod source;
mod summary;
pub mod target;

use crate::error::{Error, Problem, Result};
pub use folder::FolderTarget;
use manifest::Manifest;
pub use s3::S3Target;
pub use sftp::{SftpAddress, SftpTarget};
pub use source::SourceFile;
use std::fs;
use std::path::{Path, PathBuf};
pub use target::Target;

/// Where to deploy: what `--to` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A folder (created when missing).
    Folder(PathBuf),
    /// `s3://BUCKET/PREFIX`: a bucket of an S3-compatible store, under a prefix (may be empty).
    S3 {
        /// The bucket.
        bucket: String,
        /// The prefix of the site's objects, without `/` at its ends.
        prefix: String,
    },
    /// `sftp://USER@HOST[:PORT]/PATH` (or `ssh://`): a folder on an SSH server.
    Sftp(SftpAddress),
}

impl Destination {
    /// `s3://bucket/prefix`, `sftp://user@host/path` (or `ssh://`) or a folder; another
    /// `scheme://` is refused. An SFTP address without a user is the local user's (`USER`).
    pub fn parse(to: &str) -> Result<Destination> {
        let refuse = |message: String| Error::Input(vec![Problem::error(to, message)]);
        if let Some(rest) = to.strip_prefix("s3://") {
            let (bucket, prefix) = s3::parse_address(rest).map_err(refuse)?;
            return Ok(Destination::S3 { bucket, prefix });
        }
        if let Some(rest) = to.strip_prefix("sftp://").or(to.strip_prefix("ssh://")) {
            let user = std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .ok();
            let address = SftpAddress::parse(rest, user.as_deref()).map_err(refuse)?;
            return Ok(Destination::Sftp(address));
        }
        if let Some((scheme, _)) = to.split_once("://") {
            if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(refuse(format!(
                    "trangtin deploys to a folder, to s3://BUCKET/PREFIX or to \
                     sftp://USER@HOST/PATH, not to {scheme}://"
                )));
            }
        }
        Ok(Destination::Folder(PathBuf::from(to)))
    }
}

impl From<&Path> for Destination {
    fn from(folder: &Path) -> Self {
        Destination::Folder(folder.to_path_buf())
    }
}

impl From<PathBuf> for Destination {
    fn from(folder: PathBuf) -> Self {
        Destination::Folder(folder)
    }
}

impl From<&PathBuf> for Destination {
    fn from(folder: &PathBuf) -> Self {
        Destination::Folder(folder.clone())
    }
}

/// What to deploy where.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The build output (`public/` or `--output`; a link to it is followed).
    pub source: PathBuf,
    /// Where to put it.
    pub target: Destination,
    /// Say what would be copied and deleted, change nothing.
    pub dry_run: bool,
    /// The manifest is written after this many copies (and after the deletions).
    pub batch_files: usize,
    /// A file of settings and credentials for an S3 store or an SFTP server: `KEY=VALUE`
    /// lines with the environment's names (`AWS_ACCESS_KEY_ID=...`,
    /// `TRANGTIN_SFTP_KEY=...`), outside the site.
    pub credentials: Option<PathBuf>,
    /// The site's folder: a credentials file inside it is refused.
    pub site_root: Option<PathBuf>,
}

impl DeployOptions {
    /// Deploys `source` into `target`, for real, in batches of 500 files.
    pub fn new(source: impl Into<PathBuf>, target: impl Into<Destination>) -> Self {
        DeployOptions {
            source: source.into(),
            target: target.into(),
            dry_run: false,
            batch_files: 500,
            credentials: None,
            site_root: None,
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

/// The small tokio runtime a remote target (S3, SFTP) drives its client on.
pub(crate) fn upload_runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Start {
            what: "the upload runtime",
            source,
        })
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Puts what changed from `options.source` into `options.target` and deletes what the
/// build no longer has (see the module's documentation).
pub fn deploy(options: &DeployOptions) -> Result<DeployReport> {
    let source = check_source(&options.source)?;
    let mut target: Box<dyn Target> = match &options.target {
        Destination::Folder(folder) => Box::new(FolderTarget::new(folder, &source)?),
        Destination::S3 { bucket, prefix } => {
            let mut refused = vec![source.as_path()];
            refused.extend(options.site_root.as_deref());
            Box::new(S3Target::open(
                bucket,
                prefix,
                options.credentials.as_deref(),
                &refused,
            )?)
        }
        Destination::Sftp(address) => {
            let mut refused = vec![source.as_path()];
            refused.extend(options.site_root.as_deref());
            Box::new(SftpTarget::open(
                address,
                options.credentials.as_deref(),
                &refused,
            )?)
        }
    };
    deploy_into(options, target.as_mut())
}

/// [`deploy`] into `target` rather than `options.target` (a target of one's own, or one
/// wrapped to count or fail its calls in tests).
pub fn deploy_into(options: &DeployOptions, target: &mut dyn Target) -> Result<DeployReport> {
    let source = check_source(&options.source)?;
    let files = source::list(&source)?;
    let mut manifest = target.read_manifest()?;
    let plan = Plan::new(&files, &manifest, target);
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
    target.prepare()?;
    // A file where a folder now goes (or the other way round) must go first.
    let (in_the_way, later): (Vec<&String>, Vec<&String>) = plan
        .deletions
        .iter()
        .partition(|relative| plan.is_in_the_way(relative));
    if !in_the_way.is_empty() {
        for relative in in_the_way {
            target.delete(relative)?;
            manifest.remove(relative);
        }
        target.write_manifest(&manifest)?;
    }
    // Batches never mix assets and pages: the pages of a batch may be put at once.
    let pages_from = plan
        .copies
        .partition_point(|file| !file.relative.ends_with(".html"));
    let (assets, pages) = plan.copies.split_at(pages_from);
    for batch in assets
        .chunks(options.batch_files.max(1))
        .chain(pages.chunks(options.batch_files.max(1)))
    {
        target.put(&source, batch)?;
        for file in batch {
            manifest.insert(file.relative.clone(), file.content);
        }
        target.write_manifest(&manifest)?;
    }
    for relative in &later {
        target.delete(relative)?;
        manifest.remove(*relative);
    }
    if !later.is_empty() || !target.has_manifest() {
        target.write_manifest(&manifest)?;
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
    fn new(files: &'a [SourceFile], manifest: &Manifest, target: &dyn Target) -> Self {
        let (mut copies, mut unchanged) = (Vec::new(), 0);
        for file in files {
            // The target has the file's content: the manifest says so, and the file is
            // there with that size (someone may have deleted or truncated it since).
            if manifest.get(&file.relative) == Some(&file.content)
                && target.is_in_place(&file.relative, file.content.size)
            {
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

#[cfg(test)]
mod tests {
    use super::*;
    use manifest::Content;

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
    fn to_names_a_bucket_or_a_folder_and_nothing_else() {
        assert_eq!(
            Destination::parse("s3://tin-tuc/web/").unwrap(),
            Destination::S3 {
                bucket: "tin-tuc".into(),
                prefix: "web".into()
            }
        );
        assert_eq!(
            Destination::parse("/var/www/tin").unwrap(),
            Destination::Folder("/var/www/tin".into())
        );
        let err = Destination::parse("ftp://host/x").unwrap_err().to_string();
        assert!(err.contains("not to ftp://"), "{err}");
        let err = Destination::parse("s3://Tin_Tuc").unwrap_err().to_string();
        assert!(err.contains("is not a bucket name"), "{err}");
        for to in [
            "sftp://tin@web.so.vn:2222/var/www",
            "ssh://tin@web.so.vn:2222/var/www/",
        ] {
            assert_eq!(
                Destination::parse(to).unwrap(),
                Destination::Sftp(SftpAddress {
                    user: "tin".into(),
                    host: "web.so.vn".into(),
                    port: 2222,
                    folder: "/var/www".into()
                })
            );
        }
        let err = Destination::parse("sftp://tin@web.so.vn")
            .unwrap_err()
            .to_string();
        assert!(err.contains("names no folder"), "{err}");
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
        let target = FolderTarget::new(dir.path(), Path::new("/nonexistent-output")).unwrap();
        let plan = Plan::new(&files, &Manifest::new(), &target);
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
}
