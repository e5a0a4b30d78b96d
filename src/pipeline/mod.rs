//! The one pipeline that `build`, `serve` and `check` run, stage by stage:
//!
//! ```text
//! read      config.yaml → content/ → theme            (the only stage that reads the site)
//! assemble  articles → Site (categories, URLs, Markdown, related lists, processed photos)
//! plan      Site + theme → Rendering (every page as a job, output paths checked)
//! emit      search index, pages, feeds and sitemaps, copied files → a Sink
//! ```
//!
//! `build` emits into the staging folder and commits it; `check` emits into [`Discard`],
//! which keeps nothing but fails where a copy would; `serve` keeps the inputs between edits,
//! assembles and plans with the same functions, and emits generated files into [`Memory`]
//! when they are asked for. A stage that fails returns every problem it found.

pub mod sink;
pub mod timings;

pub use sink::{Discard, Memory, Sink};
pub use timings::{StageTime, Stopwatch};

use crate::config::Config;
use crate::content::{self, Loaded};
use crate::error::{Error, Problem, ProblemKind, Result};
use crate::render::templates::{StaticSource, Theme};
use crate::render::Rendering;
use crate::site::{AssembleOptions, BodyCache, Site};
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds `config.yaml`, `content/`, ...).
    pub root: PathBuf,
    /// The output folder (default `root/public`).
    pub output: Option<PathBuf>,
    /// Also render drafts and future-dated articles.
    pub drafts: bool,
    /// The moment that decides what is "in the future" (default: now).
    pub now: Option<DateTime<FixedOffset>>,
    /// Let the build remove most of the published pages (see
    /// [`crate::output::write::MASS_DELETE_MIN`]).
    pub allow_mass_delete: bool,
}

impl BuildOptions {
    /// Options for the site at `root` with every default.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            now: None,
            allow_mass_delete: false,
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }

    /// How the site is assembled: drafts or not, and "now" in the site's time zone.
    pub fn assemble_options(&self, config: &Config) -> AssembleOptions {
        AssembleOptions {
            drafts: self.drafts,
            now: self
                .now
                .unwrap_or_else(|| Utc::now().with_timezone(&config.timezone)),
            plain_text_bytes: crate::related::PLAIN_TEXT_NEEDED,
        }
    }
}

/// Everything read from the site folder.
pub struct Inputs {
    /// The site folder (the image cache, `.trangtin-cache/`, is kept there).
    pub root: PathBuf,
    /// `config.yaml`.
    pub config: Config,
    /// `content/`: articles, pages, files to copy, and the problems of files that did not
    /// parse.
    pub loaded: Loaded,
    /// The theme, or why it does not load (reported together with the content's problems).
    pub theme: Result<Theme>,
}

/// Reads the site: config (whose errors stop here), content and theme.
pub fn read(root: &Path) -> Result<Inputs> {
    read_reusing(root, &|_, _| None)
}

/// Like [`read`], taking from `known` the articles of files parsed by an earlier build (see
/// [`content::load_reusing`]).
pub fn read_reusing(root: &Path, known: &content::Known) -> Result<Inputs> {
    let config = Config::load(root)?;
    let loaded = content::load_reusing(root, &config, known)?;
    let theme = Theme::load(root, &config);
    Ok(Inputs {
        root: root.to_path_buf(),
        config,
        loaded,
        theme,
    })
}

/// Builds the site model from what was read, reusing rendered bodies (and related lists)
/// from `cache`, finds each article's related articles and processes the photos articles
/// show (through the image cache beside the site, so unchanged photos cost a few file
/// reads). Problems of the content, its images and the theme are reported together.
pub fn assemble(
    inputs: Inputs,
    options: AssembleOptions,
    cache: &BodyCache,
) -> Result<(Site, Theme)> {
    let Inputs {
        root,
        config,
        loaded,
        theme,
    } = inputs;
    let site = Site::assemble_cached(config, loaded, options, cache).and_then(|mut site| {
        match cache.related_for(&site) {
            Some(lists) => site.related = lists,
            None => {
                let related =
                    crate::related::related_articles_reusing(&site, &|source| cache.terms(source))
                        .map_err(Error::Input)?;
                (site.related, site.terms) = (related.lists, related.terms);
                site.terms_counted = related.counted;
            }
        }
        site.process_pictures(&root)?;
        Ok(site)
    });
    match (site, theme) {
        (Ok(site), Ok(theme)) => Ok((site, theme)),
        (Err(err), Ok(_)) | (Ok(_), Err(err)) => Err(err),
        (Err(site), Err(theme)) => {
            let mut problems = site.to_problems();
            problems.extend(theme.to_problems());
            Err(Error::Input(problems))
        }
    }
}

/// Plans every page: every output path (pages, feeds, sitemaps, the search index, files to
/// copy) is checked for collisions and for names no file system takes, and the values every
/// template shares are made.
pub fn plan(site: Site, theme: Theme) -> Result<Rendering> {
    let rendering = Rendering::new(site, theme)?;
    crate::output::claims::check(&rendering)?;
    Ok(rendering)
}

/// What [`emit`] produced.
#[derive(Debug, Default)]
pub struct Emitted {
    /// Every output path, for the commit to keep (and to delete the others).
    pub outputs: HashSet<String>,
    /// Pages and generated files written.
    pub pages_written: usize,
    /// Pages rendered: the others were kept from the last build, made from the same inputs.
    pub pages_rendered: usize,
    /// Files copied: theme static files and content assets.
    pub files_copied: usize,
    /// The pages among `outputs` left at the URLs of removed articles.
    pub unpublished: HashSet<String>,
}

impl Emitted {
    /// The outputs that publish something: every output but the pages of removed articles.
    pub fn published(&self) -> HashSet<String> {
        self.outputs
            .difference(&self.unpublished)
            .cloned()
            .collect()
    }
}

/// Writes the whole site into `sink`: the search index (then frees the articles' full text,
/// which nothing else reads), every page in parallel, feeds and sitemaps, and the files to
/// copy. Laps `clock` after each part.
pub fn emit(rendering: &mut Rendering, sink: &dyn Sink, clock: &mut Stopwatch) -> Result<Emitted> {
    let mut emitted = Emitted::default();
    emitted
        .outputs
        .extend(emit_search_index(&rendering.site, sink)?);
    rendering.site.release_plain_text();
    clock.lap("search index");
    let written = AtomicUsize::new(rendering.plan.jobs.len());
    emitted.pages_rendered = rendering.render_all(sink)?;
    emitted
        .outputs
        .extend(rendering.plan.jobs.iter().map(|(path, _)| path.clone()));
    clock.lap("render and write");
    for path in emit_site_files(rendering, sink)? {
        written.fetch_add(1, Ordering::Relaxed);
        emitted.outputs.insert(path);
    }
    clock.lap("feeds and sitemap");
    let copied = emit_copies(rendering, sink)?;
    emitted.files_copied = copied.len();
    emitted.outputs.extend(copied);
    clock.lap("copy files");
    emitted.pages_written = written.into_inner();
    let site = &rendering.site;
    emitted.unpublished = site
        .gone
        .iter()
        .map(|u| site.routes.output_path(u))
        .collect();
    Ok(emitted)
}

/// Writes the search index (when the site has search); returns its output paths.
pub fn emit_search_index(site: &Site, sink: &dyn Sink) -> Result<Vec<String>> {
    crate::search::write_index(site, &|path: &str, bytes: &[u8]| sink.write(path, bytes))
}

/// Writes the feeds, sitemaps and `robots.txt`; returns their output paths.
pub fn emit_site_files(rendering: &Rendering, sink: &dyn Sink) -> Result<Vec<String>> {
    let files = crate::output::site_files(rendering)?;
    let mut paths = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        sink.write(&path, &bytes)?;
        paths.push(path);
    }
    Ok(paths)
}

/// Copies the theme's static files and the content's other files; returns their output
/// paths. Every file that cannot be read is reported, not only the first.
fn emit_copies(rendering: &Rendering, sink: &dyn Sink) -> Result<Vec<String>> {
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    for (path, source) in &rendering.static_files {
        match source {
            StaticSource::Embedded(bytes) => sink.write(path, bytes)?,
            StaticSource::Disk(from) => {
                copy_or_report(sink, path, from, from.display().to_string(), &mut problems)?
            }
        }
        paths.push(path.clone());
    }
    for asset in &rendering.site.assets {
        let shown = content::article::display_path(&asset.source);
        copy_or_report(sink, &asset.source, &asset.path, shown, &mut problems)?;
        paths.push(asset.source.clone());
    }
    if problems.is_empty() {
        Ok(paths)
    } else {
        Err(Error::Input(problems))
    }
}

/// Copies `from` to `path`; a source that cannot be read becomes a problem about `shown`,
/// any other failure (the output's disk) stops the build.
fn copy_or_report(
    sink: &dyn Sink,
    path: &str,
    from: &Path,
    shown: String,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    match sink.copy(path, from) {
        Err(Error::Io {
            path: failed,
            source,
        }) if failed == from => {
            problems.push(
                Problem::error(
                    shown,
                    format!("cannot be read, so it cannot be copied: {source}"),
                )
                .of_kind(ProblemKind::Unreadable),
            );
            Ok(())
        }
        other => other,
    }
}
