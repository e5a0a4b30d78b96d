//! `trangtin import --from-html DIR --rules rules.yaml`: the article pages of an old
//! portal saved by wget become articles at `content/yyyy/mm/<slug>.md`, their images
//! copied beside them, each page's old address an alias (a DNN address with a query string
//! becomes a server rule at build time). Pages that are no article, or lack a title, a
//! date or a known category, are reported one by one and left out.
//!
//! The parts: `rules` (the selectors), `page` (one page → title, date, body, ...),
//! `address` (old addresses and image files of a wget mirror).

mod address;
mod page;
mod rules;

use super::batch::{month_folder, write_planned, Names, Planned};
use super::draft::{lift_featured, Draft};
use super::html::ImageSource;
use crate::config::Config;
use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset};
use rules::{category_key, Rules};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What `trangtin import --from-html` is asked for.
#[derive(Debug, Clone)]
pub struct MirrorRequest {
    /// The site folder.
    pub root: PathBuf,
    /// The mirror's folder (the old portal's root, as wget saved it).
    pub mirror: PathBuf,
    /// The rules file.
    pub rules: PathBuf,
}

/// One article written.
#[derive(Debug, Clone)]
pub struct ImportedPage {
    /// The saved page it came from.
    pub source: PathBuf,
    /// The article.
    pub article: PathBuf,
    /// The images copied beside it.
    pub images: Vec<PathBuf>,
    /// Other saved copies of the same page (same title and date), whose addresses became
    /// aliases too.
    pub copies: Vec<PathBuf>,
    /// What was left out of it (images not in the mirror, embedded frames, ...).
    pub notes: Vec<String>,
}

/// A saved page that did not become an article, and why.
#[derive(Debug, Clone)]
pub struct SkippedPage {
    /// The saved page.
    pub source: PathBuf,
    /// Why (no body, no date, an unknown category, ...).
    pub reason: String,
}

/// What an import of a mirror did, file by file.
#[derive(Debug, Clone, Default)]
pub struct MirrorReport {
    /// The articles written, in the order of their pages' paths.
    pub imported: Vec<ImportedPage>,
    /// The pages left out.
    pub skipped: Vec<SkippedPage>,
}

/// Imports the article pages of a mirror. Errors only for what stops the whole import
/// (the rules, config.yaml, a folder that cannot be read); a page's problems go into the
/// report.
pub fn import_html_mirror(request: &MirrorRequest) -> Result<MirrorReport> {
    let config = Config::load(&request.root)?;
    let rules = Rules::load(&request.rules)?;
    let mut report = MirrorReport::default();
    let mut planned: Vec<Planned> = Vec::new();
    // (title, date) → its index in `planned`: a page saved twice (two addresses) is one
    // article with two aliases.
    let mut seen: HashMap<(String, DateTime<FixedOffset>), usize> = HashMap::new();
    let mut names = Names::default();
    for source in page_files(&request.mirror)? {
        let relative = source.strip_prefix(&request.mirror).unwrap_or(&source);
        let bytes = std::fs::read(&source).map_err(|e| Error::io(&source, e))?;
        let Ok(text) = String::from_utf8(bytes) else {
            report.skipped.push(SkippedPage {
                source,
                reason: "is not UTF-8 text (save the mirror as UTF-8, e.g. with iconv)".into(),
            });
            continue;
        };
        let alias = address::old_address(relative, &rules.old_path, &rules.old_host);
        let mut notes = Vec::new();
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        let read = {
            let mut images = |date: DateTime<FixedOffset>, image: &ImageSource| {
                let folder = month_folder(&request.root, date.with_timezone(&config.timezone));
                let name = mirror_image(
                    &mut names,
                    &folder,
                    &image.src,
                    &source,
                    &request.mirror,
                    &rules,
                );
                match name {
                    Ok((file, name)) => {
                        if !files.iter().any(|(f, _)| *f == file) {
                            files.push((file, name.clone()));
                        }
                        Some(name)
                    }
                    Err(reason) => {
                        notes.push(reason);
                        None
                    }
                }
            };
            page::read(&text, &rules, &mut images)
        };
        let page = match read {
            Ok(page) => page,
            Err(reason) => {
                report.skipped.push(SkippedPage { source, reason });
                continue;
            }
        };
        let category = match resolve_category(&config, &rules, &page.category) {
            Ok(category) => category,
            Err(reason) => {
                report.skipped.push(SkippedPage { source, reason });
                continue;
            }
        };
        let date = page.date.with_timezone(&config.timezone);
        if let Some(&i) = seen.get(&(page.title.clone(), date)) {
            planned[i].draft.aliases.extend(alias);
            planned[i].also.push(source);
            continue;
        }
        let folder = month_folder(&request.root, date);
        let image = page.image.as_ref().and_then(|src| {
            match mirror_image(&mut names, &folder, src, &source, &request.mirror, &rules) {
                Ok((file, name)) => {
                    if !files.iter().any(|(f, _)| *f == file) {
                        files.push((file, name.clone()));
                    }
                    Some(name)
                }
                Err(reason) => {
                    notes.push(format!("featured {reason}"));
                    None
                }
            }
        });
        // The html converter's own note on an image this import explained already.
        let explained = |note: &String| {
            note.strip_prefix("the image ")
                .and_then(|n| n.strip_suffix(" was left out"))
                .is_some_and(|src| notes.iter().any(|m| m.contains(&format!("image {src}: "))))
        };
        let page_notes: Vec<String> = page.notes.into_iter().filter(|n| !explained(n)).collect();
        notes.extend(page_notes);
        let (body, image_caption) = match &image {
            Some(name) => lift_featured(&page.markdown, name),
            None => (page.markdown, None),
        };
        seen.insert((page.title.clone(), date), planned.len());
        planned.push(Planned {
            relative: relative.to_path_buf(),
            source,
            also: Vec::new(),
            folder,
            notes,
            draft: Draft {
                title: page.title,
                date: Some(date),
                category,
                author: page.author,
                author_title: page.author_title,
                summary: page.summary,
                image,
                image_caption,
                aliases: alias.into_iter().collect(),
                body,
                files,
                ..Draft::default()
            },
        });
    }
    let links =
        |plan: &Planned, target: &str| link_key(plan, target, &rules.old_host, &rules.old_path);
    write_planned(planned, &mut report, &links);
    Ok(report)
}

/// The mirror file of an image and its name beside the article in `folder`; `Err` says
/// why it cannot be copied.
fn mirror_image(
    names: &mut Names,
    folder: &Path,
    src: &str,
    page: &Path,
    mirror: &Path,
    rules: &Rules,
) -> std::result::Result<(PathBuf, String), String> {
    let file = address::image_file(src, page, mirror, &rules.old_host, &rules.old_path)
        .ok_or_else(|| format!("image {src}: not an address of the old portal's mirror"))?;
    if !file.is_file() {
        return Err(format!(
            "image {src}: missing from the mirror (no {})",
            file.display()
        ));
    }
    let name = names.name(folder, &file);
    Ok((file, name))
}

/// The new category of a page's old one: through `categories:` of the rules (a new slug or
/// name), else the old name itself when config.yaml has it.
fn resolve_category(
    config: &Config,
    rules: &Rules,
    old: &str,
) -> std::result::Result<String, String> {
    let wanted = rules
        .categories
        .get(&category_key(old))
        .map(String::as_str)
        .unwrap_or(old);
    config_category(config, wanted).ok_or_else(|| {
        if rules.categories.contains_key(&category_key(old)) {
            format!(
                "the category `{old}` maps to `{wanted}` in the rules, which is no category \
                     in config.yaml"
            )
        } else {
            format!(
                "unknown category `{old}`: map it to a category of config.yaml under \
                     `categories:` in the rules"
            )
        }
    })
}

/// The old address a link of an imported page points to, as its aliases are written:
/// absolute paths as they are, the old portal's own full addresses without their host,
/// relative ones (wget's `--convert-links` makes them point at saved files) resolved
/// against the page's place in the mirror. `None` for other hosts and schemes.
fn link_key(plan: &Planned, target: &str, host: &str, base_path: &str) -> Option<String> {
    let target = target.split('#').next().unwrap_or(target);
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let rest = &target[target.find("://")? + 3..];
        let (h, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let bare_host = host.split("://").nth(1).unwrap_or(host);
        return h.eq_ignore_ascii_case(bare_host).then(|| path.to_string());
    }
    if target.starts_with('/') {
        return Some(target.to_string());
    }
    if target.is_empty() || target.split('/').next()?.contains(':') {
        return None;
    }
    let mut parts: Vec<String> = plan
        .relative
        .parent()
        .map(|p| p.iter().map(|c| c.to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part.to_string()),
        }
    }
    address::old_address(Path::new(&parts.join("/")), base_path, host)
}

/// The category of config.yaml named `wanted` (by name, any case, or by slug); `wanted`
/// itself when config.yaml lists no categories.
pub(super) fn config_category(config: &Config, wanted: &str) -> Option<String> {
    let Some(declared) = &config.categories else {
        return Some(crate::text::nfc(wanted.trim()).into_owned());
    };
    let key = category_key(wanted);
    declared
        .iter()
        .find(|c| {
            category_key(&c.name) == key
                || c.slug
                    .as_deref()
                    .unwrap_or(&crate::text::slug::slugify(&c.name))
                    == wanted.trim()
        })
        .map(|c| crate::text::nfc(c.name.trim()).into_owned())
}

/// The saved pages of a mirror, sorted: `.html` and `.htm` files and pages of servers
/// (`.aspx`, `.php`, ... with or without a saved query string).
fn page_files(mirror: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(mirror).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(mirror).to_path_buf();
            Error::io(path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        let page = name.ends_with(".html")
            || name.ends_with(".htm")
            || [".aspx", ".asp", ".php", ".jsp"].iter().any(|e| {
                name.ends_with(e)
                    || name.contains(&format!("{e}@"))
                    || name.contains(&format!("{e}?"))
            });
        if page {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// The report as printed: one line per article, then its notes; one line per page left
/// out with the reason.
pub fn describe(report: &MirrorReport) -> String {
    let mut out = String::new();
    let mut by_source: BTreeMap<&Path, String> = BTreeMap::new();
    for page in &report.imported {
        let mut text = format!(
            "{}: imported as {}\n",
            page.source.display(),
            page.article.display()
        );
        for note in &page.notes {
            text.push_str(&format!("    {note}\n"));
        }
        by_source.insert(&page.source, text);
    }
    for page in &report.skipped {
        by_source.insert(
            &page.source,
            format!("{}: not imported: {}\n", page.source.display(), page.reason),
        );
    }
    for text in by_source.values() {
        out.push_str(text);
    }
    out
}
