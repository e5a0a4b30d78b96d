//! `trangtin build`: the pipeline emitting into a staging folder, committed only when the
//! whole site has been written.

use crate::cache;
use crate::content::{Lookup, CONTENT_DIR};
use crate::error::{Error, Problem, Result};
use crate::output::write::{CommitReport, Staging, TreeListing};
use crate::pipeline::{self, BuildOptions, StageTime, Stopwatch};
use crate::render::Rendering;
use crate::site::{BodyCache, Site};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    /// Published articles.
    pub articles: usize,
    /// HTML pages and other generated files written.
    pub pages_written: usize,
    /// HTML pages rendered; the others were kept as the last build wrote them, being made
    /// from the same inputs (see `render::inputs`).
    pub pages_rendered: usize,
    /// Articles whose front matter was parsed; the others came from the build cache (see
    /// [`crate::cache`]).
    pub articles_parsed: usize,
    /// Of the articles not parsed, those whose file was not even read: it kept the stamp
    /// it had when an earlier build read it (see [`crate::content::stamp`]).
    pub files_unread: usize,
    /// Article bodies rendered from Markdown; the others came from the build cache.
    pub bodies_rendered: usize,
    /// Articles whose terms (for related articles) were counted; the others came from the
    /// build cache.
    pub terms_counted: usize,
    /// Files copied (theme static files and content assets).
    pub files_copied: usize,
    /// Drafts and future articles left out.
    pub held_back: usize,
    /// Warnings, with file and line.
    pub warnings: Vec<Problem>,
    /// Time per stage.
    pub timings: Vec<StageTime>,
    /// Pages per kind of page.
    pub page_counts: Vec<(String, usize)>,
    /// Whole build.
    pub elapsed: Duration,
    /// Files changed, left unchanged and removed in the output folder.
    pub commit: CommitReport,
    /// Old addresses that server rules redirect, not pages (with a query string, or outside
    /// the base path; see `output::hosting`).
    pub server_redirects: usize,
    /// Of those, the addresses outside the base path: their rules belong at the host's root.
    pub host_root_redirects: usize,
}

/// Loads and assembles the site in memory, without writing anything.
pub fn load_site(options: &BuildOptions) -> Result<Site> {
    let inputs = pipeline::read(&options.root)?;
    let assemble = options.assemble_options(&inputs.config);
    let (site, _theme) = pipeline::assemble(inputs, assemble, &BodyCache::default())?;
    Ok(site)
}

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let mut clock = Stopwatch::new();
    refuse_output_in_content(options)?;
    // The cache is read while the content's files are found and read.
    let opening = cache::Opening::start(&options.root);
    let listing = TreeListing::start(&options.output_dir());
    let (reused, unread) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let mut inputs = pipeline::read_reusing(&options.root, &|source, lookup| {
        let article = opening.get().article(source, lookup);
        if article.is_some() {
            reused.fetch_add(1, Ordering::Relaxed);
            if matches!(lookup, Lookup::Stamp(_)) {
                unread.fetch_add(1, Ordering::Relaxed);
            }
        }
        article
    })?;
    let articles_parsed = inputs.loaded.articles.len() - reused.into_inner();
    let files_unread = unread.into_inner();
    let cache = opening.get();
    clock.lap("load");
    let new_articles = cache.new_articles(&mut inputs.loaded.articles);
    let assemble = options.assemble_options(&inputs.config);
    let (mut site, theme) = pipeline::assemble(inputs, assemble, &cache.bodies())?;
    let changes = cache.changes(&new_articles, &site);
    // Only the cache files that change need the terms (they hold their own references).
    site.terms = Vec::new();
    drop((opening, new_articles));
    clock.lap("markdown and indexes");
    let mut rendering = pipeline::plan(site, theme)?;
    clock.lap("plan");
    // Taken once the input is known to be good (a broken site touches nothing beside the
    // output): the lock, and the deletion of what earlier builds left, which runs on a
    // thread of its own while the pages are rendered.
    let staging = Staging::new_listed(&options.output_dir(), Some(listing))?
        .allow_mass_delete(options.allow_mass_delete);
    // The cache files are written while the pages are rendered (not by a build refused for
    // its output folder).
    let saving = std::thread::spawn(move || changes.write());
    let emitted = pipeline::emit(&mut rendering, &staging, &mut clock)?;
    let mut staging = staging;
    staging.count_as_removed(emitted.unpublished.clone());
    let commit = staging.commit(&emitted.outputs)?;
    let site = &rendering.site;
    let (bodies_rendered, terms_counted) = (site.bodies_rendered, site.terms_counted);
    let mut warnings = site.warnings.clone();
    warnings.extend(saving.join().ok().flatten());
    // Drafts and future articles of a preview (`--drafts`) are not published.
    if !options.drafts {
        site.published_urls().save(&options.root)?;
    }
    clock.lap("commit");
    let report = BuildReport {
        articles: site.published.len(),
        pages_written: emitted.pages_written,
        pages_rendered: emitted.pages_rendered,
        articles_parsed,
        files_unread,
        bodies_rendered,
        terms_counted,
        files_copied: emitted.files_copied,
        held_back: site.held_back,
        warnings,
        page_counts: page_counts(&rendering),
        server_redirects: rendering.plan.redirects.len(),
        host_root_redirects: rendering
            .plan
            .redirects
            .iter()
            .filter(|r| !site.routes.contains(&r.from.path))
            .count(),
        timings: clock.laps,
        commit,
        elapsed: clock.start.elapsed(),
    };
    // Freeing a large site (every article, every template value) takes a noticeable part of
    // a build; let it happen beside the caller instead of in front of it.
    std::thread::spawn(move || drop(rendering));
    Ok(report)
}

/// Refuses an output folder inside `content/`: each build would copy the last one into
/// itself as content.
fn refuse_output_in_content(options: &BuildOptions) -> Result<()> {
    let Ok(content) = std::fs::canonicalize(options.root.join(CONTENT_DIR)) else {
        return Ok(()); // reading the site reports a missing content folder
    };
    let output = options.output_dir();
    if !resolved(&output).starts_with(&content) {
        return Ok(());
    }
    let message = format!(
        "the output folder is inside {CONTENT_DIR}/, so every build would publish the last \
         one again as content; choose an --output outside {}",
        content.display()
    );
    Err(Error::Input(vec![Problem::error(output, message)]))
}

/// `path` with every folder that exists resolved (links followed, `..` removed), and the
/// part that does not exist yet appended.
fn resolved(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return missing.iter().rev().fold(real, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Pages per kind of page, for `--timings`.
fn page_counts(rendering: &Rendering) -> Vec<(String, usize)> {
    let plan = &rendering.plan;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, job) in &plan.jobs {
        let kind = match job {
            crate::plan::Job::Article(_) => "article",
            crate::plan::Job::Page(_) => "page",
            crate::plan::Job::Listing { listing, .. } => plan.listings[*listing].kind.as_str(),
            crate::plan::Job::Alias { .. } => "alias",
            crate::plan::Job::Prepared { template, .. } => template.trim_end_matches(".html"),
        };
        *counts.entry(kind.to_string()).or_default() += 1;
    }
    counts.into_iter().collect()
}
