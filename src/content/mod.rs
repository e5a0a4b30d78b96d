//! Reading `content/`: every Markdown file becomes an [`Article`]; other files are assets.

pub mod article;
pub mod document;
pub mod fences;
pub mod fields;
pub mod front_matter;
pub mod mistakes;
pub mod stamp;

pub use article::{parse_article, Article, Layout};
pub use document::{Document, DocumentFile};

use crate::config::Config;
use crate::error::{Error, Problem, Result};
use rayon::prelude::*;
use stamp::FileStamp;
use std::path::{Path, PathBuf};

/// The content folder's name under the site root.
pub const CONTENT_DIR: &str = "content";

/// Whether a file (or link target) is a Markdown article: its name ends in `.md`, in any
/// case (`bai-viet.MD` from Windows is an article too, never an asset to copy).
pub fn is_markdown(path: &str) -> bool {
    markdown_stem(path).is_some()
}

/// Endings of the files listed under "Tệp đính kèm" when an article links to them.
const DOCUMENTS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "zip", "rar",
    "7z",
];

/// Whether a path (or a link's address, before `?` or `#`) names a document: a file that an
/// article links to as an attachment.
pub fn is_document(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .is_some_and(|(_, ext)| DOCUMENTS.iter().any(|d| ext.eq_ignore_ascii_case(d)))
}

/// `path` without its `.md` ending (any case), when it has one.
pub fn markdown_stem(path: &str) -> Option<&str> {
    let cut = path.len().checked_sub(3)?;
    (path.is_char_boundary(cut) && path[cut..].eq_ignore_ascii_case(".md")).then(|| &path[..cut])
}

/// A non-Markdown file under `content/`, copied to the same relative path in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path under `content/` with `/` separators, in NFC.
    pub source: String,
    /// Where the file is on disk.
    pub path: PathBuf,
    /// Its size in bytes (shown beside attachments).
    pub size: u64,
}

/// Everything read from `content/`.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    /// Articles and pages that parsed, sorted by source path.
    pub articles: Vec<Article>,
    /// Official documents (Markdown under `content/van-ban/`), sorted by source path.
    pub documents: Vec<Document>,
    /// Files to copy.
    pub assets: Vec<Asset>,
    /// Problems found in files that did not parse.
    pub problems: Vec<Problem>,
    /// The URLs earlier builds published (`published-urls.tsv` beside `config.yaml`).
    pub published: crate::published::PublishedUrls,
}

/// Reads every file under `root/content`. A missing `content/` folder is an error, not an
/// empty site: a mistyped `--root` must not build a site with no pages (and delete the
/// published ones). An empty site has an empty `content/` folder.
pub fn load(root: &Path, config: &Config) -> Result<Loaded> {
    load_reusing(root, config, &|_, _| None)
}

/// An article an earlier build parsed from a file with the same bytes (see [`load_reusing`]).
pub struct KnownArticle {
    /// The article, without its body.
    pub article: Article,
    /// Whether the earlier build's rendering of its body is at hand: then the body is not
    /// read unless it must be rendered after all ([`read_body`]).
    pub body_rendered: bool,
}

/// How a file is looked up in what earlier builds read.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    /// By the hash of its bytes ([`Article::file_hash`]), once read.
    Hash(u64),
    /// Before it is read, by its stamp ([`Article::file_stamp`]): found only when the
    /// rendering of its body is at hand too, so that the file need not be read at all.
    Stamp(&'a FileStamp),
}

/// The [`KnownArticle`] of a file, by its source path and its [`Lookup`].
pub type Known<'a> = dyn Fn(&str, Lookup<'_>) -> Option<KnownArticle> + Sync + 'a;

/// Like [`load`], taking from `known` the articles of files parsed before (the build cache,
/// `crate::cache`): their front matter is not parsed again, and their body is cut from the
/// file only when its rendering is not at hand.
pub fn load_reusing(root: &Path, config: &Config, known: &Known) -> Result<Loaded> {
    let dir = root.join(CONTENT_DIR);
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let mut links = Vec::new();
    if !dir.is_dir() {
        return Err(no_content_folder(root, &dir));
    }
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden_or_temporary(e.file_name()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&dir).to_path_buf();
            Error::io(path, e.into())
        })?;
        let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let source = source_name(relative);
        if entry.path_is_symlink() {
            // Followed, a link could copy files from anywhere on the machine into the
            // published site (or loop); say so instead of skipping it silently.
            links.push(Problem::warning(
                article::display_path(&source),
                "is a symbolic link, which trangtin does not follow: it is left out of \
                 the site (copy the file or folder into content/ instead)",
            ));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if is_markdown(&source) {
            markdown.push((source, entry.into_path()));
        } else {
            let size = entry.metadata().map_or(0, |m| m.len());
            assets.push(Asset {
                source,
                path: entry.into_path(),
                size,
            });
        }
    }
    // Reading is waiting on the disk when the files are not cached: many reads in flight
    // (more threads than cores) make a cold build several times faster. Parsing then runs
    // on the usual one-thread-per-core pool. Each file's stamp is taken first: the files
    // that kept theirs since an earlier build are not read at all.
    let pool = reading_pool();
    let stamps: Vec<Option<FileStamp>> = pool.install(|| {
        markdown
            .par_iter()
            .map(|(_, path)| FileStamp::of(path))
            .collect()
    });
    let unread: Vec<Option<KnownArticle>> = markdown
        .par_iter()
        .zip(&stamps)
        .map(|((source, _), stamp)| {
            let stamp = stamp
                .as_ref()
                .filter(|_| !document::is_document_source(source))?;
            known(source, Lookup::Stamp(stamp)).filter(|k| k.body_rendered)
        })
        .collect();
    let inputs: Vec<Input> = pool.install(|| {
        markdown
            .par_iter()
            .zip(unread)
            .map(|((_, path), unread)| match unread {
                Some(KnownArticle { article, .. }) => Input::Unread(Box::new(article)),
                None => Input::Read(std::fs::read(path)),
            })
            .collect()
    });
    let sizes: std::collections::HashMap<&str, u64> =
        assets.iter().map(|a| (a.source.as_str(), a.size)).collect();
    let file_size = |path: &str| sizes.get(path).copied();
    let results: Vec<std::result::Result<Parsed, Vec<Problem>>> = markdown
        .into_par_iter()
        .zip(inputs)
        .zip(stamps)
        .map(|(((source, path), input), stamp)| {
            let file = File {
                source: &source,
                path,
                stamp,
            };
            match input {
                Input::Unread(article) => Ok(Parsed::Article(file.unread(*article))),
                Input::Read(bytes) if document::is_document_source(&source) => {
                    parse_document_file(&source, bytes, config, file_size).map(Parsed::Document)
                }
                Input::Read(bytes) => {
                    parse_or_reuse(file, bytes, config, known).map(Parsed::Article)
                }
            }
        })
        .collect();
    drop(sizes);
    let published = crate::published::PublishedUrls::load(root)?;
    let mut loaded = Loaded {
        assets,
        problems: links,
        published,
        ..Loaded::default()
    };
    loaded.problems.extend(fields::check_declared(config, root));
    for result in results {
        match result {
            Ok(Parsed::Article(article)) => loaded.articles.push(article),
            Ok(Parsed::Document(document)) => loaded.documents.push(document),
            Err(problems) => loaded.problems.extend(problems),
        }
    }
    Ok(loaded)
}

/// The error for a site folder without `content/`.
fn no_content_folder(root: &Path, dir: &Path) -> Error {
    let message = if root.is_dir() {
        format!(
            "there is no {CONTENT_DIR}/ folder in the site folder {}: is --root right? \
             (a site with no articles yet has an empty {CONTENT_DIR}/ folder)",
            root.display()
        )
    } else {
        format!(
            "the site folder {} does not exist: is --root right?",
            root.display()
        )
    };
    Error::Input(vec![Problem::error(dir, message)])
}

/// Reads and parses one Markdown file.
pub fn read_article(
    source: &str,
    path: &Path,
    config: &Config,
) -> std::result::Result<Article, Vec<Problem>> {
    let file = File {
        source,
        path: path.to_path_buf(),
        stamp: FileStamp::of(path),
    };
    parse_or_reuse(file, std::fs::read(path), config, &|_, _| None)
}

/// A Markdown file being loaded: its source path, where it is, and its stamp taken before
/// it was read.
struct File<'a> {
    source: &'a str,
    path: PathBuf,
    stamp: Option<FileStamp>,
}

impl File<'_> {
    /// The known `article` of this file, its body left unread (its rendering is at hand).
    fn unread(self, mut article: Article) -> Article {
        article.unread_body = Some(self.path);
        article.file_stamp = self.stamp;
        article
    }
}

/// The article of one Markdown file (read as `bytes`): `known`'s when it has the article of
/// the same bytes (with the body cut from the text as parsing would, unless its rendering
/// is at hand), parsed otherwise.
fn parse_or_reuse(
    file: File<'_>,
    bytes: std::io::Result<Vec<u8>>,
    config: &Config,
    known: &Known,
) -> std::result::Result<Article, Vec<Problem>> {
    let source = file.source;
    let file_hash = bytes.as_ref().map_or(0, |b| xxhash_rust::xxh3::xxh3_64(b));
    let known = bytes
        .as_ref()
        .ok()
        .and_then(|_| known(source, Lookup::Hash(file_hash)));
    if let Some(KnownArticle {
        article,
        body_rendered: true,
    }) = known
    {
        return Ok(file.unread(article));
    }
    let mut text = read_text(source, bytes)?;
    if let Some(KnownArticle { mut article, .. }) = known {
        if let Some(start) = body_start(&text) {
            text.drain(..start);
            article.body = text;
            article.file_stamp = file.stamp;
            return Ok(article);
        }
    }
    let mut article = article::parse_article_text(source, text, config)?;
    article.file_hash = file_hash;
    article.file_stamp = file.stamp;
    Ok(article)
}

/// Where the body of a file's text starts: after the front matter, as `parse_article_text`
/// cuts it (`None` when the fences are not there).
fn body_start(text: &str) -> Option<usize> {
    Some(text.len() - front_matter::split(text).ok()?.body.len())
}

/// The body of an article that was not read ([`Article::unread_body`]), or why it cannot be
/// had: the file cannot be read, or it is no longer the file the article was made from.
pub fn read_body(article: &Article) -> std::result::Result<String, String> {
    let Some(path) = &article.unread_body else {
        return Ok(article.body.clone());
    };
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let changed = || "changed while the site was being built; build again".to_string();
    if xxhash_rust::xxh3::xxh3_64(&bytes) != article.file_hash {
        return Err(changed());
    }
    let mut text = decode(bytes).map_err(|_| changed())?;
    let start = body_start(&text).ok_or_else(changed)?;
    text.drain(..start);
    Ok(text)
}

/// The text of a content file as read, or why it cannot be used (unreadable, not UTF-8).
fn read_text(
    source: &str,
    bytes: std::io::Result<Vec<u8>>,
) -> std::result::Result<String, Vec<Problem>> {
    let file = article::display_path(source);
    let bytes =
        bytes.map_err(|e| vec![Problem::error(&file, format!("cannot read the file: {e}"))])?;
    decode(bytes).map_err(|line| {
        vec![Problem::error(&file, "is not UTF-8 text; save it as UTF-8").at_line(Some(line))]
    })
}

/// A Markdown file read: an article (or page) or a document.
// Held once per file between parsing and sorting into `Loaded`: boxing would cost an
// allocation per article for nothing.
#[allow(clippy::large_enum_variant)]
enum Parsed {
    Article(Article),
    Document(Document),
}

/// What the loader has of a Markdown file before parsing: an earlier build's article of it,
/// the file left unread, or the file's bytes as read.
enum Input {
    Unread(Box<Article>),
    Read(std::io::Result<Vec<u8>>),
}

/// Parses the bytes of one document's file (or reports why it could not be read).
fn parse_document_file(
    source: &str,
    bytes: std::io::Result<Vec<u8>>,
    config: &Config,
    file_size: impl Fn(&str) -> Option<u64>,
) -> std::result::Result<Document, Vec<Problem>> {
    document::parse_document(source, &read_text(source, bytes)?, config, file_size)
}

/// Threads that read files: enough reads in flight to keep a disk busy.
fn reading_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(16)
            .thread_name(|i| format!("read-{i}"))
            .build()
            .expect("a thread pool for reading")
    })
}

/// UTF-8 bytes → NFC text with `\n` line endings and no BOM. On invalid UTF-8, the line.
/// The common case (UTF-8, NFC, no BOM, no CR) takes the bytes as they are, without a copy.
pub fn decode(bytes: Vec<u8>) -> std::result::Result<String, usize> {
    // Checking UTF-8 with SIMD instructions is several times faster than the standard
    // library's check on Vietnamese text (40% of its bytes are not ASCII): ~20 ms instead
    // of ~160 ms for the 62 MB of a 10,000-article site (measured in isolation: 17–30 ms
    // against 156–210 ms).
    if let Err(e) = simdutf8::compat::from_utf8(&bytes) {
        let valid = e.valid_up_to();
        return Err(1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count());
    }
    // SAFETY: `bytes` was checked to be UTF-8 just above and is not changed in between.
    #[allow(unsafe_code)]
    let mut text = unsafe { String::from_utf8_unchecked(bytes) };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if let std::borrow::Cow::Owned(normalized) = crate::text::nfc(&text) {
        text = normalized;
    }
    Ok(text)
}

/// A relative path as a source name: `/` separators, NFC.
pub fn source_name(relative: &Path) -> String {
    let joined = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    crate::text::nfc(&joined).into_owned()
}

/// Dot files, editor backups and lock files are not content.
pub fn is_hidden_or_temporary(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#') || name.ends_with(".swp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_files_are_recognised_in_any_case() {
        assert!(is_markdown("2020/10/bai-viet.md"));
        assert!(is_markdown("2020/10/bai-viet.MD"));
        assert!(is_markdown("2020/10/bai-viet.Md"));
        assert!(!is_markdown("2020/10/bai-viet.mdx"));
        assert!(!is_markdown("md"));
        assert!(!is_markdown("ảnh"));
        assert_eq!(markdown_stem("Đổi mới.MD"), Some("Đổi mới"));
    }

    #[test]
    fn decodes_bom_crlf_and_nfd() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "\u{feff}---\r\ntitle: Khoa học\r\n---\r\n".nfd().collect();
        let text = decode(nfd.into_bytes()).unwrap();
        assert_eq!(text, "---\ntitle: Khoa học\n---\n");
    }

    #[test]
    fn a_body_not_read_is_read_from_its_file_unless_the_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bai.md");
        let text = "---\ntitle: Tin\ndate: 2026-01-02\ncategory: Chung\n---\nThân bài.\n";
        std::fs::write(&path, text).unwrap();
        let mut article = parse_article("bai.md", text, &Config::default()).unwrap();
        article.file_hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        article.body = String::new();
        article.unread_body = Some(path.clone());
        assert_eq!(read_body(&article).unwrap(), "Thân bài.\n");
        std::fs::write(&path, text.replace("Thân", "Phần")).unwrap();
        let error = read_body(&article).unwrap_err();
        assert!(
            error.contains("changed while the site was being built"),
            "{error}"
        );
        std::fs::remove_file(&path).unwrap();
        assert!(read_body(&article)
            .unwrap_err()
            .contains("cannot read the file"));
    }

    #[test]
    fn invalid_utf8_reports_the_line() {
        assert_eq!(decode(b"a\nb\n\xff\n".to_vec()), Err(3));
    }

    #[test]
    fn a_missing_content_folder_is_an_error_naming_the_site_folder() {
        let dir = tempfile::tempdir().unwrap();
        let err = load(dir.path(), &Config::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("there is no content/ folder"), "{text}");
        assert!(text.contains("--root"), "{text}");
        let err = load(&dir.path().join("typo"), &Config::default()).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
        std::fs::create_dir(dir.path().join(CONTENT_DIR)).unwrap();
        assert!(load(dir.path(), &Config::default())
            .unwrap()
            .articles
            .is_empty());
    }

    #[test]
    fn skips_hidden_and_editor_files() {
        for name in [".git", ".x.md.swp", "bai.md~", "#bai.md#"] {
            assert!(is_hidden_or_temporary(std::ffi::OsStr::new(name)), "{name}");
        }
        assert!(!is_hidden_or_temporary(std::ffi::OsStr::new("bai.md")));
    }
}
