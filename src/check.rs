//! `trangtin check`: the build's own pipeline, emitting into nothing, so it fails exactly
//! where `build` fails (front matter, categories, links, collisions, output paths,
//! templates, files that cannot be copied); plus one check of its own, reported as warnings:
//! images and files that articles reference but that exist neither under `content/` nor in
//! the theme (root-relative links and the front matter's `image` included).

use crate::content::{is_markdown, Article, Loaded};
use crate::error::{Error, Problem, ProblemKind};
use crate::output::write::removal_needing_leave;
use crate::pipeline::{self, BuildOptions, Discard, Stopwatch};
use crate::site::links::{has_scheme, join};
use crate::site::BodyCache;
use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::collections::HashSet;
use std::path::PathBuf;

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every problem, errors and warnings, sorted by file and line.
    pub problems: Vec<Problem>,
    /// Articles and pages that were read.
    pub articles: usize,
    /// Other files under `content/`.
    pub files: usize,
    /// Pages the site would have (0 when the site does not assemble).
    pub pages: usize,
}

impl CheckReport {
    /// The number of errors.
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    /// The number of warnings.
    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }

    /// `Checked 12 articles, 3 files, 40 pages: 2 errors, 1 warning`
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "Checked {}, {}, {}: {}, {}",
            plural(self.articles, "article"),
            plural(self.files, "file"),
            plural(self.pages, "page"),
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning"),
        )
    }
}

/// Problems of a failed stage, as problems.
fn problems_of(err: Error) -> Vec<Problem> {
    match err {
        Error::Input(problems) => problems,
        other => other.to_problems(),
    }
}

/// Checks the site described by `options`. The report has an error exactly when `build`
/// would fail: the output folder is read only to see whether the build would remove most of
/// the pages published there.
pub fn check(options: &BuildOptions) -> CheckReport {
    let mut report = CheckReport::default();
    let inputs = match pipeline::read(&options.root) {
        Ok(inputs) => inputs,
        Err(err) => {
            report.problems = problems_of(err);
            return report;
        }
    };
    report.articles = inputs.loaded.articles.len() + count_failed_files(&inputs.loaded);
    report.files = inputs.loaded.assets.len();
    let theme_files: HashSet<String> = inputs
        .theme
        .as_ref()
        .map(|t| t.static_files.keys().cloned().collect())
        .unwrap_or_default();
    let missing = missing_files(&inputs.loaded, &theme_files);
    let assemble = options.assemble_options(&inputs.config);
    match pipeline::assemble(inputs, assemble, &BodyCache::default()) {
        Err(err) => report.problems.extend(problems_of(err)),
        Ok((site, theme)) => {
            report.problems.extend(site.warnings.iter().cloned());
            match pipeline::plan(site, theme) {
                Err(err) => report.problems.extend(problems_of(err)),
                Ok(mut rendering) => {
                    report.pages = rendering.plan.jobs.len();
                    let mut clock = Stopwatch::new();
                    match pipeline::emit(&mut rendering, &Discard, &mut clock) {
                        Err(err) => report.problems.extend(problems_of(err)),
                        Ok(emitted) => report.problems.extend(mass_removal(options, &emitted)),
                    }
                }
            }
        }
    }
    // The build already warns about missing files next to articles; add the ones it does not
    // see (root-relative links, the front matter's `image`), once each.
    let reported: HashSet<(PathBuf, Option<usize>)> = report
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::MissingFile)
        .map(|p| (p.file.clone(), p.line))
        .collect();
    report.problems.extend(
        missing
            .into_iter()
            .filter(|p| !reported.contains(&(p.file.clone(), p.line))),
    );
    report.problems.sort_by(|a, b| {
        (&a.file, a.line, b.severity, &a.message).cmp(&(&b.file, b.line, a.severity, &b.message))
    });
    report.problems.dedup();
    report
}

/// The error `build` would fail with for removing most of the published pages.
fn mass_removal(options: &BuildOptions, emitted: &pipeline::Emitted) -> Option<Problem> {
    if options.allow_mass_delete {
        return None;
    }
    let output = options.output_dir();
    let message = removal_needing_leave(&output, &emitted.published())?;
    Some(Problem::error(output, message))
}

fn count_failed_files(loaded: &Loaded) -> usize {
    loaded
        .problems
        .iter()
        .map(|p| &p.file)
        .collect::<HashSet<_>>()
        .len()
}

/// Images and files referenced by articles (front matter `image`, body links and images)
/// that are neither under `content/` nor among the theme's static files.
fn missing_files(loaded: &Loaded, theme_files: &HashSet<String>) -> Vec<Problem> {
    let assets: HashSet<&str> = loaded.assets.iter().map(|a| a.source.as_str()).collect();
    let exists = |path: &str| assets.contains(path) || theme_files.contains(path);
    let mut problems = Vec::new();
    for article in &loaded.articles {
        if let Some(image) = &article.image {
            if let Some(target) = local_target(&article.source, image) {
                if !target.is_empty() && !exists(&target) {
                    problems.push(
                        Problem::warning(
                            article.display_path(),
                            format!("image `{image}` does not exist: there is no content/{target}"),
                        )
                        .of_kind(ProblemKind::MissingFile)
                        .in_field("image")
                        .at_line(article.line_of("image")),
                    );
                }
            }
        }
        for (dest, is_image, line) in body_references(article) {
            let Some(target) = local_target(&article.source, &dest) else {
                continue;
            };
            // Links to pages (`/gioi-thieu/`) and to articles (`.md`, checked by the build)
            // are not files.
            let looks_like_file = target
                .rsplit('/')
                .next()
                .is_some_and(|name| name.contains('.'));
            if is_markdown(&target) || target.ends_with(".html") || !looks_like_file {
                continue;
            }
            if !exists(&target) {
                let what = if is_image { "image" } else { "link" };
                problems.push(
                    Problem::warning(
                        article.display_path(),
                        format!("{what} `{dest}` points to content/{target}, which does not exist"),
                    )
                    .of_kind(ProblemKind::MissingFile)
                    .at_line(Some(line)),
                );
            }
        }
    }
    problems
}

/// The path under `content/` that a destination written in `from` names, or `None` for
/// external URLs, fragments and paths that climb out of `content/`.
fn local_target(from: &str, dest: &str) -> Option<String> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let decoded = crate::text::nfc(&decoded).into_owned();
    match decoded.strip_prefix('/') {
        Some(rooted) => join("", rooted),
        None => join(from, &decoded),
    }
}

/// Every link and image destination of an article's body, with its file line.
fn body_references(article: &Article) -> Vec<(String, bool, usize)> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let body = &*crate::markdown::bracket_spaced_addresses(&article.body);
    let mut out = Vec::new();
    let mut line = 1;
    let mut pos = 0;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let (dest, is_image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        line += body[pos..range.start].matches('\n').count();
        pos = range.start;
        out.push((dest.to_string(), is_image, article.body_line + line - 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_targets_resolve_like_links() {
        assert_eq!(
            local_target("2024/03/a.md", "/images/x.svg").as_deref(),
            Some("images/x.svg")
        );
        assert_eq!(
            local_target("2024/03/a.md", "anh%201.jpg?v=2").as_deref(),
            Some("2024/03/anh 1.jpg")
        );
        assert_eq!(
            local_target("2024/03/a.md", "../../files/b.pdf").as_deref(),
            Some("files/b.pdf")
        );
        assert_eq!(local_target("a.md", "../../x.png"), None);
        assert_eq!(local_target("a.md", "https://x.vn/a.png"), None);
        assert_eq!(local_target("a.md", "mailto:a@b.vn"), None);
        assert_eq!(local_target("a.md", "#muc"), None);
    }
}
