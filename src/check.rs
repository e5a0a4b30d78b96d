//! `trangtin check`: everything a build validates (front matter, categories, `.md` links,
//! alias and slug collisions, templates), plus images and files that articles reference but
//! that exist neither under `content/` nor in the theme. Nothing is written.

use crate::build::BuildOptions;
use crate::config::Config;
use crate::content::{self, Article, Loaded};
use crate::error::{Error, Problem};
use crate::render::templates::Theme;
use crate::render::Rendering;
use crate::site::links::{has_scheme, join};
use crate::site::{AssembleOptions, Site};
use chrono::Utc;
use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::collections::HashSet;

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
        Error::Template {
            location, message, ..
        } => {
            let (file, line) = match location.rsplit_once(':') {
                Some((file, line)) if line.parse::<usize>().is_ok() => {
                    (file.to_string(), line.parse().ok())
                }
                _ => (location, None),
            };
            vec![Problem::error(file, message).at_line(line)]
        }
        Error::Io { path, source } => vec![Problem::error(path, source.to_string())],
    }
}

/// Checks the site described by `options` (its `output` is ignored).
pub fn check(options: &BuildOptions) -> CheckReport {
    let mut report = CheckReport::default();
    let config = match Config::load(&options.root) {
        Ok(config) => config,
        Err(err) => {
            report.problems = problems_of(err);
            return report;
        }
    };
    let loaded = match content::load(&options.root, &config) {
        Ok(loaded) => loaded,
        Err(err) => {
            report.problems = problems_of(err);
            return report;
        }
    };
    report.articles = loaded.articles.len() + count_failed_files(&loaded);
    report.files = loaded.assets.len();
    let theme = match Theme::load(&options.root, &config) {
        Ok(theme) => Some(theme),
        Err(err) => {
            report.problems.extend(problems_of(err));
            None
        }
    };
    let theme_files: HashSet<String> = theme
        .as_ref()
        .map(|t| t.static_files.keys().cloned().collect())
        .unwrap_or_default();
    let missing = missing_files(&loaded, &theme_files);

    let now = options
        .now
        .unwrap_or_else(|| Utc::now().with_timezone(&config.timezone));
    let assemble = AssembleOptions {
        drafts: options.drafts,
        now,
    };
    match Site::assemble(config, loaded, assemble) {
        Err(err) => report.problems.extend(problems_of(err)),
        Ok(site) => {
            let warnings = site.warnings.clone();
            report.problems.extend(warnings);
            if let Some(theme) = theme {
                match Rendering::new(site, theme) {
                    Err(err) => report.problems.extend(problems_of(err)),
                    Ok(rendering) => {
                        report.pages = rendering.plan.jobs.len();
                        if let Err(err) = rendering.render_all(&|_, _| Ok(())) {
                            report.problems.extend(problems_of(err));
                        }
                    }
                }
            }
        }
    }
    // The renderer warns about missing files next to articles; `check` reports them (and
    // root-relative ones) as errors, once.
    let flagged: HashSet<(String, Option<usize>)> = missing
        .iter()
        .map(|p| (p.file.to_string_lossy().into_owned(), p.line))
        .collect();
    report.problems.retain(|p| {
        p.is_error()
            || !p.message.ends_with("which does not exist")
            || !flagged.contains(&(p.file.to_string_lossy().into_owned(), p.line))
    });
    report.problems.extend(missing);
    report
        .problems
        .sort_by(|a, b| (&a.file, a.line, b.severity).cmp(&(&b.file, b.line, a.severity)));
    report.problems.dedup();
    report
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
                        Problem::error(
                            article.display_path(),
                            format!("image `{image}` does not exist: there is no content/{target}"),
                        )
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
            if target.ends_with(".md") || target.ends_with(".html") || !looks_like_file {
                continue;
            }
            if !exists(&target) {
                let what = if is_image { "image" } else { "link" };
                problems.push(
                    Problem::error(
                        article.display_path(),
                        format!("{what} `{dest}` points to content/{target}, which does not exist"),
                    )
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
    let decoded = crate::content::text::nfc(&decoded).into_owned();
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
    let body = &article.body;
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
