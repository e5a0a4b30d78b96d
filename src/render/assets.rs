//! Cache busting for the theme's files: the `asset_url` filter links a static file of the
//! theme with a hash of its content (`{{ "css/style.css" | asset_url }}` →
//! `/tin-tuc/css/style.css?v=3f9a0c1b2d`).
//!
//! Servers cache styles and scripts for a week; a changed file gets a new address, so no
//! browser or proxy keeps the old theme. The hash goes into the query string rather than
//! the file name: files keep their names (a theme's own relative references, `serve` and
//! the output's list of files are unchanged, and no stale hashed copies pile up), and every
//! static server ignores the query string when it serves a file, while caches key on it.

use super::templates::StaticSource;
use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tera::{Kwargs, State, Tera};

/// Hex digits of the content hash in the address (40 bits: a changed file gets a new one).
const HASH_DIGITS: usize = 10;

/// Each static file's version: output path (`css/style.css`) → hex digits of the hash of
/// its content. Reads the theme's files on disk.
pub fn versions(static_files: &BTreeMap<String, StaticSource>) -> Result<HashMap<String, String>> {
    static_files
        .iter()
        .map(|(path, source)| {
            let hash = match source {
                StaticSource::Embedded(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
                StaticSource::Disk(from) => {
                    let bytes = std::fs::read(from).map_err(|e| Error::io(from, e))?;
                    xxhash_rust::xxh3::xxh3_64(&bytes)
                }
            };
            let hex = format!("{hash:016x}");
            Ok((path.clone(), hex[..HASH_DIGITS].to_string()))
        })
        .collect()
}

/// Registers `asset_url`: a static file's path in the theme (`css/style.css`) → its URL
/// under `base_path` with `?v=` and its version. A path the theme has no file at is a
/// template error, so a typo does not go unnoticed.
pub fn register(tera: &mut Tera, base_path: &str, versions: HashMap<String, String>) {
    let versions = Arc::new(versions);
    let base_path = base_path.to_string();
    tera.register_filter("asset_url", move |path: &str, _: Kwargs, _: &State| {
        let path = path.trim_start_matches('/');
        match versions.get(path) {
            Some(version) => Ok(format!("{base_path}{path}?v={version}")),
            None => Err(tera::Error::message(format!(
                "asset_url: the theme has no static file `{path}` (a path under static/, such as css/style.css)"
            ))),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(
        template: &str,
        static_files: &BTreeMap<String, StaticSource>,
    ) -> tera::TeraResult<String> {
        let mut tera = Tera::default();
        register(&mut tera, "/tin-tuc/", versions(static_files).unwrap());
        tera.add_raw_template("t", template).unwrap();
        tera.render("t", &tera::Context::new())
    }

    fn files(css: &'static [u8]) -> BTreeMap<String, StaticSource> {
        BTreeMap::from([("css/style.css".to_string(), StaticSource::Embedded(css))])
    }

    #[test]
    fn a_static_file_is_linked_under_the_base_path_with_its_content_hash() {
        let url = render("{{ 'css/style.css' | asset_url }}", &files(b"a{}")).unwrap();
        let (path, version) = url.split_once("?v=").unwrap();
        assert_eq!(path, "/tin-tuc/css/style.css");
        assert_eq!(version.len(), HASH_DIGITS);
        let same = render("{{ '/css/style.css' | asset_url }}", &files(b"a{}")).unwrap();
        assert_eq!(same, url);
        let changed = render("{{ 'css/style.css' | asset_url }}", &files(b"b{}")).unwrap();
        assert_ne!(changed, url, "a changed file gets a new address");
    }

    #[test]
    fn a_file_the_theme_lacks_is_a_template_error() {
        let err = render("{{ 'css/stlye.css' | asset_url }}", &files(b"")).unwrap_err();
        let text = format!("{err} {:?}", std::error::Error::source(&err));
        assert!(text.contains("css/stlye.css"), "{text}");
    }

    #[test]
    fn a_file_on_disk_is_hashed_from_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.js");
        std::fs::write(&path, "x").unwrap();
        let disk = BTreeMap::from([("js/site.js".to_string(), StaticSource::Disk(path.clone()))]);
        let embedded = BTreeMap::from([("js/site.js".to_string(), StaticSource::Embedded(b"x"))]);
        assert_eq!(versions(&disk).unwrap(), versions(&embedded).unwrap());
        std::fs::remove_file(&path).unwrap();
        assert!(versions(&disk).is_err());
    }
}
