//! The deploy manifest, `.trangtin-deploy.tsv` in the target (a file in a folder, an object
//! beside the site's in a bucket): every file a deploy put there, with its size and xxh3
//! hash. It says what is already there (nothing to copy) and what a deploy may delete (only
//! what it put there). Written anew, whole, after each batch of copies, so that an
//! interrupted deploy resumes where it stopped.

use crate::error::{Error, Problem, Result};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The manifest's file name, in the target folder.
pub const MANIFEST: &str = ".trangtin-deploy.tsv";

/// The first line, for whoever opens the file.
const HEADER: &str = "# trangtin deploy: the files it put here (path, size, xxh3)\n";

/// What a file holds: its size and its xxh3-64 hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Content {
    /// Its size in bytes.
    pub size: u64,
    /// Its xxh3-64 hash.
    pub hash: u64,
}

/// The files a deploy put in the target: relative path (with `/`) to content.
pub type Manifest = BTreeMap<String, Content>;

/// Reads the manifest of the folder `target`; none yet is an empty one.
pub(crate) fn read(target: &Path) -> Result<Manifest> {
    let path = target.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, &path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::new()),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// Parses a manifest's text; `path` names it in errors. A line that is not
/// `path<TAB>size<TAB>hash`, or a path that leaves the folder, is an error with its line:
/// the manifest decides what is deleted, so a damaged one is not guessed at.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Manifest> {
    let mut manifest = Manifest::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok((relative, content)) => {
                manifest.insert(relative.to_string(), content);
            }
            Err(message) => problems.push(
                Problem::error(
                    path,
                    format!("{message}; delete the file to deploy everything anew"),
                )
                .at_line(Some(i + 1)),
            ),
        }
    }
    if problems.is_empty() {
        Ok(manifest)
    } else {
        Err(Error::Input(problems))
    }
}

fn parse_line(line: &str) -> std::result::Result<(&str, Content), String> {
    let mut fields = line.split('\t');
    let (Some(relative), Some(size), Some(hash), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err("not a `path<TAB>size<TAB>hash` line".into());
    };
    if let Some(problem) = path_problem(relative) {
        return Err(problem);
    }
    let size = size
        .parse()
        .map_err(|_| format!("`{size}` is not a size in bytes"))?;
    let hash = u64::from_str_radix(hash, 16)
        .ok()
        .filter(|_| hash.len() == 16)
        .ok_or_else(|| format!("`{hash}` is not an xxh3 hash (16 hexadecimal digits)"))?;
    Ok((relative, Content { size, hash }))
}

/// Why `relative` cannot be a path in the manifest (outside the folder, the manifest
/// itself, a character that would break the line), or `None`.
pub(crate) fn path_problem(relative: &str) -> Option<String> {
    if let Some(problem) = crate::routes::output_path_problem(relative) {
        return Some(problem);
    }
    if relative == MANIFEST {
        return Some(format!("`{MANIFEST}` is the deploy's own manifest"));
    }
    if relative.chars().any(char::is_control) {
        return Some(format!(
            "the path `{}` holds a control character (a tab or a line break)",
            relative.escape_debug()
        ));
    }
    None
}

/// The manifest's text: a header line, then `path<TAB>size<TAB>hash` lines in path order.
pub(crate) fn render(manifest: &Manifest) -> String {
    let mut text = String::with_capacity(HEADER.len() + manifest.len() * 64);
    text.push_str(HEADER);
    for (relative, content) in manifest {
        text.push_str(&format!(
            "{relative}\t{}\t{:016x}\n",
            content.size, content.hash
        ));
    }
    text
}

/// Writes the manifest into the folder `target`: a temporary file, made durable, renamed
/// over the old one, so that the manifest is always a whole one.
pub(crate) fn write(target: &Path, manifest: &Manifest) -> Result<()> {
    let path = target.join(MANIFEST);
    let text = render(manifest);
    let io = |e| Error::io(&path, e);
    let mut temp = tempfile::Builder::new()
        .prefix(".trangtin-deploy.")
        .tempfile_in(target)
        .map_err(io)?;
    temp.write_all(text.as_bytes()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(&path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).unwrap().is_empty());
        let mut manifest = Manifest::new();
        manifest.insert(
            "index.html".into(),
            Content {
                size: 1234,
                hash: 0xdead_beef,
            },
        );
        manifest.insert(
            "tin-tuc/hội-nghị/ảnh 1.jpg".into(),
            Content {
                size: 0,
                hash: u64::MAX,
            },
        );
        write(dir.path(), &manifest).unwrap();
        let text = std::fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        assert!(text.starts_with("# trangtin deploy"), "{text}");
        assert!(
            text.contains("index.html\t1234\t00000000deadbeef\n"),
            "{text}"
        );
        assert_eq!(read(dir.path()).unwrap(), manifest);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn a_damaged_manifest_is_refused_with_its_lines() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(MANIFEST),
            "# header\na.html\t1\t0000000000000001\n../../etc/passwd\t1\t0000000000000001\n\
             b.html\tmany\t0000000000000001\nc.html\t1\txyz\nd.html\n/abs\t1\t0000000000000001\n",
        )
        .unwrap();
        let err = read(dir.path()).unwrap_err();
        let lines: Vec<Option<usize>> = err.problems().iter().map(|p| p.line).collect();
        assert_eq!(
            lines,
            [Some(3), Some(4), Some(5), Some(6), Some(7)],
            "{err}"
        );
        let text = err.to_string();
        assert!(text.contains("`..` segment"), "{text}");
        assert!(text.contains("`many` is not a size"), "{text}");
        assert!(
            text.contains("delete the file to deploy everything anew"),
            "{text}"
        );
    }

    #[test]
    fn paths_that_leave_the_folder_or_break_a_line_are_refused() {
        for bad in [
            "", "/etc/x", "a/../b", "./a", "a//b", "a\tb", "a\nb", MANIFEST,
        ] {
            assert!(path_problem(bad).is_some(), "{bad:?}");
        }
        assert_eq!(path_problem("tin-tuc/a b/ảnh.jpg"), None);
    }
}
