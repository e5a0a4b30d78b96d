//! An imported article ready to be written: its front matter (every value through
//! [`crate::yaml::quote`]), its body, and the files to copy beside it. Shared by the
//! imports of an old portal's pages and of a WordPress export.

use super::article::write_new;
use crate::error::Result;
use chrono::{DateTime, FixedOffset};
use std::path::{Path, PathBuf};

/// One imported article.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub(crate) title: String,
    /// In the site's time zone.
    pub(crate) date: Option<DateTime<FixedOffset>>,
    pub(crate) category: String,
    pub(crate) author: Option<String>,
    pub(crate) author_title: Option<String>,
    pub(crate) summary: Option<String>,
    /// The featured image's file name, beside the article.
    pub(crate) image: Option<String>,
    pub(crate) image_caption: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) draft: bool,
    pub(crate) aliases: Vec<String>,
    pub(crate) body: String,
    /// (file to copy, its name beside the article).
    pub(crate) files: Vec<(PathBuf, String)>,
}

impl Draft {
    /// The article file's text, NFC.
    pub(crate) fn text(&self) -> String {
        use crate::yaml::quote;
        let mut out = format!("---\ntitle: {}\n", quote(&self.title));
        if let Some(date) = self.date {
            out.push_str(&format!("date: {}\n", date.format("%Y-%m-%d %H:%M:%S")));
        }
        out.push_str(&format!("category: {}\n", quote(&self.category)));
        for (key, value) in [
            ("author", &self.author),
            ("author_title", &self.author_title),
            ("summary", &self.summary),
            ("image", &self.image),
            ("image_caption", &self.image_caption),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                out.push_str(&format!("{key}: {}\n", quote(value)));
            }
        }
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|t| quote(t)).collect();
            out.push_str(&format!("tags: [{}]\n", tags.join(", ")));
        }
        if self.draft {
            out.push_str("draft: true\n");
        }
        if !self.aliases.is_empty() {
            out.push_str("aliases:\n");
            for alias in &self.aliases {
                out.push_str(&format!("  - {}\n", quote(alias)));
            }
        }
        out.push_str("---\n\n");
        out.push_str(&self.body);
        crate::text::nfc(&out).into_owned()
    }

    /// Writes the files, then the article, into `folder` as `{stem}.md`; none replaces a
    /// file (a file already there with the same bytes is shared), and when one cannot be
    /// written those already written are removed again.
    /// Returns the article's path and the files written.
    pub(crate) fn write(&self, folder: &Path, stem: &str) -> Result<(PathBuf, Vec<PathBuf>)> {
        std::fs::create_dir_all(folder).map_err(|e| crate::error::Error::io(folder, e))?;
        let mut written = Vec::new();
        let mut write_all = || -> Result<PathBuf> {
            for (source, name) in &self.files {
                let bytes =
                    std::fs::read(source).map_err(|e| crate::error::Error::io(source, e))?;
                let path = folder.join(name);
                // Another article of this import, in the same folder, shows the same file.
                if std::fs::read(&path).is_ok_and(|there| there == bytes) {
                    continue;
                }
                write_new(&path, &bytes)?;
                written.push(path);
            }
            let article = folder.join(format!("{stem}.md"));
            write_new(&article, self.text().as_bytes())?;
            Ok(article)
        };
        match write_all() {
            Ok(article) => Ok((article, written)),
            Err(err) => {
                for path in &written {
                    let _ = std::fs::remove_file(path);
                }
                Err(err)
            }
        }
    }
}

/// The file name an image gets beside its article: the slug of its own name and its
/// extension in lowercase (`Ảnh Hội nghị.JPG` → `anh-hoi-nghi.jpg`), `anh` when the name
/// has no letters or digits.
pub(crate) fn image_name(original: &str) -> String {
    let file = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let (stem, extension) = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => {
            (stem, format!(".{}", crate::text::slug::slugify(ext)))
        }
        _ => (file, String::new()),
    };
    let slug = crate::text::slug::slugify(stem);
    let slug = if slug.is_empty() {
        "anh".to_string()
    } else {
        slug
    };
    format!("{slug}{extension}")
}

/// Takes the featured image out of the body when the body shows it too (the theme shows
/// it above the body): the paragraph made of it alone goes, and an italic paragraph right
/// after it (its caption) becomes the caption. Returns the body and the caption.
pub(crate) fn lift_featured(markdown: &str, name: &str) -> (String, Option<String>) {
    let mut paragraphs: Vec<&str> = markdown.trim_end().split("\n\n").collect();
    let Some(i) = paragraphs.iter().position(|p| {
        let p = p.trim();
        p.starts_with("![") && p.ends_with(&format!("]({name})")) && !p.contains('\n')
    }) else {
        return (markdown.to_string(), None);
    };
    paragraphs.remove(i);
    let caption = paragraphs
        .get(i)
        .map(|p| p.trim())
        .filter(|p| {
            p.len() > 2
                && p.starts_with('*')
                && p.ends_with('*')
                && !p.starts_with("**")
                && !p[1..p.len() - 1].contains(['*', '\n'])
        })
        .map(|p| p[1..p.len() - 1].replace('\\', ""));
    if caption.is_some() {
        paragraphs.remove(i);
    }
    let mut body = paragraphs.join("\n\n");
    if !body.is_empty() {
        body.push('\n');
    }
    (body, caption)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_quotes_every_value_and_lists_aliases() {
        let draft = Draft {
            title: "Hội nghị: \"tổng kết\"".into(),
            category: "Chung".into(),
            author: Some("Trần Bình".into()),
            aliases: vec!["/Default.aspx?tabid=125&ItemID=1".into()],
            tags: vec!["khoa học".into()],
            draft: true,
            body: "Nội dung.\n".into(),
            ..Draft::default()
        };
        assert_eq!(
            draft.text(),
            "---\ntitle: \"Hội nghị: \\\"tổng kết\\\"\"\ncategory: \"Chung\"\nauthor: \"Trần Bình\"\n\
             tags: [\"khoa học\"]\ndraft: true\naliases:\n  - \"/Default.aspx?tabid=125&ItemID=1\"\n\
             ---\n\nNội dung.\n"
        );
    }

    #[test]
    fn the_featured_image_leaves_the_body_with_its_caption() {
        let body = "Mở đầu.\n\n![Quang cảnh](a.jpg)\n\n*Quang cảnh hội nghị*\n\nHết.\n";
        assert_eq!(
            lift_featured(body, "a.jpg"),
            (
                "Mở đầu.\n\nHết.\n".to_string(),
                Some("Quang cảnh hội nghị".to_string())
            )
        );
        assert_eq!(lift_featured(body, "b.jpg"), (body.to_string(), None));
        assert_eq!(
            lift_featured("![x](a.jpg)\n\n**Đậm**\n", "a.jpg"),
            ("**Đậm**\n".to_string(), None)
        );
    }

    #[test]
    fn two_articles_share_an_identical_file_but_never_replace_another() {
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("anh.jpg");
        std::fs::write(&photo, b"jpeg").unwrap();
        let folder = dir.path().join("content");
        let draft = |title: &str| Draft {
            title: title.into(),
            files: vec![(photo.clone(), "anh.jpg".into())],
            ..Draft::default()
        };
        let (_, first) = draft("Một").write(&folder, "mot").unwrap();
        assert_eq!(first, vec![folder.join("anh.jpg")]);
        let (article, second) = draft("Hai").write(&folder, "hai").unwrap();
        assert!(second.is_empty() && article.is_file());
        std::fs::write(&photo, b"khac").unwrap();
        assert!(draft("Ba").write(&folder, "ba").is_err());
        assert!(!folder.join("ba.md").exists());
        assert_eq!(std::fs::read(folder.join("anh.jpg")).unwrap(), b"jpeg");
    }

    #[test]
    fn the_article_text_is_nfc() {
        let draft = Draft {
            title: "Vie\u{0302}\u{0323}t".into(),
            author: Some("Tra\u{0302}\u{0300}n".into()),
            ..Draft::default()
        };
        let text = draft.text();
        assert!(text.contains("title: \"Việt\"\n"), "{text}");
        assert!(text.contains("author: \"Trần\"\n"), "{text}");
    }

    #[test]
    fn image_names_are_slugs_with_their_extension() {
        assert_eq!(image_name("Portals/0/Ảnh Hội nghị.JPG"), "anh-hoi-nghi.jpg");
        assert_eq!(image_name("…"), "anh");
        assert_eq!(image_name("a/.png"), "png");
    }
}
