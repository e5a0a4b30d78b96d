//! Official documents ("Văn bản"): Markdown files under `content/van-ban/` whose front matter
//! describes a decision, notice or plan (number, type, issuer, dates, signer, abstract) and
//! names the attached files published beside it.

use super::front_matter::{self, FieldError};
use super::{article::display_path, fields};
use crate::config::Config;
use crate::error::Problem;
use crate::text::date::parse_date;
use crate::text::slug::slugify;
use crate::text::{closest, search_key};
use chrono::{DateTime, FixedOffset};
use std::collections::HashMap;

/// The folder under `content/` whose Markdown files are documents, not articles.
pub const DOCUMENTS_FOLDER: &str = "van-ban";

/// Whether a source path (under `content/`) is a document's Markdown file.
pub fn is_document_source(source: &str) -> bool {
    source
        .strip_prefix(DOCUMENTS_FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
        && super::is_markdown(source)
}

/// The fields of a document, in the order of the README's table.
pub const FIELDS: &[&str] = &[
    "number",
    "type",
    "issuer",
    "issued",
    "effective",
    "signer",
    "title",
    "files",
    "draft",
];

/// Words editors write for a document's field, folded as [`fields`] folds them.
const SYNONYMS: &[(&str, &str)] = &[
    ("so", "number"),
    ("sokyhieu", "number"),
    ("sohieu", "number"),
    ("kyhieu", "number"),
    ("sovanban", "number"),
    ("loai", "type"),
    ("loaivanban", "type"),
    ("hinhthuc", "type"),
    ("theloai", "type"),
    ("coquan", "issuer"),
    ("coquanbanhanh", "issuer"),
    ("noibanhanh", "issuer"),
    ("donvi", "issuer"),
    ("ngay", "issued"),
    ("date", "issued"),
    ("ngaybanhanh", "issued"),
    ("ngayky", "issued"),
    ("ngayhieuluc", "effective"),
    ("hieuluc", "effective"),
    ("nguoiky", "signer"),
    ("ky", "signer"),
    ("trichyeu", "title"),
    ("tieude", "title"),
    ("abstract", "title"),
    ("summary", "title"),
    ("tep", "files"),
    ("tepdinhkem", "files"),
    ("dinhkem", "files"),
    ("file", "files"),
    ("attachments", "files"),
    ("taive", "files"),
];

/// One attached file of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFile {
    /// Its path under `content/` (`van-ban/2024/qd-456.pdf`), published at the same path.
    pub source: String,
    /// Its size in bytes.
    pub size: u64,
}

impl DocumentFile {
    /// The file's name (`qd-456.pdf`).
    pub fn name(&self) -> &str {
        self.source.rsplit('/').next().unwrap_or(&self.source)
    }

    /// Its ending in capitals (`PDF`), shown beside the download link.
    pub fn format(&self) -> String {
        self.name()
            .rsplit_once('.')
            .map_or_else(String::new, |(_, ext)| ext.to_ascii_uppercase())
    }
}

/// An official document, its front matter checked and its files found.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path under `content/`, `/` separators, NFC: `van-ban/2024/qd-456.md`.
    pub source: String,
    /// Number and symbol (số ký hiệu): `456/QĐ-SKHCN`.
    pub number: String,
    /// Type (loại): `Quyết định`; empty when the file gives none.
    pub kind: String,
    /// Issuing body (cơ quan ban hành); the unit's name when the file gives none.
    pub issuer: String,
    /// Issue date (ngày ban hành).
    pub issued: DateTime<FixedOffset>,
    /// Date it takes effect (ngày hiệu lực).
    pub effective: Option<DateTime<FixedOffset>>,
    /// Who signed it (người ký).
    pub signer: Option<String>,
    /// The abstract (trích yếu).
    pub title: String,
    /// Attached files, at least one.
    pub files: Vec<DocumentFile>,
    /// Held back from the site unless building with drafts.
    pub draft: bool,
    /// URL slug: the number and the start of the abstract.
    pub slug: String,
    /// Optional Markdown body.
    pub body: String,
    /// File line of each front-matter field.
    pub lines: HashMap<String, usize>,
}

impl Document {
    /// The file path to show in messages: `content/van-ban/x.md`.
    pub fn display_path(&self) -> String {
        display_path(&self.source)
    }

    /// The file line of a front-matter field.
    pub fn line_of(&self, field: &str) -> Option<usize> {
        self.lines.get(field).copied()
    }
}

/// The longest slug made from a document's number and abstract, in bytes.
const SLUG_BYTES: usize = 80;

/// `456/QĐ-SKHCN` and `Về việc ban hành quy chế` → `456-qd-skhcn-ve-viec-ban-hanh-quy-che`,
/// cut at a word to at most 80 bytes.
pub fn document_slug(number: &str, title: &str) -> String {
    let mut slug = slugify(&format!("{number} {title}"));
    if slug.len() > SLUG_BYTES {
        let cut = slug[..SLUG_BYTES].rfind('-').unwrap_or(SLUG_BYTES);
        slug.truncate(cut);
    }
    slug
}

/// The key numbers are compared and searched by: `456/QĐ-SKHCN` and `456/qd-skhcn` → the
/// same text.
pub fn number_key(number: &str) -> String {
    search_key(number)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Reads one document's text (NFC, no BOM or CR). `file_size` gives the size of a file under
/// `content/` (by its source path) when it exists. Every problem is returned.
pub fn parse_document(
    source: &str,
    text: &str,
    config: &Config,
    file_size: impl Fn(&str) -> Option<u64>,
) -> Result<Document, Vec<Problem>> {
    let file = display_path(source);
    let to_problem = |(line, field, message): FieldError| {
        let p = Problem::error(&file, message).at_line(line);
        match field {
            Some(f) => p.in_field(f),
            None => p,
        }
    };
    let split = front_matter::split(text)
        .map_err(|(line, message)| vec![Problem::error(&file, message).at_line(Some(line))])?;
    front_matter::check_size(&split, &config.limits).map_err(|e| vec![to_problem(e)])?;
    let entries = crate::yaml::parse_mapping(split.yaml).map_err(|e| {
        let line = e.line.map_or(split.yaml_line, |l| l + split.yaml_line - 1);
        vec![Problem::error(
            &file,
            format!("invalid YAML in front matter: {}", e.message),
        )
        .at_line(Some(line))]
    })?;
    let mut lines = HashMap::new();
    for (key, _) in &entries {
        if let Some(line) = crate::yaml::line_of_key(split.yaml, key) {
            lines.insert(key.clone(), line + split.yaml_line - 1);
        }
    }
    let line_of = |field: &str| lines.get(field).copied();
    let mut problems = Vec::new();
    let mut error = |field: &str, message: String| {
        problems.push(
            Problem::error(&file, message)
                .in_field(field)
                .at_line(line_of(field).or(Some(1))),
        );
    };
    let mut texts: HashMap<&'static str, String> = HashMap::new();
    let mut written_files = Vec::new();
    let mut draft = false;
    for (key, value) in &entries {
        let result = match FIELDS.iter().find(|&&f| f == key) {
            Some(&"files") => front_matter::list(value, false).map(|v| written_files = v),
            Some(&"draft") => front_matter::flag(value).map(|v| draft = v),
            Some(&field) => front_matter::text(value).map(|v| {
                if let Some(v) = v {
                    texts.insert(field, v);
                }
            }),
            None => Err(unknown_message(key)),
        };
        if let Err(message) = result {
            error(key, message);
        }
    }
    let mut required = |field: &'static str| {
        let value = texts.remove(field);
        if value.is_none() {
            error(field, "is required but missing or empty".into());
        }
        value
    };
    let number = required("number");
    let title = required("title");
    let issued_text = required("issued");
    let kind = texts.remove("type").unwrap_or_default();
    if !kind.is_empty() && !config.document_types.is_empty() {
        let folded = search_key(&kind);
        if !config
            .document_types
            .iter()
            .any(|t| search_key(t) == folded)
        {
            let hint = closest(&kind, config.document_types.iter().map(String::as_str))
                .map(|t| format!("did you mean `{t}`? "))
                .unwrap_or_default();
            error(
                "type",
                format!(
                    "`{kind}` is not one of the document types of config.yaml \
                     (`document_types`): {hint}the types are {}",
                    config.document_types.join(", ")
                ),
            );
        }
    }
    let mut date = |field: &'static str, text: Option<String>| {
        text.and_then(|t| match parse_date(&t, config.timezone) {
            Ok(d) => Some(d),
            Err(message) => {
                error(field, message);
                None
            }
        })
    };
    let issued = date("issued", issued_text);
    let effective = date("effective", texts.remove("effective"));
    let folder = source.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut files = Vec::new();
    if written_files.is_empty() && !lines.contains_key("files") {
        error("files", "is required: list the attached files (PDF, DOCX, XLSX) that are beside the document, such as `files: [qd-456.pdf]`".into());
    } else if written_files.is_empty() {
        error(
            "files",
            "lists no file: a document needs at least one attached file (PDF, DOCX, XLSX)".into(),
        );
    }
    for written in &written_files {
        match resolve(folder, written) {
            None => error(
                "files",
                format!("`{written}` leaves the content/ folder; name a file beside the document"),
            ),
            Some(path) if !super::is_document(&path) => error(
                "files",
                format!("`{written}` is not a document file (PDF, DOC, DOCX, XLS, XLSX, ODT, ...)"),
            ),
            Some(path) => match file_size(&path) {
                Some(size) => files.push(DocumentFile { source: path, size }),
                None => error(
                    "files",
                    format!("`{written}` does not exist (looked for content/{path})"),
                ),
            },
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(number), Some(title), Some(issued)) = (number, title, issued) else {
        unreachable!("missing required fields were reported as problems");
    };
    let issuer = texts
        .remove("issuer")
        .or_else(|| config.organization.name.clone())
        .unwrap_or_else(|| config.title.clone());
    Ok(Document {
        source: source.to_string(),
        slug: document_slug(&number, &title),
        number,
        kind,
        issuer,
        issued,
        effective,
        signer: texts.remove("signer"),
        title,
        files,
        draft,
        body: split.body.to_string(),
        lines,
    })
}

/// `written` (relative to the document's `folder`, or to `content/` when it starts with `/`)
/// as a source path; `None` when it climbs out of `content/`.
fn resolve(folder: &str, written: &str) -> Option<String> {
    let (mut parts, rest): (Vec<&str>, &str) = match written.strip_prefix('/') {
        Some(rest) => (Vec::new(), rest),
        None => (
            folder.split('/').filter(|p| !p.is_empty()).collect(),
            written,
        ),
    };
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The message for a field documents do not have, naming the field meant.
fn unknown_message(key: &str) -> String {
    let folded = fields::folded(key);
    let meant = FIELDS
        .iter()
        .copied()
        .find(|f| fields::folded(f) == folded)
        .or_else(|| {
            SYNONYMS
                .iter()
                .find(|(word, _)| *word == folded)
                .map(|&(_, f)| f)
        })
        .or_else(|| closest(key, FIELDS.iter().copied()));
    match meant {
        Some(field) => format!(
            "unknown field of a document; did you mean `{field}`? (the fields of a document \
             are {})",
            FIELDS.join(", ")
        ),
        None => format!(
            "unknown field of a document: the fields of a document are {}",
            FIELDS.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "van-ban/2024/qd-456.md";

    fn parse(text: &str) -> Result<Document, Vec<Problem>> {
        let sizes = |path: &str| (path == "van-ban/2024/qd-456.pdf").then_some(300);
        parse_document(SOURCE, text, &Config::default(), sizes)
    }

    fn messages(text: &str) -> Vec<String> {
        parse(text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const GOOD: &str = "---\nnumber: 456/QĐ-SKHCN\ntype: Quyết định\nissued: 2024-03-05\n\
                        signer: Nguyễn Văn A\ntitle: Về việc ban hành quy chế\nfiles: [qd-456.pdf]\n---\nNội dung\n";

    #[test]
    fn reads_a_complete_document() {
        let d = parse(GOOD).unwrap();
        assert_eq!(d.number, "456/QĐ-SKHCN");
        assert_eq!(d.kind, "Quyết định");
        assert_eq!(d.slug, "456-qd-skhcn-ve-viec-ban-hanh-quy-che");
        assert_eq!(
            d.files,
            [DocumentFile {
                source: "van-ban/2024/qd-456.pdf".into(),
                size: 300
            }]
        );
        assert_eq!(d.files[0].format(), "PDF");
        assert_eq!(d.issued.format("%Y-%m-%d").to_string(), "2024-03-05");
        assert_eq!(d.issuer, Config::default().title);
        assert_eq!(d.body, "Nội dung\n");
    }

    #[test]
    fn documents_are_files_under_van_ban() {
        assert!(is_document_source("van-ban/a.md"));
        assert!(is_document_source("van-ban/2024/03/a.MD"));
        assert!(!is_document_source("van-ban/a.pdf"));
        assert!(!is_document_source("van-ban-cu/a.md"));
        assert!(!is_document_source("2024/van-ban/a.md"));
    }

    #[test]
    fn missing_number_and_file_are_errors_at_their_lines() {
        let texts = messages(
            "---\ntitle: A\nissued: 2024-01-01\nfiles:\n  - qd-456.pdf\n  - thieu.docx\n---\n",
        );
        assert_eq!(
            texts,
            [
                "content/van-ban/2024/qd-456.md:1: field `number`: is required but missing or empty",
                "content/van-ban/2024/qd-456.md:4: field `files`: `thieu.docx` does not exist \
                 (looked for content/van-ban/2024/thieu.docx)",
            ]
        );
    }

    #[test]
    fn a_document_needs_files() {
        let texts = messages("---\nnumber: 1/TB\ntitle: A\nissued: 2024-01-01\n---\n");
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert!(
            texts[0].contains("field `files`: is required"),
            "{}",
            texts[0]
        );
        let texts =
            messages("---\nnumber: 1/TB\ntitle: A\nissued: 2024-01-01\nfiles: [a.jpg]\n---\n");
        assert!(texts[0].contains("not a document file"), "{}", texts[0]);
        let texts = messages(
            "---\nnumber: 1/TB\ntitle: A\nissued: 2024-01-01\nfiles: [../../../x.pdf]\n---\n",
        );
        assert!(
            texts[0].contains("leaves the content/ folder"),
            "{}",
            texts[0]
        );
    }

    #[test]
    fn vietnamese_field_names_get_the_field_meant() {
        let texts = messages(&GOOD.replace("signer:", "Người ký:"));
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert!(
            texts[0].starts_with(
                "content/van-ban/2024/qd-456.md:5: field `Người ký`: unknown field of a \
                 document; did you mean `signer`?"
            ),
            "{}",
            texts[0]
        );
        assert!(messages(&GOOD.replace("type:", "loại:"))[0].contains("`type`"));
        assert!(messages(&GOOD.replace("issued:", "ngày ban hành:"))[0].contains("`issued`"));
        assert!(messages(&GOOD.replace("number:", "numbr:"))[0].contains("`number`"));
    }

    #[test]
    fn types_outside_the_configured_list_are_errors() {
        let config = Config::parse("document_types: [Quyết định, Thông báo]\n").unwrap();
        let sizes = |_: &str| Some(1);
        assert!(parse_document(SOURCE, GOOD, &config, sizes).is_ok());
        let text = GOOD.replace("Quyết định", "Quyet dinh");
        assert!(parse_document(SOURCE, &text, &config, sizes).is_ok());
        let text = GOOD.replace("Quyết định", "Thong bao x");
        let problems = parse_document(SOURCE, &text, &config, sizes).unwrap_err();
        assert!(
            problems[0]
                .to_string()
                .contains("did you mean `Thông báo`?"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn numbers_compare_without_case_or_diacritics() {
        assert_eq!(number_key("456/QĐ-SKHCN"), number_key("456/qd-skhcn"));
        assert_ne!(number_key("456/QĐ"), number_key("457/QĐ"));
    }

    #[test]
    fn long_abstracts_make_slugs_cut_at_a_word() {
        let slug = document_slug("1/KH", &"chương trình ".repeat(20));
        assert!(slug.len() <= SLUG_BYTES && !slug.ends_with('-'), "{slug}");
        assert!(slug.starts_with("1-kh-chuong-trinh"));
    }
}
