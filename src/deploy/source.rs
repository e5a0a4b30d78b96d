//! The files of the build output to deploy: every file under the output folder (links
//! followed) but trangtin's own marker, with its size and xxh3 hash, read in parallel.

use super::manifest::{path_problem, Content};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A file of the build output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Its path under the output folder, with `/`.
    pub relative: String,
    /// What it holds.
    pub content: Content,
}

/// Every file under `source` (a real folder: the caller resolved the link), sorted by path.
pub(crate) fn list(source: &Path) -> Result<Vec<SourceFile>> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(source).follow_links(true) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(source).to_path_buf();
            Error::io(path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = relative_path(source, entry.path())?;
        if relative == crate::output::write::MARKER {
            continue; // the build's own list of its files, not part of the site
        }
        if let Some(problem) = path_problem(&relative) {
            return Err(Error::io(entry.path(), std::io::Error::other(problem)));
        }
        files.push((relative, entry.into_path()));
    }
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
        .into_par_iter()
        .map(|(relative, path)| {
            let content = hash_file(&path).map_err(|e| Error::io(&path, e))?;
            Ok(SourceFile { relative, content })
        })
        .collect()
}

/// The path of `path` under `root`, with `/` between names; a name that is not UTF-8 is an
/// error (no build writes one).
fn relative_path(root: &Path, path: &Path) -> Result<String> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let names: Option<Vec<&str>> = relative.iter().map(|name| name.to_str()).collect();
    names.map(|names| names.join("/")).ok_or_else(|| {
        Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the file name is not UTF-8",
            ),
        )
    })
}

/// The size and xxh3-64 hash of a file, read in blocks.
pub(crate) fn hash_file(path: &Path) -> std::io::Result<Content> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok(Content {
        size,
        hash: hasher.digest(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_file_but_the_builds_marker_with_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("tin-tuc/ảnh")).unwrap();
        std::fs::write(root.join("index.html"), "trang chủ").unwrap();
        std::fs::write(root.join("tin-tuc/ảnh/a.jpg"), [1u8, 2, 3]).unwrap();
        std::fs::write(root.join(crate::output::write::MARKER), "list").unwrap();
        let files = list(root).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(paths, ["index.html", "tin-tuc/ảnh/a.jpg"]);
        assert_eq!(
            files[0].content,
            Content {
                size: "trang chủ".len() as u64,
                hash: xxhash_rust::xxh3::xxh3_64("trang chủ".as_bytes())
            }
        );
    }

    #[test]
    fn a_large_file_hashes_as_one_piece() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
        let path = dir.path().join("big.bin");
        std::fs::write(&path, &bytes).unwrap();
        let content = hash_file(&path).unwrap();
        assert_eq!(content.size, 1_000_000);
        assert_eq!(content.hash, xxhash_rust::xxh3::xxh3_64(&bytes));
    }
}
