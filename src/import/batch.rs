//! Writing many imported articles at once (an old portal's pages, a WordPress export):
//! their file names, the names of their images, links between them made into links to
//! their `.md` files, and the report of what was written.

use super::draft::{image_name, Draft};
use super::portal::{ImportedPage, MirrorReport, SkippedPage};
use crate::content::CONTENT_DIR;
use chrono::{DateTime, FixedOffset};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// An article read and waiting to be written.
pub(super) struct Planned {
    /// Where it was read (a saved page, a post of an export), for the report.
    pub(super) source: PathBuf,
    /// Its place inside the mirror (to resolve its relative links); empty otherwise.
    pub(super) relative: PathBuf,
    /// Other saved copies of the same article.
    pub(super) also: Vec<PathBuf>,
    /// `content/yyyy/mm`.
    pub(super) folder: PathBuf,
    /// What was left out of it.
    pub(super) notes: Vec<String>,
    pub(super) draft: Draft,
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

/// Writes the articles read, each as `<slug>.md` (`<slug>-2.md`, ... when an article of
/// this import took the name), into the report; an article whose file exists already is
/// left out, so importing again overwrites nothing. A link of one article to an old
/// address of another (`link_key` says which old address a link target is) becomes a
/// link to that article's `.md` file, which the build turns into its URL.
pub(super) fn write_planned(
    planned: Vec<Planned>,
    report: &mut MirrorReport,
    link_key: &dyn Fn(&Planned, &str) -> Option<String>,
) {
    let mut stems: HashSet<PathBuf> = HashSet::new();
    let mut ready: Vec<(Planned, String)> = Vec::new();
    for plan in planned {
        let slug = crate::text::slug::slugify(&plan.draft.title);
        let slug = if slug.is_empty() {
            "bai-viet".to_string()
        } else {
            slug
        };
        let first = plan.folder.join(format!("{slug}.md"));
        if first.exists() {
            report.skipped.push(SkippedPage {
                source: plan.source,
                reason: format!(
                    "{} already exists (imported before?); it was not overwritten",
                    first.display()
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
        ready.push((plan, stem));
    }
    // Old address → the article's file, from the folder of any article
    // (`../../yyyy/mm/<stem>.md`).
    let mut files: HashMap<String, String> = HashMap::new();
    for (plan, stem) in &ready {
        let month: Vec<String> = plan
            .folder
            .iter()
            .rev()
            .take(2)
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        if let [mm, yyyy] = month.as_slice() {
            for alias in &plan.draft.aliases {
                files.insert(key(alias), format!("../../{yyyy}/{mm}/{stem}.md"));
            }
        }
    }
    for (mut plan, stem) in ready {
        plan.draft.body = rewrite_links(&plan.draft.body, &mut |target| {
            files.get(&key(&link_key(&plan, target)?)).cloned()
        });
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

/// How old addresses are compared, as the servers' rules compare them: percent-decoded,
/// A–Z in any case.
fn key(address: &str) -> String {
    percent_encoding::percent_decode_str(address)
        .decode_utf8_lossy()
        .to_lowercase()
}

/// Replaces the target of each Markdown link (`[text](target)`, as `import::markdown`
/// writes them) for which `new` gives one; images (`![alt](file)`) are left alone.
fn rewrite_links(markdown: &str, new: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        let start = at + 2;
        let Some(end) = rest[start..].find(')').map(|i| start + i) else {
            break;
        };
        let target = &rest[start..end];
        let image = rest[..at]
            .rfind('[')
            .is_some_and(|open| rest[..open].ends_with('!'));
        out.push_str(&rest[..start]);
        match new(target).filter(|_| !image) {
            Some(replacement) => out.push_str(&replacement),
            None => out.push_str(target),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_rewritten_and_images_left_alone() {
        let markdown = "Xem [bài](/Default.aspx?tabid=1&ItemID=2) và [khác](/x)\n\n\
                        ![ảnh](/Default.aspx?tabid=1&ItemID=2)\n";
        let out = rewrite_links(markdown, &mut |t| {
            (key(t) == "/default.aspx?tabid=1&itemid=2").then(|| "../../2020/10/a.md".to_string())
        });
        assert_eq!(
            out,
            "Xem [bài](../../2020/10/a.md) và [khác](/x)\n\n![ảnh](/Default.aspx?tabid=1&ItemID=2)\n"
        );
    }

    #[test]
    fn keys_ignore_case_and_percent_encoding() {
        assert_eq!(key("/Tin%20c%C5%A9.aspx"), key("/tin cũ.aspx"));
    }
}
