//! The build cache: what `build` keeps between builds in `SITE/.trangtin-cache/build/`, so that
//! a rebuild after a small change does not parse and render the whole site again. For each
//! article it keeps:
//!
//! - the parsed front matter ([`Article`] without its body), under the hash of the file's
//!   bytes ([`Article::file_hash`]): a file with the same bytes is not parsed again;
//! - the rendered body ([`CachedBody`]), under the hash of its Markdown and the targets its
//!   links resolved to: [`Site::assemble_cached`] renders it again when either changed;
//! - the terms related articles are found by ([`Terms`]), under the hash of the texts they
//!   were counted from: [`crate::related`] counts them again when those changed. The records
//!   of a file share one syllable table, which holds the syllables they use.
//!
//! The records are kept in [`SHARDS`] files by source path, each written whole (to a
//! temporary file, then renamed over the old one), so that publishing one article rewrites one
//! file of a few megabytes, not the whole cache. Every file starts with a checksum of what
//! follows, the program's identity and a hash of `config.yaml`: a damaged file, one written by
//! another build of trangtin or under another configuration is not used (and is replaced).
//! The cache only saves work: whatever it holds, a build writes the same site as a build
//! without it (`tests/build_cache.rs` holds it to that).
//!
//! Articles with warnings (kept only in the parse that found them) or with the site's own
//! fields (`extra_fields`) are parsed every time.

use crate::content::{Article, KnownArticle, Lookup};
use crate::error::Problem;
use crate::related::{SyllableTable, TableBuilder, Terms};
use crate::site::{ArticleId, BodyCache, CachedBody, Site};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// The cache's folder under the site folder.
pub const CACHE_DIR: &str = ".trangtin-cache/build";

/// Files the records are spread over, by a hash of their source path.
pub const SHARDS: usize = 64;

/// The first bytes of every cache file; the last digit is the format's version.
const MAGIC: &[u8; 8] = b"TTCACHE2";

/// What the records of a file were made by: a record is only right for the same program
/// and the same `config.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Stamp {
    program: u128,
    config: u128,
}

/// One article's record.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Record {
    /// The article as parsed, without its body.
    article: Article,
    /// Its rendered body, when the build that wrote the record published it.
    body: Option<CachedBody>,
    /// Its terms, when that build found related articles.
    terms: Option<StoredTerms>,
}

/// An article's [`Terms`] as a file keeps them: their keys refer to the file's syllables.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct StoredTerms {
    input: u64,
    #[serde(with = "words")]
    counts: Vec<u64>,
}

/// What one cache file holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct ShardFile {
    stamp: Stamp,
    /// The syllables the terms of its records refer to, one a line (a syllable is letters
    /// and digits).
    #[serde(with = "crate::markdown::stored")]
    syllables: String,
    records: Vec<Record>,
}

/// What a file is to hold for one article of a site, by reference: the article as parsed,
/// and its id in the site (for its rendered body and its terms).
type Held<'a> = (&'a Article, ArticleId);

/// A record to write: its terms as the build has them, moved onto the file's syllable
/// table when written.
struct NewRecord {
    article: Article,
    body: Option<CachedBody>,
    terms: Option<Terms>,
}

/// The build cache as read at the start of a build.
pub struct BuildCache {
    dir: PathBuf,
    stamp: Stamp,
    /// Source path → its record (without its terms), from every file that could be used.
    records: HashMap<String, Record>,
    /// Source path → the terms of its record.
    terms: HashMap<String, Terms>,
    /// The source paths each file held, in order (`None`: missing, damaged or stale).
    shards: Vec<Option<Vec<String>>>,
}

impl BuildCache {
    /// Reads the cache of the site at `root` (an empty one when there is none, or none this
    /// program can use).
    pub fn open(root: &Path) -> BuildCache {
        let config = std::fs::read(root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
        let stamp = Stamp {
            program: crate::render::inputs::program(),
            config: xxh3_128(&config),
        };
        let dir = root.join(CACHE_DIR);
        // A pool of its own: `Opening` reads the cache while the site's files are parsed on
        // the global pool, whose threads may wait for it (sharing the pool could deadlock).
        let read_all = || -> Vec<Option<ShardFile>> {
            (0..SHARDS)
                .into_par_iter()
                .map(|shard| read_shard(&shard_path(&dir, shard), stamp))
                .collect()
        };
        let read = match rayon::ThreadPoolBuilder::new()
            .num_threads(std::thread::available_parallelism().map_or(2, usize::from))
            .thread_name(|i| format!("cache-{i}"))
            .build()
        {
            Ok(pool) => pool.install(read_all),
            Err(_) => (0..SHARDS)
                .map(|shard| read_shard(&shard_path(&dir, shard), stamp))
                .collect(),
        };
        let mut records = HashMap::new();
        let mut terms = HashMap::new();
        let mut shards = Vec::with_capacity(SHARDS);
        for (shard, file) in read.into_iter().enumerate() {
            shards.push(file.map(|file| {
                let table: SyllableTable = file.syllables.lines().map(Box::from).collect();
                let mut sources = Vec::with_capacity(file.records.len());
                for mut record in file.records {
                    // A record in the wrong file is left out (and dropped at the next save).
                    if shard_of(&record.article.source) != shard {
                        continue;
                    }
                    let source = record.article.source.clone();
                    if let Some(stored) = record.terms.take() {
                        let kept = Terms {
                            input: stored.input,
                            syllables: table.clone(),
                            counts: stored.counts.into(),
                        };
                        terms.insert(source.clone(), kept);
                    }
                    sources.push(source.clone());
                    records.insert(source, record);
                }
                sources
            }));
        }
        BuildCache {
            dir,
            stamp,
            records,
            terms,
            shards,
        }
    }

    /// The article parsed from the file at `source` (found by the hash of its bytes, or by
    /// its stamp when the body's rendering is kept too), without its body, and whether the
    /// cache has the body's rendering.
    pub fn article(&self, source: &str, lookup: Lookup<'_>) -> Option<KnownArticle> {
        let record = self.records.get(source)?;
        let found = match lookup {
            Lookup::Hash(hash) => record.article.file_hash == hash,
            Lookup::Stamp(stamp) => {
                record.article.file_stamp.as_ref() == Some(stamp) && record.body.is_some()
            }
        };
        found.then(|| KnownArticle {
            article: record.article.clone(),
            body_rendered: record.body.is_some(),
        })
    }

    /// Whether it holds `a` as loaded: the article of the same bytes, with the same stamp.
    fn holds_article(&self, a: &Article) -> bool {
        self.records.get(&a.source).is_some_and(|r| {
            r.article.file_hash == a.file_hash && r.article.file_stamp == a.file_stamp
        })
    }

    /// The rendered bodies and terms it holds, for [`crate::pipeline::assemble`].
    pub fn bodies(&self) -> BodyCache {
        let entries = self
            .records
            .iter()
            .filter_map(|(source, record)| Some((source.clone(), record.body.clone()?)))
            .collect();
        BodyCache::from_entries(entries).with_terms(self.terms.clone())
    }

    /// The articles of `articles` (as loaded, before the site is assembled) that the cache
    /// does not hold and can keep, without their bodies: what [`BuildCache::changes`] adds.
    pub fn new_articles(&self, articles: &mut [Article]) -> HashMap<String, Article> {
        articles
            .iter_mut()
            .filter(|a| keepable(a) && !self.holds_article(a))
            .map(|a| (a.source.clone(), without_body(a)))
            .collect()
    }

    /// The files whose records change: one record for each article of `site` that the cache
    /// held or `new` has (the bodies come from `site`). Made before the site is rendered, and
    /// written ([`Changes::write`]) while it is.
    pub fn changes(&self, new: &HashMap<String, Article>, site: &Site) -> Changes {
        // First what each file is to hold, by reference; articles, bodies and terms are
        // copied only for the files that change.
        let mut shards: Vec<Vec<Held>> = vec![Vec::new(); SHARDS];
        for (id, a) in site.articles.iter().enumerate() {
            let parsed = match new.get(&a.source) {
                Some(article) if article.file_hash == a.file_hash => article,
                _ => match self.records.get(&a.source) {
                    Some(record) if record.article.file_hash == a.file_hash => &record.article,
                    _ => continue,
                },
            };
            shards[shard_of(&a.source)].push((parsed, ArticleId::new(id)));
        }
        let changed = shards
            .into_iter()
            .enumerate()
            .filter(|(shard, records)| !self.holds(*shard, records, site))
            .map(|(shard, records)| {
                let records = records
                    .into_iter()
                    .map(|(article, id)| NewRecord {
                        article: article.clone(),
                        body: site.cached_body(id),
                        terms: terms_of(site, id).cloned(),
                    })
                    .collect();
                (shard, records)
            })
            .collect();
        Changes {
            dir: self.dir.clone(),
            stamp: self.stamp,
            shards: changed,
        }
    }

    /// Whether file `shard` holds exactly `records` (of `site`) already.
    fn holds(&self, shard: usize, records: &[Held], site: &Site) -> bool {
        let Some(sources) = &self.shards[shard] else {
            return records.is_empty() && !shard_path(&self.dir, shard).exists();
        };
        sources.len() == records.len()
            && records.iter().zip(sources).all(|(&(article, id), source)| {
                let Some(old) = self.records.get(source) else {
                    return false;
                };
                let old_terms = self.terms.get(source).map(|t| t.input);
                article.source == *source
                    && article.file_hash == old.article.file_hash
                    && article.file_stamp == old.article.file_stamp
                    && terms_of(site, id).map(|t| t.input) == old_terms
                    && site.has_cached_body(id, old.body.as_ref())
            })
    }
}

/// The terms of article `id` of `site`, if it has some.
fn terms_of(site: &Site, id: ArticleId) -> Option<&Terms> {
    site.terms.get(id.index()).and_then(Option::as_ref)
}

/// The build cache being read on a thread of its own, so that reading it overlaps with
/// finding and reading the content's files.
pub struct Opening {
    reading: std::sync::Mutex<Option<std::thread::JoinHandle<BuildCache>>>,
    cache: std::sync::OnceLock<BuildCache>,
}

impl Opening {
    /// Starts reading the cache of the site at `root`.
    pub fn start(root: &Path) -> Opening {
        let root = root.to_path_buf();
        Opening {
            reading: std::sync::Mutex::new(Some(std::thread::spawn(move || {
                BuildCache::open(&root)
            }))),
            cache: std::sync::OnceLock::new(),
        }
    }

    /// The cache, once read (waits for it the first time).
    pub fn get(&self) -> &BuildCache {
        self.cache.get_or_init(|| {
            let reading = self.reading.lock().expect("the cache's reader").take();
            match reading.map(std::thread::JoinHandle::join) {
                Some(Ok(cache)) => cache,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => unreachable!("the reader is taken once, inside get_or_init"),
            }
        })
    }
}

/// The cache files to write after a build.
pub struct Changes {
    dir: PathBuf,
    stamp: Stamp,
    shards: Vec<(usize, Vec<NewRecord>)>,
}

impl Changes {
    /// Writes the files. Returns a warning when one cannot be written: a build does not need
    /// the cache, the next one only takes longer.
    pub fn write(self) -> Option<Problem> {
        if self.shards.is_empty() {
            return None;
        }
        if let Err(e) = std::fs::create_dir_all(&self.dir) {
            return Some(not_saved(&self.dir, &e));
        }
        remove_stale_temporary_files(&self.dir);
        let (dir, stamp) = (&self.dir, self.stamp);
        self.shards
            .into_par_iter()
            .find_map_any(|(shard, records)| {
                let path = shard_path(dir, shard);
                write_shard(&path, &shard_file(stamp, records))
                    .err()
                    .map(|e| not_saved(&path, &e))
            })
    }
}

/// The file that holds `records`: their terms moved onto one syllable table.
fn shard_file(stamp: Stamp, records: Vec<NewRecord>) -> ShardFile {
    let mut table = TableBuilder::new();
    let records = records
        .into_iter()
        .map(|r| Record {
            terms: r.terms.map(|t| StoredTerms {
                input: t.input,
                counts: table.rebase(&t),
            }),
            article: r.article,
            body: r.body,
        })
        .collect();
    ShardFile {
        stamp,
        syllables: table.into_table().join("\n"),
        records,
    }
}

/// How a file keeps a list of words: as their little-endian bytes, read back in one pass.
mod words {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `words` as bytes.
    pub(super) fn serialize<S: Serializer>(
        words: &[u64],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        serializer.serialize_bytes(&bytes)
    }

    /// Reads the words back, failing on a length that is not a whole number of words.
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u64>, D::Error> {
        let bytes: &[u8] = Deserialize::deserialize(deserializer)?;
        if !bytes.len().is_multiple_of(8) {
            return Err(serde::de::Error::custom("stored words are not whole"));
        }
        Ok(bytes
            .chunks_exact(8)
            .map(|w| u64::from_le_bytes(w.try_into().expect("eight bytes")))
            .collect())
    }
}

/// Whether the cache can keep `a`: its warnings and the site's own fields are not kept.
fn keepable(a: &Article) -> bool {
    a.warnings.is_empty() && a.extra.is_empty() && a.file_hash != 0
}

/// A copy of `a` without its body (the cache never keeps Markdown), made without copying
/// the body.
fn without_body(a: &mut Article) -> Article {
    let body = std::mem::take(&mut a.body);
    let copy = a.clone();
    a.body = body;
    copy
}

/// The file that keeps the record of `source`.
fn shard_of(source: &str) -> usize {
    (xxh3_64(source.as_bytes()) % SHARDS as u64) as usize
}

fn shard_path(dir: &Path, shard: usize) -> PathBuf {
    dir.join(format!("{shard:02}.bin"))
}

/// A cache file, or `None` when it is missing, damaged, or made by another program or
/// configuration.
fn read_shard(path: &Path, stamp: Stamp) -> Option<ShardFile> {
    let bytes = std::fs::read(path).ok()?;
    let payload = bytes.strip_prefix(MAGIC.as_slice())?;
    let (checksum, payload) = payload.split_at_checked(8)?;
    if xxh3_64(payload).to_le_bytes() != checksum {
        return None;
    }
    let file: ShardFile = postcard::from_bytes(payload).ok()?;
    (file.stamp == stamp).then_some(file)
}

/// Writes a cache file whole: a temporary file beside it, renamed over it.
fn write_shard(path: &Path, file: &ShardFile) -> std::io::Result<()> {
    use std::io::Write;
    let payload = postcard::to_stdvec(file).map_err(std::io::Error::other)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(MAGIC)?;
    temp.write_all(&xxh3_64(&payload).to_le_bytes())?;
    temp.write_all(&payload)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the temporary files a killed build left in `dir` (an hour old or more, so that a
/// build writing beside this one keeps its own).
fn remove_stale_temporary_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|time| time < hour_ago);
        if entry.file_name().to_string_lossy().starts_with(".tmp") && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn not_saved(path: &Path, e: &std::io::Error) -> Problem {
    Problem::warning(
        path,
        format!("the build cache could not be saved ({e}); the next build only takes longer"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(config: u128) -> Stamp {
        Stamp { program: 7, config }
    }

    fn record(source: &str) -> Record {
        let text = "---\ntitle: Tin\ndate: 2026-01-02\ncategory: Chung\n---\nThân bài.\n";
        let mut article =
            crate::content::parse_article(source, text, &crate::config::Config::default()).unwrap();
        article.file_hash = 42;
        article.body = String::new();
        Record {
            article,
            body: None,
            terms: None,
        }
    }

    #[test]
    fn a_file_is_read_back_only_by_the_same_program_and_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("00.bin");
        let file = ShardFile {
            stamp: stamp(1),
            syllables: String::new(),
            records: vec![record("2026/01/tin.md")],
        };
        write_shard(&path, &file).unwrap();
        let read = read_shard(&path, stamp(1)).unwrap().records;
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].article.title, "Tin");
        assert_eq!(read[0].article.file_hash, 42);
        assert!(read_shard(&path, stamp(2)).is_none());
        assert!(read_shard(&dir.path().join("01.bin"), stamp(1)).is_none());
    }

    #[test]
    fn terms_from_several_tables_come_back_on_the_file_s_one_table() {
        // Two articles counted in different chunks, with their own syllable tables.
        let terms = |input: u64, syllables: &[&str], counts: &[u64]| Terms {
            input,
            syllables: syllables.iter().map(|s| Box::from(*s)).collect(),
            counts: counts.into(),
        };
        // A count is (key << 16 | tf), a bigram key ((a + 1) << 24 | b).
        let bigram = |a: u64, b: u64| ((((a + 1) << 24) | b) << 16) | 256;
        let first = terms(1, &["khoa", "học"], &[256, bigram(0, 1)]);
        let second = terms(
            2,
            &["công", "nghệ", "khoa"],
            &[(2 << 16) | 512, bigram(0, 1)],
        );
        let records = [("2026/01/a.md", first), ("2026/01/b.md", second)]
            .into_iter()
            .map(|(source, terms)| NewRecord {
                article: record(source).article,
                body: None,
                terms: Some(terms),
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("00.bin");
        write_shard(&path, &shard_file(stamp(1), records)).unwrap();
        let file = read_shard(&path, stamp(1)).unwrap();
        // One table, each syllable once, and each count's key spelled as before.
        let table: Vec<&str> = file.syllables.lines().collect();
        let mut sorted = table.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ["công", "học", "khoa", "nghệ"]);
        let spelled: Vec<Vec<(String, u64)>> = file
            .records
            .iter()
            .map(|r| {
                let counts = &r.terms.as_ref().unwrap().counts;
                let spell = |key: u64| match (key >> 24).checked_sub(1) {
                    Some(a) => format!(
                        "{} {}",
                        table[a as usize],
                        table[(key & 0xff_ffff) as usize]
                    ),
                    None => table[key as usize].to_string(),
                };
                counts
                    .iter()
                    .map(|&c| (spell(c >> 16), c & 0xffff))
                    .collect()
            })
            .collect();
        let expected = |terms: &[(&str, u64)]| -> Vec<(String, u64)> {
            terms.iter().map(|&(t, tf)| (t.to_string(), tf)).collect()
        };
        assert_eq!(
            spelled,
            [
                expected(&[("khoa", 256), ("khoa học", 256)]),
                expected(&[("khoa", 512), ("công nghệ", 256)])
            ]
        );
        let inputs: Vec<u64> = file
            .records
            .iter()
            .map(|r| r.terms.as_ref().unwrap().input)
            .collect();
        assert_eq!(inputs, [1, 2]);
    }

    #[test]
    fn a_stale_temporary_file_is_removed_and_a_fresh_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (stale, fresh) = (dir.path().join(".tmpA"), dir.path().join(".tmpB"));
        for path in [&stale, &fresh] {
            std::fs::write(path, b"x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        remove_stale_temporary_files(dir.path());
        assert!(!stale.exists());
        assert!(fresh.exists());
    }
}
