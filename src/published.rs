//! The URLs the site has published, kept in `published-urls.tsv` beside `config.yaml` so
//! that a URL stays with its article across builds, machines and fresh clones: a newer
//! article never takes an older one's URL, a moved article leaves a redirect behind, and a
//! removed one leaves a "Bài viết đã được gỡ" page. `build` writes it; commit it with the
//! site, as the content it describes.
//!
//! One line per URL: the path under the base path (`chung/doi-moi/`), a tab, the source
//! (`2024/03/doi-moi.md`). Lines starting with `#` are comments.

use crate::error::{Error, Problem, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// The file's name, at the site root.
pub const FILE: &str = "published-urls.tsv";

const HEADER: &str = "\
# URLs published by trangtin build, and the article each belongs to (see README:
# \"Stable URLs\"). Commit this file with the site; do not edit it by hand unless an
# article's old URL should stop redirecting (delete its line).
";

/// Published URL paths (under the base path, `chung/doi-moi/`) → source path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishedUrls {
    by_path: BTreeMap<String, String>,
}

impl PublishedUrls {
    /// Reads `root/published-urls.tsv`; a missing file is an empty record (a site never
    /// built, or built before this file existed).
    pub fn load(root: &Path) -> Result<PublishedUrls> {
        let path = root.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        Self::parse(&text).map_err(|problem| Error::Input(vec![problem]))
    }

    /// Parses the file's text.
    pub fn parse(text: &str) -> std::result::Result<PublishedUrls, Problem> {
        let mut by_path = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((path, source)) = line.split_once('\t') else {
                return Err(Problem::error(
                    FILE,
                    "expected a URL path, a tab and a source file; restore the line from \
                     version control or delete it",
                )
                .at_line(Some(n + 1)));
            };
            by_path.insert(path.to_string(), source.to_string());
        }
        Ok(PublishedUrls { by_path })
    }

    /// The source that published `path` (`chung/doi-moi/`), if one did.
    pub fn owner(&self, path: &str) -> Option<&str> {
        self.by_path.get(path).map(String::as_str)
    }

    /// Every published path with its source, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_path.iter().map(|(p, s)| (p.as_str(), s.as_str()))
    }

    /// True when nothing was published yet.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// This record with `current` (path, source) pairs added; a path published again by
    /// another source now belongs to it.
    pub fn with(&self, current: impl IntoIterator<Item = (String, String)>) -> PublishedUrls {
        let mut by_path = self.by_path.clone();
        by_path.extend(current);
        PublishedUrls { by_path }
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let mut text = String::from(HEADER);
        for (path, source) in &self.by_path {
            text.push_str(path);
            text.push('\t');
            text.push_str(source);
            text.push('\n');
        }
        text
    }

    /// Writes `root/published-urls.tsv` when it would change, through a temporary file
    /// renamed over it (never half written).
    pub fn save(&self, root: &Path) -> Result<()> {
        let path = root.join(FILE);
        let text = self.to_text();
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        let mut builder = tempfile::Builder::new();
        #[cfg(unix)]
        {
            // Readable like any file of the site (a temporary file is private by default).
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let mut file = builder.tempfile_in(root).map_err(|e| Error::io(root, e))?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
        file.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes_and_skips_comments() {
        let record = PublishedUrls::default().with([
            (
                "chung/doi-moi/".to_string(),
                "2024/03/doi-moi.md".to_string(),
            ),
            ("gioi-thieu/".to_string(), "gioi-thieu.md".to_string()),
        ]);
        let text = record.to_text();
        assert!(text.starts_with("# URLs published"));
        assert!(text.ends_with("chung/doi-moi/\t2024/03/doi-moi.md\ngioi-thieu/\tgioi-thieu.md\n"));
        assert_eq!(PublishedUrls::parse(&text).unwrap(), record);
        assert_eq!(record.owner("gioi-thieu/"), Some("gioi-thieu.md"));
    }

    #[test]
    fn a_later_source_takes_a_path_over() {
        let record = PublishedUrls::default().with([("a/".to_string(), "x.md".to_string())]);
        let again = record.with([("a/".to_string(), "y.md".to_string())]);
        assert_eq!(again.owner("a/"), Some("y.md"));
    }

    #[test]
    fn a_damaged_line_names_the_file_and_line() {
        let problem = PublishedUrls::parse("# x\nchung/a/ 2024/a.md\n").unwrap_err();
        assert!(problem
            .to_string()
            .starts_with("published-urls.tsv:2: expected a URL path, a tab"));
    }

    #[test]
    fn saves_only_when_something_changed() {
        let dir = tempfile::tempdir().unwrap();
        let record = PublishedUrls::default().with([("a/".to_string(), "x.md".to_string())]);
        record.save(dir.path()).unwrap();
        let path = dir.path().join(FILE);
        let first = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        record.save(dir.path()).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), first);
        assert_eq!(PublishedUrls::load(dir.path()).unwrap(), record);
        assert!(PublishedUrls::load(&dir.path().join("none"))
            .unwrap()
            .is_empty());
    }
}
