//! `trangtin import --from-wordpress export.xml`: the posts of a WordPress export (WXR,
//! Tools → Export) become articles: title, date (`wp:post_date` is the blog's local time,
//! UTC+7 unless told), category, tags, author, excerpt, drafts as `draft: true`, the
//! content through [`super::html::html_to_markdown`], the old permalink and `?p=ID`
//! shortlink as aliases. Images under `wp-content/uploads/` are copied from the uploads
//! folder when one is given. Pages, attachments and menu items are not articles.

use super::batch::{month_folder, write_planned, Names, Planned};
use super::draft::{lift_featured, Draft};
use super::html::{html_to_markdown, ImageSource};
use super::portal::{config_category, MirrorReport, SkippedPage};
use super::xml::{self, Element};
use crate::config::Config;
use crate::error::{Error, Problem, Result};
use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What `trangtin import --from-wordpress` is asked for.
#[derive(Debug, Clone)]
pub struct WordpressRequest {
    /// The site folder.
    pub root: PathBuf,
    /// The export file (WXR).
    pub file: PathBuf,
    /// The blog's `wp-content/uploads` folder, copied from its server.
    pub uploads: Option<PathBuf>,
    /// The blog's time zone (default UTC+7).
    pub timezone: Option<FixedOffset>,
    /// The category for posts whose own is not one of config.yaml's.
    pub category: Option<String>,
}

/// Imports the posts of a WordPress export. Errors for what stops the whole import (the
/// file cannot be read or is no WXR, config.yaml); a post's problems go into the report.
pub fn import_wordpress(request: &WordpressRequest) -> Result<MirrorReport> {
    let config = Config::load(&request.root)?;
    let bytes = std::fs::read(&request.file).map_err(|e| Error::io(&request.file, e))?;
    let input = |message: String| Error::Input(vec![Problem::error(&request.file, message)]);
    let rss = xml::parse(&bytes).map_err(|m| input(format!("is not a WordPress export: {m}")))?;
    let channel = rss
        .child("channel")
        .filter(|_| rss.name == "rss")
        .ok_or_else(|| input("is not a WordPress export (no <rss><channel>)".into()))?;
    let base = child_text(channel, "wp:base_site_url")
        .or_else(|| child_text(channel, "link"))
        .unwrap_or_default();
    let zone = request
        .timezone
        .unwrap_or_else(|| FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset"));
    let authors: HashMap<String, String> = channel
        .elements()
        .filter(|e| e.name == "wp:author")
        .filter_map(|a| {
            Some((
                child_text(a, "wp:author_login")?,
                child_text(a, "wp:author_display_name")?,
            ))
        })
        .collect();
    let items: Vec<&Element> = channel.elements().filter(|e| e.name == "item").collect();
    let attachments: HashMap<String, String> = items
        .iter()
        .filter(|i| child_text(i, "wp:post_type").as_deref() == Some("attachment"))
        .filter_map(|i| {
            Some((
                child_text(i, "wp:post_id")?,
                child_text(i, "wp:attachment_url")?,
            ))
        })
        .collect();
    let mut report = MirrorReport::default();
    let mut planned = Vec::new();
    let mut names = Names::default();
    for item in items {
        if child_text(item, "wp:post_type")
            .as_deref()
            .unwrap_or("post")
            != "post"
        {
            continue;
        }
        let id = child_text(item, "wp:post_id").unwrap_or_default();
        let title = child_text(item, "title").unwrap_or_default();
        let source = PathBuf::from(format!(
            "{}: post {id} \"{}\"",
            request.file.display(),
            title.chars().take(60).collect::<String>()
        ));
        let skip = |report: &mut MirrorReport, reason: String| {
            report.skipped.push(SkippedPage {
                source: source.clone(),
                reason,
            })
        };
        let status = child_text(item, "wp:status").unwrap_or_default();
        if status == "trash" || status == "auto-draft" || status == "inherit" {
            continue;
        }
        if title.is_empty() {
            skip(&mut report, "has no title".into());
            continue;
        }
        let Some(date) = child_text(item, "wp:post_date")
            .and_then(|d| NaiveDateTime::parse_from_str(&d, "%Y-%m-%d %H:%M:%S").ok())
            .filter(|d| d.and_utc().timestamp() > 0)
            .and_then(|d| zone.from_local_datetime(&d).single())
        else {
            skip(&mut report, "has no date (wp:post_date)".into());
            continue;
        };
        let date = date.with_timezone(&config.timezone);
        let categories: Vec<&Element> = item
            .elements()
            .filter(|e| e.name == "category" && e.attr("domain") == Some("category"))
            .collect();
        let category = categories
            .iter()
            .find_map(|c| {
                config_category(&config, &c.text())
                    .or_else(|| config_category(&config, c.attr("nicename")?))
            })
            .or_else(|| {
                request
                    .category
                    .as_deref()
                    .and_then(|c| config_category(&config, c))
            });
        let Some(category) = category else {
            let names: Vec<String> = categories
                .iter()
                .map(|c| format!("`{}`", c.text()))
                .collect();
            skip(
                &mut report,
                format!(
                    "its categories ({}) are not in config.yaml; add them, or give --category \
                     for such posts",
                    if names.is_empty() {
                        "none".into()
                    } else {
                        names.join(", ")
                    }
                ),
            );
            continue;
        };
        let tags: Vec<String> = item
            .elements()
            .filter(|e| e.name == "category" && e.attr("domain") == Some("post_tag"))
            .map(|e| crate::text::nfc(e.text().trim()).into_owned())
            .filter(|t| !t.is_empty())
            .collect();
        let folder = month_folder(&request.root, date);
        let mut notes = Vec::new();
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        let mut copy = |src: &str, notes: &mut Vec<String>| -> Option<String> {
            match upload_file(src, request.uploads.as_deref()) {
                Ok(file) => {
                    let name = names.name(&folder, &file);
                    if !files.iter().any(|(f, _)| *f == file) {
                        files.push((file, name.clone()));
                    }
                    Some(name)
                }
                Err(reason) => {
                    notes.push(format!("image {src}: {reason}"));
                    None
                }
            }
        };
        let content = child_text(item, "content:encoded").unwrap_or_default();
        let mut body_notes = Vec::new();
        let converted = html_to_markdown(&autop(&content), &mut |image: &ImageSource| {
            copy(&image.src, &mut body_notes)
        });
        notes.extend(body_notes);
        notes.extend(
            converted
                .notes
                .into_iter()
                .filter(|n| !(n.starts_with("the image ") && n.ends_with(" was left out"))),
        );
        let image = item
            .elements()
            .filter(|e| e.name == "wp:postmeta")
            .find(|m| child_text(m, "wp:meta_key").as_deref() == Some("_thumbnail_id"))
            .and_then(|m| child_text(m, "wp:meta_value"))
            .and_then(|id| attachments.get(&id))
            .and_then(|url| copy(url, &mut notes));
        let mut aliases: Vec<String> = child_text(item, "link")
            .and_then(|link| old_path(&link, &base))
            .into_iter()
            .collect();
        if !id.is_empty() {
            aliases.extend(old_path(
                &format!("{}/?p={id}", base.trim_end_matches('/')),
                &base,
            ));
        }
        aliases.dedup();
        let (body, image_caption) = match &image {
            Some(name) => lift_featured(&converted.markdown, name),
            None => (converted.markdown, None),
        };
        let author = child_text(item, "dc:creator")
            .map(|login| authors.get(&login).cloned().unwrap_or(login));
        planned.push(Planned {
            relative: PathBuf::new(),
            source,
            also: Vec::new(),
            folder,
            notes,
            draft: Draft {
                title: crate::text::nfc(&title).into_owned(),
                date: Some(date),
                category,
                author,
                summary: child_text(item, "excerpt:encoded")
                    .map(|e| super::model::collapse_spaces(&strip_tags(&e))),
                image,
                image_caption,
                tags,
                draft: matches!(status.as_str(), "draft" | "pending" | "private"),
                aliases,
                body,
                files,
                ..Draft::default()
            },
        });
    }
    let links = |_: &Planned, target: &str| {
        if target.starts_with('/') {
            Some(target.to_string())
        } else {
            old_path(target, &base)
        }
    };
    write_planned(planned, &mut report, &links);
    Ok(report)
}

/// The trimmed text of a child element, when it has some.
fn child_text(element: &Element, name: &str) -> Option<String> {
    let text = element.child(name)?.text();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The file under the uploads folder of an image address
/// (`https://blog/wp-content/uploads/2020/10/anh.jpg` → `UPLOADS/2020/10/anh.jpg`).
fn upload_file(src: &str, uploads: Option<&Path>) -> std::result::Result<PathBuf, String> {
    const MARK: &str = "/wp-content/uploads/";
    let at = src
        .find(MARK)
        .ok_or("not under wp-content/uploads/: left out")?;
    let uploads =
        uploads.ok_or("left out (give --uploads with the blog's wp-content/uploads folder)")?;
    let rest = &src[at + MARK.len()..];
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy();
    if decoded.split('/').any(|p| p == ".." || p.is_empty()) {
        return Err("not a file of the uploads folder: left out".into());
    }
    let file = uploads.join(decoded.as_ref());
    if file.is_file() {
        Ok(file)
    } else {
        Err(format!(
            "missing from the uploads folder (no {})",
            file.display()
        ))
    }
}

/// The path and query of a permalink of the blog (`https://blog/2020/10/13/hoi-nghi/` →
/// `/2020/10/13/hoi-nghi/`); `None` for other hosts and the home page.
fn old_path(link: &str, base: &str) -> Option<String> {
    let host_of = |url: &str| {
        let rest = url.split_once("://")?.1;
        Some(rest.split('/').next()?.to_ascii_lowercase())
    };
    if host_of(link)? != host_of(base)? {
        return None;
    }
    let rest = link.split_once("://")?.1;
    let path = &rest[rest.find('/')?..];
    let path = path.split('#').next().unwrap_or(path);
    (path != "/").then(|| path.to_string())
}

/// WordPress's classic editor stores paragraphs as blank lines and line breaks as line
/// feeds (its `wpautop` adds the tags when a page is shown): text with no block tag gets
/// `<p>` and `<br>`. Block-editor content (`<!-- wp:paragraph -->`, `<p>`) is left alone.
fn autop(content: &str) -> String {
    let content = &captions(content);
    let lower = content.to_ascii_lowercase();
    if ["<p>", "<p ", "<!-- wp:"].iter().any(|t| lower.contains(t)) {
        return content.to_string();
    }
    let normalized = content.replace("\r\n", "\n");
    normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let block = [
                "<ul",
                "<ol",
                "<table",
                "<h1",
                "<h2",
                "<h3",
                "<h4",
                "<h5",
                "<h6",
                "<blockquote",
                "<div",
                "<figure",
                "[caption",
            ]
            .iter()
            .any(|t| p.to_ascii_lowercase().starts_with(t));
            if block {
                p.to_string()
            } else {
                format!("<p>{}</p>", p.replace('\n', "<br>\n"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `[caption id="..." width="600"]<img ...> Chú thích[/caption]`, the classic editor's
/// captioned image, as a figure: the image (or the link around it), then the caption.
fn captions(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("[caption") {
        let Some(open_end) = rest[start..].find(']').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("[/caption]").map(|i| open_end + i) else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[open_end..close];
        let split = inner.rfind('>').map_or(0, |i| i + 1);
        out.push_str(&format!(
            "<figure>{}<figcaption>{}</figcaption></figure>",
            &inner[..split],
            &inner[split..]
        ));
        rest = &rest[close + "[/caption]".len()..];
    }
    out.push_str(rest);
    out
}

/// The text of a little HTML (an excerpt).
fn strip_tags(html: &str) -> String {
    let document = scraper::Html::parse_fragment(html);
    document.root_element().text().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_editor_text_gets_paragraphs_and_line_breaks() {
        assert_eq!(
            autop("Một\ndòng hai\r\n\r\nĐoạn <b>hai</b>\n\n<ul><li>a</li></ul>"),
            "<p>Một<br>\ndòng hai</p>\n<p>Đoạn <b>hai</b></p>\n<ul><li>a</li></ul>"
        );
        let block = "<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph -->";
        assert_eq!(autop(block), block);
    }

    #[test]
    fn caption_shortcodes_become_figures() {
        assert_eq!(
            captions("a [caption id=\"x\" width=\"600\"]<img src=\"b.jpg\"> Chú thích[/caption] c [caption"),
            "a <figure><img src=\"b.jpg\"><figcaption> Chú thích</figcaption></figure> c [caption"
        );
    }

    #[test]
    fn permalinks_of_the_blog_become_paths() {
        let base = "https://tin.example.gov.vn";
        assert_eq!(
            old_path("https://tin.example.gov.vn/2020/10/13/hoi-nghi/", base).as_deref(),
            Some("/2020/10/13/hoi-nghi/")
        );
        assert_eq!(
            old_path("https://TIN.example.gov.vn/?p=12", base).as_deref(),
            Some("/?p=12")
        );
        assert_eq!(old_path("https://khac.vn/a/", base), None);
        assert_eq!(old_path("https://tin.example.gov.vn/", base), None);
    }

    #[test]
    fn uploads_are_found_under_the_uploads_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("2020/10")).unwrap();
        std::fs::write(dir.path().join("2020/10/ảnh 1.jpg"), b"x").unwrap();
        let src = "https://tin.example.gov.vn/wp-content/uploads/2020/10/%E1%BA%A3nh%201.jpg?x=1";
        assert_eq!(
            upload_file(src, Some(dir.path())),
            Ok(dir.path().join("2020/10/ảnh 1.jpg"))
        );
        assert!(upload_file(src, None).unwrap_err().contains("--uploads"));
        assert!(upload_file(
            "https://x/wp-content/uploads/../../etc/passwd",
            Some(dir.path())
        )
        .is_err());
        assert!(upload_file("https://x/anh.jpg", Some(dir.path())).is_err());
    }
}
