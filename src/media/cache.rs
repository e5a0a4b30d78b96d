//! The cache of processed images beside the site (`SITE/.trangtin-cache/images/`): one
//! folder per source content hash and output options, written whole into a temporary folder
//! and renamed into place, so a crash never leaves half an entry. A small file per source
//! path, size and modification time points to its entry, so a rebuild with no new photos
//! neither reads nor hashes the originals.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use super::{
    process, size_warnings, Encoded, Fallback, ImageOptions, MediaError, Processed, Variant,
};

/// The cache folder, relative to the site root (git-ignorable; safe to delete).
pub const CACHE_DIR: &str = ".trangtin-cache/images";

/// Bump when the output for the same source and options changes (encoder settings, ...).
const FORMAT_VERSION: u32 = 3;

/// Processed images kept on disk between builds.
#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

/// What an entry's `meta.json` records.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Meta {
    width: u32,
    height: u32,
    source_bytes: u64,
    fallback: Fallback,
    variants: Vec<MetaVariant>,
}

/// One width in `meta.json`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct MetaVariant {
    width: u32,
    height: u32,
    webp_bytes: u64,
    fallback_bytes: u64,
}

impl Cache {
    /// The cache of the site at `site_root` (`site_root/.trangtin-cache/images`).
    pub fn for_site(site_root: &Path) -> Cache {
        Cache::at(site_root.join(CACHE_DIR))
    }

    /// A cache in the folder `root`.
    pub fn at(root: impl Into<PathBuf>) -> Cache {
        Cache { root: root.into() }
    }

    /// The cache's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Processes `bytes` (the file `source`, named in errors and warnings) unless an entry
    /// for the same content and options exists, and returns the cached files.
    pub fn process(
        &self,
        source: &Path,
        bytes: &[u8],
        options: &ImageOptions,
    ) -> Result<Processed, MediaError> {
        self.process_in(&self.entry_dir(bytes, options), source, bytes, options)
    }

    /// [`Cache::process`] with the entry folder already known.
    fn process_in(
        &self,
        entry: &Path,
        source: &Path,
        bytes: &[u8],
        options: &ImageOptions,
    ) -> Result<Processed, MediaError> {
        if let Some(found) = self.load(entry, source, options) {
            return Ok(found);
        }
        let encoded = process(source, bytes, options)?;
        self.store(entry, &encoded, bytes.len() as u64)?;
        self.load(entry, source, options)
            .map(|p| Processed { cached: false, ..p })
            .ok_or_else(|| MediaError::Io {
                path: entry.join("meta.json"),
                source: std::io::Error::other("the entry just written cannot be read"),
            })
    }

    /// Like [`Cache::process`] for the file `site_root/source`, but when the file's size and
    /// modification time match an earlier run, its entry is used without reading the file.
    pub fn process_file(
        &self,
        site_root: &Path,
        source: &Path,
        options: &ImageOptions,
    ) -> Result<Processed, MediaError> {
        let path = site_root.join(source);
        let io = |e| MediaError::Io {
            path: path.clone(),
            source: e,
        };
        let stat = fs::metadata(&path).map_err(io)?;
        let pointer = self.pointer_file(&path, &stat, options);
        if let Some(found) = fs::read_to_string(&pointer)
            .ok()
            .and_then(|name| self.load(&self.root.join(name.trim()), source, options))
        {
            return Ok(found);
        }
        let bytes = fs::read(&path).map_err(io)?;
        let entry = self.entry_dir(&bytes, options);
        let processed = self.process_in(&entry, source, &bytes, options)?;
        self.write_pointer(&pointer, &entry)?;
        Ok(processed)
    }

    /// The entry folder for `bytes` under `options`.
    fn entry_dir(&self, bytes: &[u8], options: &ImageOptions) -> PathBuf {
        let name = format!("{:032x}-{:016x}", xxh3_128(bytes), options_key(options));
        self.root.join(name)
    }

    /// The file pointing from a source's path, size and time to its entry.
    fn pointer_file(&self, path: &Path, stat: &fs::Metadata, options: &ImageOptions) -> PathBuf {
        let mtime = stat
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let key = format!(
            "{}\0{}\0{mtime}\0{}",
            path.display(),
            stat.len(),
            options_key(options)
        );
        self.root
            .join("sources")
            .join(format!("{:016x}", xxh3_64(key.as_bytes())))
    }

    /// Records that `pointer`'s source is in `entry`.
    fn write_pointer(&self, pointer: &Path, entry: &Path) -> Result<(), MediaError> {
        let name = entry.file_name().unwrap_or_default().to_string_lossy();
        let dir = pointer.parent().unwrap_or(&self.root);
        write_atomically(dir, pointer, name.as_bytes())
    }

    /// The entry in `dir`, if it is complete.
    fn load(&self, dir: &Path, source: &Path, options: &ImageOptions) -> Option<Processed> {
        let text = fs::read(dir.join("meta.json")).ok()?;
        let meta: Meta = serde_json::from_slice(&text).ok()?;
        let ext = meta.fallback.extension();
        let variants = meta
            .variants
            .iter()
            .map(|v| Variant {
                width: v.width,
                height: v.height,
                webp_path: dir.join(format!("{}.webp", v.width)),
                fallback_path: dir.join(format!("{}.{ext}", v.width)),
                webp_bytes: v.webp_bytes,
                fallback_bytes: v.fallback_bytes,
            })
            .collect();
        let warnings = size_warnings(source, meta.source_bytes, meta.width, meta.height, options);
        Some(Processed {
            width: meta.width,
            height: meta.height,
            fallback: meta.fallback,
            variants,
            warnings,
            cached: true,
        })
    }

    /// Writes `encoded` as the entry `dir`: into a temporary folder, renamed into place.
    fn store(&self, dir: &Path, encoded: &Encoded, source_bytes: u64) -> Result<(), MediaError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| MediaError::Io { path, source }
        };
        fs::create_dir_all(&self.root).map_err(io(&self.root))?;
        let tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempdir_in(&self.root)
            .map_err(io(&self.root))?;
        let ext = encoded.fallback.extension();
        for v in &encoded.variants {
            let webp = tmp.path().join(format!("{}.webp", v.width));
            fs::write(&webp, &v.webp).map_err(io(&webp))?;
            let fallback = tmp.path().join(format!("{}.{ext}", v.width));
            fs::write(&fallback, &v.fallback).map_err(io(&fallback))?;
        }
        let meta = serde_json::to_vec(&meta_of(encoded, source_bytes)).expect("meta serializes");
        let meta_path = tmp.path().join("meta.json");
        fs::write(&meta_path, meta).map_err(io(&meta_path))?;
        let tmp = tmp.keep();
        if let Err(e) = fs::rename(&tmp, dir) {
            // Another process may have stored the same entry meanwhile: that one is as good.
            let _ = fs::remove_dir_all(&tmp);
            if !dir.join("meta.json").exists() {
                return Err(io(dir)(e));
            }
        }
        Ok(())
    }
}

/// What `meta.json` records of `encoded`.
fn meta_of(encoded: &Encoded, source_bytes: u64) -> Meta {
    Meta {
        width: encoded.width,
        height: encoded.height,
        source_bytes,
        fallback: encoded.fallback,
        variants: encoded
            .variants
            .iter()
            .map(|v| MetaVariant {
                width: v.width,
                height: v.height,
                webp_bytes: v.webp.len() as u64,
                fallback_bytes: v.fallback.len() as u64,
            })
            .collect(),
    }
}

/// A hash of the options that change the output files (not the warning thresholds).
fn options_key(options: &ImageOptions) -> u64 {
    let key = format!(
        "{FORMAT_VERSION}|{:?}|{}|{}|{}|{}",
        options.widths,
        options.webp_quality,
        options.webp_method,
        options.jpeg_quality,
        options.scaled_decode
    );
    xxh3_64(key.as_bytes())
}

/// Writes `path` through a temporary file in `dir`, so readers never see half of it.
fn write_atomically(dir: &Path, path: &Path, contents: &[u8]) -> Result<(), MediaError> {
    let io = |source| MediaError::Io {
        path: path.to_path_buf(),
        source,
    };
    fs::create_dir_all(dir).map_err(io)?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    file.write_all(contents).map_err(io)?;
    file.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testdata;
    use super::*;
    use std::time::SystemTime;

    fn options() -> ImageOptions {
        ImageOptions {
            widths: vec![100, 200],
            ..ImageOptions::default()
        }
    }

    fn mtimes(processed: &Processed) -> Vec<SystemTime> {
        processed
            .variants
            .iter()
            .flat_map(|v| [&v.webp_path, &v.fallback_path])
            .map(|p| fs::metadata(p).unwrap().modified().unwrap())
            .collect()
    }

    #[test]
    fn a_second_run_with_the_same_photos_decodes_nothing() {
        let site = tempfile::tempdir().unwrap();
        let source = Path::new("content/anh 01.jpg");
        fs::create_dir_all(site.path().join("content")).unwrap();
        fs::write(
            site.path().join(source),
            testdata::jpeg_with_exif(400, 300, false, 1),
        )
        .unwrap();
        let cache = Cache::for_site(site.path());

        let first = cache.process_file(site.path(), source, &options()).unwrap();
        assert!(!first.cached);
        assert_eq!(first.variants.len(), 2);
        assert!(first.variants[0]
            .webp_path
            .starts_with(site.path().join(CACHE_DIR)));
        let before = mtimes(&first);

        let second = cache.process_file(site.path(), source, &options()).unwrap();
        assert!(second.cached);
        assert_eq!(
            Processed {
                cached: false,
                ..second.clone()
            },
            first
        );
        assert_eq!(mtimes(&second), before, "no file was written again");
    }

    #[test]
    fn the_same_content_under_another_name_is_found_by_its_hash() {
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(cache_dir.path());
        let bytes = testdata::jpeg_with_exif(400, 300, false, 1);
        let first = cache
            .process(Path::new("a.jpg"), &bytes, &options())
            .unwrap();
        let again = cache
            .process(Path::new("b.jpg"), &bytes, &options())
            .unwrap();
        assert!(!first.cached && again.cached);
        let other = ImageOptions {
            webp_quality: 50.0,
            ..options()
        };
        assert!(
            !cache
                .process(Path::new("a.jpg"), &bytes, &other)
                .unwrap()
                .cached
        );
    }

    #[test]
    fn an_edited_photo_is_processed_again() {
        let site = tempfile::tempdir().unwrap();
        let source = Path::new("a.jpg");
        let cache = Cache::for_site(site.path());
        fs::write(
            site.path().join(source),
            testdata::jpeg_with_exif(400, 300, false, 1),
        )
        .unwrap();
        cache.process_file(site.path(), source, &options()).unwrap();
        fs::write(
            site.path().join(source),
            testdata::jpeg_with_exif(300, 300, false, 1),
        )
        .unwrap();
        let edited = cache.process_file(site.path(), source, &options()).unwrap();
        assert!(!edited.cached);
        assert_eq!((edited.width, edited.height), (300, 300));
    }

    #[test]
    fn errors_leave_no_entry_behind() {
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(cache_dir.path().join("images"));
        let err = cache
            .process(Path::new("x.heic"), &testdata::heic_header(), &options())
            .unwrap_err();
        assert!(matches!(err, MediaError::Unsupported { .. }));
        assert!(!cache.root().exists());
    }
}
