//! A converted document into a site: a draft at `content/yyyy/mm/<slug>.md` with its images
//! beside it, front matter written as `trangtin new` writes it, every file written whole
//! (a temporary file renamed into place) and none overwritten.

use super::{Document, Report};
use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::error::{Error, Problem, Result};
use crate::scaffold::resolve_category;
use crate::text::slug::slugify;
use crate::yaml::quote;
use chrono::{DateTime, FixedOffset, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `trangtin import` is asked for.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The site folder.
    pub root: PathBuf,
    /// The .docx file.
    pub file: PathBuf,
    /// The category as the user typed it (default: the first in config.yaml).
    pub category: Option<String>,
    /// The title (default: the document's own).
    pub title: Option<String>,
    /// The author (default: the config's `default_author`).
    pub author: Option<String>,
    /// The date as written in front matter (default: `now`).
    pub date: Option<String>,
    /// The moment taken as now (default: the clock, in the site's time zone).
    pub now: Option<DateTime<FixedOffset>>,
}

/// What an import wrote.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The article.
    pub article: PathBuf,
    /// Its images, beside it.
    pub images: Vec<PathBuf>,
    /// The title used.
    pub title: String,
    /// The category used.
    pub category: String,
    /// What could not be converted.
    pub report: Report,
}

fn input_error(file: impl Into<PathBuf>, message: impl Into<String>) -> Error {
    Error::Input(vec![Problem::error(file, message)])
}

/// Imports a .docx into the site as a draft. Nothing is written when the file cannot be
/// converted, the category is unknown or the date is wrong.
pub fn import_docx(request: &ImportRequest) -> Result<Imported> {
    let config = Config::load(&request.root)?;
    let category = match &request.category {
        Some(name) => resolve_category(&config, name)?,
        None => match config.categories.as_ref().and_then(|c| c.first()) {
            Some(first) => crate::text::nfc(first.name.trim()).into_owned(),
            None => {
                return Err(input_error(
                    "--category",
                    "config.yaml lists no categories; give one with --category",
                ))
            }
        },
    };
    let date = match &request.date {
        Some(text) => crate::text::date::parse_date(text, config.timezone)
            .map_err(|m| Error::Input(vec![Problem::error("--date", m).in_field("date")]))?,
        None => request
            .now
            .unwrap_or_else(|| Utc::now().with_timezone(&config.timezone)),
    };
    let bytes = std::fs::read(&request.file).map_err(|e| Error::io(&request.file, e))?;
    let document = Document::read(&bytes).map_err(|e| input_error(&request.file, e.to_string()))?;
    let title = match request
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(title) => crate::text::nfc(title).into_owned(),
        None => document.title().ok_or_else(|| {
            input_error(
                &request.file,
                "has no text to take a title from; give one with --title",
            )
        })?,
    };
    let slug = slugify(&title);
    if slug.is_empty() {
        return Err(input_error(
            "--title",
            format!("`{title}` has no letters or digits to make a file name from"),
        ));
    }
    let folder = request
        .root
        .join(CONTENT_DIR)
        .join(date.format("%Y").to_string())
        .join(date.format("%m").to_string());
    let stem = free_stem(&folder, &slug, document.image_count())?;
    let converted = document.convert(Some(&title), &stem);
    let author = request
        .author
        .clone()
        .or_else(|| config.default_author.clone())
        .unwrap_or_default();
    let text = format!(
        "---\ntitle: {}\ndate: {}\ncategory: {}\nauthor: {}\ntags: []\nsummary: \"\"\n\
         draft: true\n---\n\n{}",
        quote(&title),
        date.format("%Y-%m-%d %H:%M:%S"),
        quote(&category),
        quote(&crate::text::nfc(author.trim())),
        converted.markdown,
    );
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    // Images first, so that the article never exists without them; all removed again if
    // any file cannot be written.
    let mut written = Vec::new();
    let mut write_all = || -> Result<PathBuf> {
        for image in &converted.images {
            let path = folder.join(&image.name);
            write_new(&path, &image.bytes)?;
            written.push(path);
        }
        let article = folder.join(format!("{stem}.md"));
        write_new(&article, text.as_bytes())?;
        Ok(article)
    };
    let article = match write_all() {
        Ok(article) => article,
        Err(err) => {
            for path in &written {
                let _ = std::fs::remove_file(path);
            }
            return Err(err);
        }
    };
    Ok(Imported {
        article,
        images: written,
        title,
        category,
        report: converted.report,
    })
}

/// The slug, or `slug-2`, `slug-3`, ...: the first whose article and images are all free.
fn free_stem(folder: &Path, slug: &str, images: usize) -> Result<String> {
    for n in 1..=99 {
        let stem = if n == 1 {
            slug.to_string()
        } else {
            format!("{slug}-{n}")
        };
        let taken = |name: String| folder.join(name).exists();
        let images_taken = (1..=images).any(|i| {
            ["jpg", "png", "webp"]
                .iter()
                .any(|ext| taken(format!("{stem}-{i}.{ext}")))
        });
        if !taken(format!("{stem}.md")) && !images_taken {
            return Ok(stem);
        }
    }
    Err(input_error(
        folder.join(format!("{slug}.md")),
        "already exists, and so do 98 numbered copies; give another --title",
    ))
}

/// Writes a file whole under a temporary name, then renames it into place without
/// replacing a file that appeared meanwhile.
pub(super) fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".trangtin-import-")
        .tempfile_in(folder)
        .map_err(|e| Error::io(folder, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io(temp.path(), e))?;
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            input_error(path, "already exists; it was not overwritten")
        } else {
            Error::io(path, e.error)
        }
    })?;
    Ok(())
}
