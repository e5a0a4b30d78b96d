//! Resolves link and image destinations written in articles against the site.

use crate::content::{is_document, is_markdown};
use crate::markdown::LinkTarget;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::collections::{HashMap, HashSet};

/// Characters escaped in generated URL paths (non-ASCII is escaped too).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'?')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// A link of an article's body whose target depends on which articles and files exist, as it
/// was resolved when the body was rendered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkUse {
    /// The address as written.
    pub dest: String,
    /// Whether it is an image's.
    pub is_image: bool,
    /// What it became.
    pub target: LinkTarget,
}

impl LinkUse {
    /// Whether the link of the article `from` resolves to the same target with `table`.
    pub fn resolves_the_same(&self, table: &LinkTable, from: &str) -> bool {
        table.resolve(from, &self.dest, self.is_image) == self.target
    }
}

/// What a link may point at.
#[derive(Debug, Default, Clone)]
pub struct LinkTable {
    /// The site's base path (`/` or `/tin-tuc/`).
    pub base_path: String,
    /// Source path (`2020/10/x.md`) → its URL when published, or `Err(reason)` when held back.
    pub articles: HashMap<String, Result<String, &'static str>>,
    /// Source paths of non-Markdown files under `content/`.
    pub assets: HashSet<String>,
}

impl LinkTable {
    /// Whether what `dest` becomes depends on which articles and files exist: relative
    /// paths and `.md` links do; external URLs, fragments and root-relative URLs do not.
    pub fn depends_on_targets(dest: &str) -> bool {
        let dest = dest.trim();
        let path = dest.split(['#', '?']).next().unwrap_or("");
        !(dest.is_empty()
            || dest.starts_with('#')
            || dest.starts_with("//")
            || has_scheme(dest)
            || (dest.starts_with('/') && !is_markdown(path)))
    }

    /// The file under `content/` that an attachment written in `from` names (relative, or
    /// root-relative), or why there is none.
    pub fn attachment(&self, from: &str, dest: &str) -> Result<String, String> {
        let dest = dest.trim();
        let path = dest.split(['#', '?']).next().unwrap_or("");
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        let decoded = crate::text::nfc(&decoded).into_owned();
        let target = match decoded.strip_prefix('/') {
            Some(rooted) => Some(rooted.to_string()),
            None => join(from, &decoded),
        };
        match target {
            Some(target) if self.assets.contains(target.as_str()) => Ok(target),
            Some(target) => Err(format!(
                "attachment `{dest}` points to content/{target}, which does not exist"
            )),
            None => Err(format!("attachment `{dest}` points outside content/")),
        }
    }

    /// The URL of a file under `content/` (`files/QĐ 456.pdf` → `/files/Q%C4%90%20456.pdf`).
    pub fn url_of_asset(&self, source: &str) -> String {
        format!("{}{}", self.base_path, utf8_percent_encode(source, PATH))
    }

    /// Decides what a destination written in `from` (a source path) becomes.
    pub fn resolve(&self, from: &str, dest: &str, is_image: bool) -> LinkTarget {
        let dest = dest.trim();
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
            return LinkTarget::Keep;
        }
        let (path, suffix) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        let decoded = crate::text::nfc(&decoded).into_owned();
        let target = match decoded.strip_prefix('/') {
            Some(rooted) if !is_markdown(&decoded) => {
                // Written again percent-encoded: a space (a phone's or Word's file name) is
                // not valid in an address.
                let encoded = utf8_percent_encode(rooted, PATH);
                return LinkTarget::Rewrite(format!("{}{encoded}{suffix}", self.base_path));
            }
            Some(rooted) => Some(rooted.to_string()),
            None => join(from, &decoded),
        };
        let Some(target) = target else {
            return LinkTarget::Broken(format!("link `{dest}` points outside content/"));
        };
        if is_markdown(&target) {
            return match self.articles.get(target.as_str()) {
                Some(Ok(url)) => LinkTarget::Rewrite(format!("{url}{suffix}")),
                Some(Err(reason)) => LinkTarget::PlainText(format!(
                    "link `{dest}` points to content/{target}, which is {reason}; \
                     it is shown as plain text until that article is published"
                )),
                None => LinkTarget::Broken(format!(
                    "broken link `{dest}`: there is no content/{target}"
                )),
            };
        }
        if self.assets.contains(target.as_str()) {
            return LinkTarget::Rewrite(format!("{}{suffix}", self.url_of_asset(&target)));
        }
        if !is_image && is_document(&target) {
            return LinkTarget::Broken(format!(
                "attachment `{dest}` points to content/{target}, which does not exist"
            ));
        }
        let looks_like_file = target.rsplit('/').next().is_some_and(|n| n.contains('.'));
        if looks_like_file {
            let what = if is_image { "image" } else { "link" };
            return LinkTarget::MissingFile(format!(
                "{what} `{dest}` points to content/{target}, which does not exist"
            ));
        }
        LinkTarget::Keep
    }
}

/// `mailto:`, `https:`, `tel:`, `data:` ...: a scheme before any `/`, `?` or `#`.
pub fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Joins a relative path to the folder of `from`, resolving `.` and `..`.
/// `None` when it climbs out of `content/`.
pub fn join(from: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> LinkTable {
        LinkTable {
            base_path: "/tin-tuc/".into(),
            articles: HashMap::from([
                ("2020/10/a.md".into(), Ok("/tin-tuc/chung/a/".into())),
                ("2021/01/nhap.md".into(), Err("a draft")),
            ]),
            assets: HashSet::from([
                "2020/10/ảnh hội nghị.jpg".into(),
                "files/bao-cao.pdf".into(),
            ]),
        }
    }

    #[test]
    fn rewrites_relative_md_links_to_article_urls() {
        let t = table();
        assert_eq!(
            t.resolve("2021/02/b.md", "../../2020/10/a.md#ket-qua", false),
            LinkTarget::Rewrite("/tin-tuc/chung/a/#ket-qua".into())
        );
    }

    #[test]
    fn unpublished_targets_become_plain_text_and_missing_ones_fail() {
        let t = table();
        assert!(matches!(
            t.resolve("2021/02/b.md", "../01/nhap.md", false),
            LinkTarget::PlainText(_)
        ));
        match t.resolve("2021/02/b.md", "khong-co.md", false) {
            LinkTarget::Broken(m) => assert!(m.contains("content/2021/02/khong-co.md"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            t.resolve("a.md", "../../x.md", false),
            LinkTarget::Broken(_)
        ));
    }

    #[test]
    fn root_relative_urls_get_the_base_path() {
        assert_eq!(
            table().resolve("x.md", "/images/2020/a.jpg", true),
            LinkTarget::Rewrite("/tin-tuc/images/2020/a.jpg".into())
        );
    }

    #[test]
    fn relative_files_beside_an_article_still_resolve() {
        assert_eq!(
            table().resolve("2020/10/a.md", "ảnh%20hội%20nghị.jpg", true),
            LinkTarget::Rewrite(
                "/tin-tuc/2020/10/%E1%BA%A3nh%20h%E1%BB%99i%20ngh%E1%BB%8B.jpg".into()
            )
        );
    }

    #[test]
    fn external_links_and_fragments_are_kept() {
        let t = table();
        for dest in [
            "https://most.gov.vn/",
            "mailto:a@b.vn",
            "#muc-1",
            "//cdn.x/y",
            "tel:0200",
        ] {
            assert_eq!(t.resolve("a.md", dest, false), LinkTarget::Keep, "{dest}");
        }
    }
}
