//! The site as the server holds it: the inputs kept between rebuilds (config, parsed articles,
//! rendered bodies, theme) and the current generation that requests are answered from.
//!
//! A rebuild after an edit re-reads only the changed files, re-assembles the site reusing
//! every unchanged rendered body, and plans the pages again; pages are rendered when asked
//! for and cached until the next generation.

use super::change::Change;
use crate::config::Config;
use crate::content::{self, Asset, Loaded};
use crate::error::{Error, Problem, Result};
use crate::pipeline::{self, Inputs, Memory};
use crate::render::templates::{StaticSource, Theme};
use crate::render::Rendering;
use crate::site::{AssembleOptions, BodyCache};
use chrono::Utc;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// One thing wrong with the site's input, as shown in the error overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorItem {
    /// `content/2024/03/x.md:4`, a template and line, or a path.
    pub location: String,
    /// The front-matter field or config key, if any.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ErrorItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl ErrorItem {
    fn from_problem(p: &Problem) -> ErrorItem {
        let mut location = p.file.display().to_string();
        if let Some(line) = p.line {
            location.push_str(&format!(":{line}"));
        }
        ErrorItem {
            location,
            field: p.field.clone(),
            message: p.message.clone(),
        }
    }

    /// Every error of a failed build.
    pub fn list(err: &Error) -> Vec<ErrorItem> {
        err.to_problems()
            .iter()
            .map(ErrorItem::from_problem)
            .collect()
    }
}

/// A successfully built site, ready to answer requests.
pub struct Good {
    /// The planned site and its template engine.
    pub rendering: Rendering,
    /// Content assets: output path → file on disk.
    assets: HashMap<String, PathBuf>,
    /// The output paths of the feeds, sitemaps and robots.txt.
    site_file_paths: HashSet<String>,
    /// Feeds, sitemaps and robots.txt, made on first request.
    site_files: OnceLock<HashMap<String, Vec<u8>>>,
    /// The search index (`search/...`), made on the first request for one of its files.
    search_files: OnceLock<HashMap<String, Vec<u8>>>,
    /// Pages rendered so far in this generation, by page index.
    pages: Mutex<HashMap<usize, Arc<str>>>,
}

/// What an output path is.
pub enum Found<'a> {
    /// A page of the plan, by index.
    Page(usize),
    /// Bytes in memory (an embedded theme file or a generated file).
    Bytes(&'a [u8]),
    /// A file on disk (a theme static file or a content asset).
    Disk(&'a Path),
}

impl Good {
    fn new(rendering: Rendering) -> Good {
        let assets = rendering
            .site
            .assets
            .iter()
            .map(|a| (a.source.clone(), a.path.clone()))
            .collect();
        let site_file_paths = crate::output::site_file_paths(&rendering.site, &rendering.plan)
            .into_iter()
            .collect();
        Good {
            site_file_paths,
            rendering,
            assets,
            site_files: OnceLock::new(),
            search_files: OnceLock::new(),
            pages: Mutex::new(HashMap::new()),
        }
    }

    /// The site's base path (`/` or `/tin-tuc/`).
    pub fn base_path(&self) -> &str {
        &self.rendering.site.config.base_path
    }

    /// What is at `output_path` (`chung/x/index.html`, `css/style.css`), in the order a build
    /// writes them (a later writer wins): content assets, theme static files, generated
    /// files, pages.
    pub fn find(&self, output_path: &str) -> Option<Found<'_>> {
        if let Some(path) = self.assets.get(output_path) {
            return Some(Found::Disk(path));
        }
        match self.rendering.static_files.get(output_path) {
            Some(StaticSource::Embedded(bytes)) => return Some(Found::Bytes(bytes)),
            Some(StaticSource::Disk(path)) => return Some(Found::Disk(path)),
            None => {}
        }
        if self.site_file_paths.contains(output_path) {
            let files = self.site_files.get_or_init(|| {
                let memory = Memory::default();
                // Feeds and sitemaps are made from the planned site and cannot fail in
                // memory; serve nothing if they did.
                match pipeline::emit_site_files(&self.rendering, &memory) {
                    Ok(_) => memory.into_files(),
                    Err(_) => HashMap::new(),
                }
            });
            if let Some(bytes) = files.get(output_path) {
                return Some(Found::Bytes(bytes));
            }
        }
        if output_path
            .strip_prefix(crate::search::DIR)
            .is_some_and(|rest| rest.starts_with('/'))
        {
            let files = self.search_files.get_or_init(|| {
                let memory = Memory::default();
                // It cannot fail once the site has assembled; serve nothing if it did.
                match pipeline::emit_search_index(&self.rendering.site, &memory) {
                    Ok(_) => memory.into_files(),
                    Err(_) => HashMap::new(),
                }
            });
            if let Some(bytes) = files.get(output_path) {
                return Some(Found::Bytes(bytes));
            }
        }
        self.rendering.find_page(output_path).map(Found::Page)
    }

    /// The HTML of page `index`, rendered once per generation.
    pub fn page(&self, index: usize) -> Result<Arc<str>> {
        if let Some(html) = self.pages.lock().expect("page cache").get(&index) {
            return Ok(html.clone());
        }
        let html: Arc<str> = self.rendering.render_page(index)?.into();
        self.pages
            .lock()
            .expect("page cache")
            .insert(index, html.clone());
        Ok(html)
    }
}

/// What requests are answered from: the last good site and the errors of the last rebuild
/// (none when it succeeded).
pub struct Generation {
    /// Counts rebuilds, from 1.
    pub number: u64,
    /// The last site that built, if any did.
    pub good: Option<Arc<Good>>,
    /// Errors of the last rebuild; shown over every page while there are any.
    pub errors: Vec<ErrorItem>,
}

/// The inputs kept between rebuilds.
pub struct Builder {
    root: PathBuf,
    drafts: bool,
    origin: String,
    config: Option<Config>,
    loaded: Option<Loaded>,
    /// A copy of `loaded` made while idle, kept in step with it, handed to the next assemble
    /// (which consumes its input) so that copying 10,000 articles is not on the edit's path.
    spare: Option<Loaded>,
    theme: Option<Theme>,
    cache: BodyCache,
    /// Warnings of the last successful rebuild.
    pub warnings: Vec<Problem>,
    /// Time of each stage of the last rebuild.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Builder {
    /// A builder for the site at `root`; links point at `origin` (`http://127.0.0.1:1111`).
    pub fn new(root: &Path, drafts: bool, origin: &str) -> Builder {
        Builder {
            root: root.to_path_buf(),
            drafts,
            origin: origin.trim_end_matches('/').to_string(),
            config: None,
            loaded: None,
            spare: None,
            theme: None,
            cache: BodyCache::default(),
            warnings: Vec::new(),
            timings: Vec::new(),
        }
    }

    /// Loads everything and builds.
    pub fn build_all(&mut self) -> Result<Good> {
        self.config = None;
        self.loaded = None;
        self.spare = None;
        self.theme = None;
        self.assemble()
    }

    /// Applies a batch of changes and rebuilds, re-reading only what changed.
    pub fn apply(&mut self, changes: &[Change]) -> Result<Good> {
        for change in changes {
            match change {
                Change::Config => {
                    // Bodies depend on the config too (`trusted_html`, the base path).
                    self.cache = BodyCache::default();
                    self.config = None;
                    self.loaded = None;
                    self.spare = None;
                    self.theme = None;
                }
                Change::Templates => self.theme = None,
                Change::Content(paths) => self.update_content(paths),
                Change::Ignore => {}
            }
        }
        self.assemble()
    }

    fn config(&mut self) -> Result<Config> {
        if let Some(config) = &self.config {
            return Ok(config.clone());
        }
        let mut config = Config::load(&self.root)?;
        // Links, permalinks and redirects point at the preview, under the configured path.
        config.base_url = format!("{}{}", self.origin, config.base_path);
        self.config = Some(config.clone());
        Ok(config)
    }

    fn assemble(&mut self) -> Result<Good> {
        let mut clock = std::time::Instant::now();
        self.timings.clear();
        let mut lap = |timings: &mut Vec<_>, stage| {
            let now = std::time::Instant::now();
            timings.push((stage, now - clock));
            clock = now;
        };
        let config = self.config()?;
        if self.loaded.is_none() {
            self.loaded = Some(content::load(&self.root, &config)?);
        }
        let theme = match &self.theme {
            Some(theme) => Ok(theme.clone()),
            None => Theme::load(&self.root, &config).inspect(|theme| {
                self.theme = Some(theme.clone());
            }),
        };
        lap(&mut self.timings, "load");
        let options = AssembleOptions {
            drafts: self.drafts,
            now: Utc::now().with_timezone(&config.timezone),
            plain_text_bytes: crate::related::PLAIN_TEXT_NEEDED,
        };
        let loaded = match self.spare.take() {
            Some(spare) => spare,
            None => self.loaded.clone().expect("loaded above"),
        };
        lap(&mut self.timings, "copy");
        let inputs = Inputs {
            root: self.root.clone(),
            config,
            loaded,
            theme,
        };
        let (site, theme) = pipeline::assemble(inputs, options, &self.cache)?;
        self.warnings = site.warnings.clone();
        lap(&mut self.timings, "assemble");
        let rendering = pipeline::plan(site, theme)?;
        lap(&mut self.timings, "plan");
        Ok(Good::new(rendering))
    }

    /// Work for the next rebuild done while waiting for changes: the rendered bodies of
    /// `good` (the site just built) become the cache, and a spare copy of the articles is made.
    pub fn prepare_next(&mut self, good: Option<&Good>) {
        if let Some(good) = good {
            let site = &good.rendering.site;
            self.cache = site.body_cache();
            if let Ok(lists) = crate::related::related_articles(site) {
                self.cache.keep_related(site, &lists);
            }
        }
        if self.spare.is_none() {
            self.spare = self.loaded.clone();
        }
    }

    /// Re-reads the changed files under `content/`. A folder that appeared, or anything the
    /// builder cannot place, makes the next build read `content/` again.
    fn update_content(&mut self, paths: &[PathBuf]) {
        let touched = self.update_loaded(paths);
        match (touched, &self.loaded, &mut self.spare) {
            (Some(touched), Some(loaded), Some(spare)) => {
                for source in &touched {
                    sync_source(loaded, spare, source);
                }
            }
            _ => self.spare = None,
        }
    }

    /// Applies the changes to `loaded`; the sources touched, or `None` when `loaded` must
    /// be read again.
    fn update_loaded(&mut self, paths: &[PathBuf]) -> Option<Vec<String>> {
        let (Some(config), Some(loaded)) = (&self.config, &mut self.loaded) else {
            self.loaded = None;
            return None;
        };
        let mut touched = Vec::new();
        let content_dir = self.root.join(content::CONTENT_DIR);
        for path in paths {
            let source = match path.strip_prefix(&content_dir) {
                Ok(relative) if !relative.as_os_str().is_empty() => content::source_name(relative),
                _ => {
                    self.loaded = None;
                    return None;
                }
            };
            // A document's check depends on the files beside it: any change under
            // `content/van-ban/` reads the content again.
            if source == content::document::DOCUMENTS_FOLDER
                || source.starts_with(&format!("{}/", content::document::DOCUMENTS_FOLDER))
            {
                self.loaded = None;
                return None;
            }
            touched.push(source.clone());
            match std::fs::metadata(path) {
                Ok(meta) if meta.is_dir() => {
                    self.loaded = None;
                    return None;
                }
                Ok(_) if content::is_markdown(&source) => {
                    remove_source(loaded, &source);
                    match content::read_article(&source, path, config) {
                        Ok(article) => {
                            let at = loaded
                                .articles
                                .partition_point(|a| a.source.as_str() < source.as_str());
                            loaded.articles.insert(at, article);
                        }
                        Err(problems) => loaded.problems.extend(problems),
                    }
                }
                Ok(meta) => {
                    remove_source(loaded, &source);
                    loaded.assets.push(Asset {
                        source,
                        path: path.clone(),
                        size: meta.len(),
                    });
                }
                Err(_) => {
                    // Deleted or renamed away: the file, or a whole folder.
                    remove_source(loaded, &source);
                    let prefix = format!("{source}/");
                    loaded.articles.retain(|a| !a.source.starts_with(&prefix));
                    loaded.assets.retain(|a| !a.source.starts_with(&prefix));
                    let shown = content::article::display_path(&prefix);
                    loaded
                        .problems
                        .retain(|p| !p.file.to_string_lossy().starts_with(&shown));
                }
            }
        }
        Some(touched)
    }
}

/// Makes what `spare` knows about `source` (a file, or a folder that went away) the same as
/// what `loaded` knows.
fn sync_source(loaded: &Loaded, spare: &mut Loaded, source: &str) {
    let prefix = format!("{source}/");
    let shown = content::article::display_path(source);
    let shown_prefix = content::article::display_path(&prefix);
    let concerns = |s: &str| s == source || s.starts_with(&prefix);
    let concerns_file = |p: &Problem| {
        let file = p.file.to_string_lossy();
        file == shown || file.starts_with(&shown_prefix)
    };
    spare.articles.retain(|a| !concerns(&a.source));
    spare.assets.retain(|a| !concerns(&a.source));
    spare.problems.retain(|p| !concerns_file(p));
    for article in loaded.articles.iter().filter(|a| concerns(&a.source)) {
        let at = spare
            .articles
            .partition_point(|a| a.source.as_str() < article.source.as_str());
        spare.articles.insert(at, article.clone());
    }
    spare.assets.extend(
        loaded
            .assets
            .iter()
            .filter(|a| concerns(&a.source))
            .cloned(),
    );
    spare
        .problems
        .extend(loaded.problems.iter().filter(|p| concerns_file(p)).cloned());
}

/// Forgets everything known about one source file.
fn remove_source(loaded: &mut Loaded, source: &str) {
    loaded.articles.retain(|a| a.source != source);
    loaded.assets.retain(|a| a.source != source);
    let shown = PathBuf::from(content::article::display_path(source));
    loaded.problems.retain(|p| p.file != shown);
}

/// The errors of a build as text lines (for the console).
pub fn error_lines(errors: &[ErrorItem]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}
