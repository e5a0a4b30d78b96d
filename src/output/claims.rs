//! Every output path of a build, checked once before anything is written: pages and aliases
//! (already checked among themselves by [`crate::plan::Plan::check_outputs`]), feeds,
//! sitemaps, `robots.txt`, the search index, the theme's static files and the content's
//! files. Two sources of one path, or a file where another output needs a folder, is an
//! error naming both, blamed on the file an editor can change (an article's `aliases` or
//! `slug` line, a file under `content/`, a theme file).

use crate::content::{article::display_path, Asset};
use crate::error::{Error, Problem, ProblemKind, Result};
use crate::plan::Job;
use crate::render::templates::StaticSource;
use crate::render::Rendering;
use crate::routes::{is_feed, output_path_problem, ROBOTS_FILE, SEARCH_DIR};
use std::collections::HashMap;

/// What writes an output path.
enum Source<'a> {
    /// A page of the plan.
    Job(&'a Job),
    /// A feed, a sitemap, `robots.txt` or a web server's file.
    Generated,
    /// A static file of the theme.
    Static(&'a StaticSource),
    /// A file under `content/`, copied.
    Asset(&'a Asset),
    /// The search index, which owns its whole folder.
    SearchIndex,
}

/// Fails when two outputs of `rendering` would be written to one path, when one would be
/// written where another needs a folder, or when a copied file's path cannot be written.
pub fn check(rendering: &Rendering) -> Result<()> {
    let claims = claims(rendering);
    let mut problems = Vec::new();
    let mut owner: HashMap<&str, usize> = HashMap::with_capacity(claims.len());
    for (index, (path, source)) in claims.iter().enumerate() {
        if !matches!(source, Source::Job(_)) {
            if let Some(message) = output_path_problem(path) {
                let what = describe(rendering, path, source);
                problems.push(blame(
                    rendering,
                    index,
                    index,
                    &claims,
                    format!("{what}: {message}"),
                ));
                continue;
            }
        }
        if let Some(&first) = owner.get(path.as_str()) {
            problems.push(collision(rendering, &claims, first, index, path));
        } else {
            owner.insert(path, index);
        }
    }
    // A file where others need a folder is reported once, with the first output it blocks.
    let mut blocking = std::collections::HashSet::new();
    for (index, (path, _)) in claims.iter().enumerate() {
        let folders = path.match_indices('/').map(|(at, _)| &path[..at]);
        if let Some(&file) = folders.filter_map(|folder| owner.get(folder)).next() {
            if blocking.insert(file) {
                problems.push(collision(rendering, &claims, file, index, path));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

/// Every output path with its source, in a fixed order: pages, generated files, the search
/// index's folder, static files, content files.
fn claims(rendering: &Rendering) -> Vec<(String, Source<'_>)> {
    let (site, plan) = (&rendering.site, &rendering.plan);
    let mut claims: Vec<(String, Source)> = plan
        .jobs
        .iter()
        .map(|(path, job)| (path.clone(), Source::Job(job)))
        .collect();
    let generated = super::site_file_paths(site, plan);
    claims.extend(generated.into_iter().map(|path| (path, Source::Generated)));
    if site.config.search {
        claims.push((SEARCH_DIR.to_string(), Source::SearchIndex));
    }
    let statics = rendering.static_files.iter();
    claims.extend(statics.map(|(path, source)| (path.clone(), Source::Static(source))));
    let assets = site.assets.iter();
    claims.extend(assets.map(|asset| (asset.source.clone(), Source::Asset(asset))));
    claims
}

/// The problem of `second` landing on `first`'s path (`path` is `second`'s).
fn collision(
    rendering: &Rendering,
    claims: &[(String, Source)],
    first: usize,
    second: usize,
    path: &str,
) -> Problem {
    let (first_path, first_source) = &claims[first];
    let one = describe(rendering, first_path, first_source);
    let other = describe(rendering, path, &claims[second].1);
    let message = if matches!(first_source, Source::SearchIndex) && first_path != path {
        format!("{other} would be written to {path}, in the folder {SEARCH_DIR}/ that belongs to the search index")
    } else if first_path == path {
        format!("{other} and {one} would both be written to {path}")
    } else {
        format!("{other} would be written to {path}, but {one} is written to {first_path}, where it needs a folder")
    };
    // A file in the way of a folder is to blame, when an editor can change it.
    let in_the_way = first_path != path && rank(first_source) < rank(&Source::Generated);
    match in_the_way {
        true => blame(rendering, first, first, claims, message),
        false => blame(rendering, first, second, claims, message),
    }
}

/// A problem about the one of `a` and `b` an editor is likelier to change.
fn blame(
    rendering: &Rendering,
    a: usize,
    b: usize,
    claims: &[(String, Source)],
    message: String,
) -> Problem {
    let blamed = if rank(&claims[a].1) < rank(&claims[b].1) {
        a
    } else {
        b
    };
    let (site, plan) = (&rendering.site, &rendering.plan);
    let problem = match &claims[blamed].1 {
        Source::Job(job) => {
            return plan
                .problem_about(site, job, message)
                .of_kind(ProblemKind::Collision)
        }
        Source::Asset(asset) => Problem::error(display_path(&asset.source), message),
        Source::Static(StaticSource::Disk(from)) => Problem::error(from, message),
        _ => Problem::error(crate::content::CONTENT_DIR, message),
    };
    problem.of_kind(ProblemKind::Collision)
}

/// Who to blame first: aliases, then articles, content files, theme files, the rest.
fn rank(source: &Source) -> u8 {
    match source {
        Source::Job(Job::Alias { .. }) => 0,
        Source::Job(Job::Article(_) | Job::Page(_)) => 1,
        Source::Asset(_) => 2,
        Source::Static(StaticSource::Disk(_)) => 3,
        _ => 4,
    }
}

/// What writes `path`, in words.
fn describe(rendering: &Rendering, path: &str, source: &Source) -> String {
    match source {
        Source::Job(job) => rendering.plan.describe(&rendering.site, job),
        Source::Generated if is_feed(path) => format!("the feed {path}"),
        Source::Generated if path == ROBOTS_FILE => format!("the generated {ROBOTS_FILE}"),
        Source::Generated if !path.ends_with(".xml") => {
            format!("the web server's file {path} (see README: Hosting)")
        }
        Source::Generated => format!("the sitemap {path}"),
        Source::Static(StaticSource::Disk(from)) => format!("the theme file {}", from.display()),
        Source::Static(StaticSource::Embedded(_)) => format!("the theme's static file {path}"),
        Source::Asset(asset) => format!("the file {}", display_path(&asset.source)),
        Source::SearchIndex => format!("the search index (the folder {SEARCH_DIR}/)"),
    }
}
