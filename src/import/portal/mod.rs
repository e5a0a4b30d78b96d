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

use super::draft::{image_name, lift_featured, Draft};
use super::html::ImageSource;
use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset};
use rules::{category_key, Rules};
use std::collections::{BTreeMap, HashMap, HashSet};
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
                let name = names.image(&folder, &image.src, &source, &request.mirror, &rules);
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
            match names.image(&folder, src, &source, &request.mirror, &rules) {
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
    write_planned(planned, &mut report);
    Ok(report)
}

/// An article read and waiting to be written.
pub(super) struct Planned {
    pub(super) source: PathBuf,
    /// Other saved copies of the same article.
    pub(super) also: Vec<PathBuf>,
    pub(super) folder: PathBuf,
    pub(super) notes: Vec<String>,
    pub(super) draft: Draft,
}
/// Writes the articles read, each as `<slug>.md` (`<slug>-2.md`, ... when an article of
/// this import took the name), into the report; an article whose file exists already is
/// left out, so importing again overwrites nothing.
pub(super) fn write_planned(planned: Vec<Planned>, report: &mut MirrorReport) {
    let mut stems: HashSet<PathBuf> = HashSet::new();
    for plan in planned {
        let slug = crate::text::slug::slugify(&plan.draft.title);
        let slug = if slug.is_empty() {
            "bai-viet".to_string()
        } else {
            slug
        };
        if plan.folder.join(format!("{slug}.md")).exists() {
            report.skipped.push(SkippedPage {
                source: plan.source,
                reason: format!(
                    "{} already exists (imported before?); it was not overwritten",
                    plan.folder.join(format!("{slug}.md")).display()
                ),
            });
            continue;
        }
        let stem = (1..)
            .map(|n| {
                if n == 1 {
                    slug.clone()
                } else {
                    format!("{slug}-{n}")
                }
            })
            .find(|stem| {
                let path = plan.folder.join(format!("{stem}.md"));
                !path.exists() && !stems.contains(&path)
            })
            .unwrap_or(slug);
        stems.insert(plan.folder.join(format!("{stem}.md")));
        match plan.draft.write(&plan.folder, &stem) {
            Ok((article, images)) => report.imported.push(ImportedPage {
                source: plan.source,
                article,
                images,
                copies: plan.also,
                notes: plan.notes,
            }),
            Err(err) => report.skipped.push(SkippedPage {
                source: plan.source,
                reason: format!("could not be written: {err}"),
            }),
        }
    }
}

/// `content/yyyy/mm` of a date.
pub(super) fn month_folder(root: &Path, date: DateTime<FixedOffset>) -> PathBuf {
    root.join(CONTENT_DIR)
        .join(date.format("%Y").to_string())
        .join(date.format("%m").to_string())
}

/// The names images get in each folder: unique there (on disk and in this import), the
/// same for the same source file.
#[derive(Default)]
pub(super) struct Names {
    given: HashMap<(PathBuf, PathBuf), String>,
    taken: HashMap<PathBuf, HashSet<String>>,
}

impl Names {
    /// The mirror file of an image and its name beside the article in `folder`; `Err`
    /// says why it cannot be copied.
    fn image(
        &mut self,
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
        let name = self.name(folder, &file);
        Ok((file, name))
    }

    /// The name of `file` copied into `folder`: its own slugified, numbered when the
    /// name is taken there.
    pub(super) fn name(&mut self, folder: &Path, file: &Path) -> String {
        if let Some(name) = self.given.get(&(folder.to_path_buf(), file.to_path_buf())) {
            return name.clone();
        }
        let wanted = image_name(&file.to_string_lossy());
        let (stem, extension) = match wanted.rsplit_once('.') {
            Some((s, e)) => (s.to_string(), format!(".{e}")),
            None => (wanted.clone(), String::new()),
        };
        let taken = self.taken.entry(folder.to_path_buf()).or_default();
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    wanted.clone()
                } else {
                    format!("{stem}-{n}{extension}")
                }
            })
            .find(|name| !taken.contains(name) && !folder.join(name).exists())
            .unwrap_or(wanted);
        taken.insert(name.clone());
        self.given
            .insert((folder.to_path_buf(), file.to_path_buf()), name.clone());
        name
    }
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
