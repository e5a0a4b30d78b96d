//! Importing articles written elsewhere. `trangtin import bai-viet.docx` reads a Word
//! document ([`Document::read`]) and converts it ([`Document::convert`], or [`convert`] in
//! one call) to Markdown with its images and a [`Report`] of what was left out; a web
//! editor can call these on uploaded bytes. [`import_docx`] then writes the result into a
//! site as a draft article with its images beside it.
//!
//! [`html::html_to_markdown`] converts pasted or saved HTML the same way;
//! [`portal::import_html_mirror`] imports an old portal's saved pages, and
//! [`wordpress::import_wordpress`] a WordPress export.
//!
//! The parts: `package` (the zip, and what a file is when it is no .docx), `xml` (an
//! element tree), `styles` (headings and lists), `docx` (WordprocessingML → `model`),
//! `markdown` (`model` → Markdown), `report`, `article` (the draft in the site).

mod article;
mod batch;
mod docx;
mod draft;
pub mod html;
mod markdown;
mod model;
mod package;
pub mod portal;
mod report;
mod styles;
pub mod wordpress;
mod xml;

#[cfg(test)]
pub(crate) mod testdocx;

pub use article::{import_docx, ImportRequest, Imported};
pub use report::{Report, Skipped};

use model::{Block, Inline, Kind, Para};

/// Why a file cannot be converted. The messages say what to do in Word.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// Not a zip archive, so not a .docx.
    #[error("is not a Word .docx file (it is not a zip archive)")]
    NotZip,
    /// A zip archive without a Word document in it; says what it is instead.
    #[error("is a zip archive but not a Word document: {0}")]
    NotDocx(&'static str),
    /// Another format Word can open (RTF, PDF).
    #[error("is {0}, not a Word .docx file; open it in Word and save it as .docx")]
    OtherFormat(&'static str),
    /// An encrypted .docx (an OLE file holding an `EncryptedPackage`).
    #[error(
        "the file is protected with a password; save it without a password (in Word: File → \
         Info → Protect Document → Encrypt with Password, then clear the password) and import \
         it again"
    )]
    Protected,
    /// An OLE file that is not encrypted: a Word 97-2003 document.
    #[error(
        "this is a Word 97-2003 .doc; save it as .docx (in Word: File → Save As → Word \
         Document (*.docx)) and import that file"
    )]
    OldDoc,
    /// A part that cannot be read or parsed.
    #[error("is damaged: {part}: {message}; open it in Word and save it again")]
    Damaged {
        /// The part (`word/document.xml`).
        part: String,
        /// What is wrong with it.
        message: String,
    },
}

/// An image of the converted article, named as the Markdown refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The file name (`hoi-nghi-1.jpg`): the article's slug, a number, the extension of
    /// the real format (JPEG, PNG or WebP).
    pub name: String,
    /// The bytes, as stored in the document.
    pub bytes: Vec<u8>,
    /// The part of the .docx it came from (`word/media/image1.png`).
    pub source: String,
}

/// A converted document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The title: the one asked for, else the document's first Title or Heading 1
    /// paragraph, else its first paragraph with text; `None` when it has no text at all.
    pub title: Option<String>,
    /// The body in Markdown (without the title), ending with a newline.
    pub markdown: String,
    /// The images the body shows, in order.
    pub images: Vec<Image>,
    /// What could not be converted.
    pub report: Report,
}

/// A Word document, read and ready to convert.
pub struct Document {
    parsed: docx::Parsed,
}

impl Document {
    /// Reads the bytes of a .docx file. Errors say what the file is when it is not a
    /// .docx (a .doc, a password-protected document, ...) or which part is damaged.
    pub fn read(bytes: &[u8]) -> Result<Document, DocxError> {
        let mut package = package::Package::open(bytes)?;
        Ok(Document {
            parsed: docx::read(&mut package)?,
        })
    }

    /// The index of the block that gives the title: the first Title or Heading 1
    /// paragraph, else the first paragraph with text.
    fn title_block(&self) -> Option<usize> {
        let paras = || {
            self.parsed
                .blocks
                .iter()
                .enumerate()
                .filter_map(|(i, b)| match b {
                    Block::Para(p) if !p.plain_text().is_empty() => Some((i, p)),
                    _ => None,
                })
        };
        paras()
            .find(|(_, p)| matches!(p.kind, Kind::Title | Kind::Heading(1)))
            .or_else(|| paras().next())
            .map(|(i, _)| i)
    }

    /// The title the document gives itself (see [`Converted::title`]).
    pub fn title(&self) -> Option<String> {
        self.title_block().map(|i| match &self.parsed.blocks[i] {
            Block::Para(p) => p.plain_text(),
            Block::Table(_) | Block::Quote(_) => String::new(),
        })
    }

    /// How many images the converted article will have (to choose names that are free).
    pub fn image_count(&self) -> usize {
        self.parsed.pictures.len()
    }

    /// Converts to Markdown. With `title`, the document's own title paragraph stays in the
    /// body unless it says the same. Images are named `{image_stem}-1.jpg`, `-2.png`, ...
    pub fn convert(&self, title: Option<&str>, image_stem: &str) -> Converted {
        let own = self.title_block();
        let own_text = self.title();
        let (title, drop) = match title.map(|t| crate::text::nfc(t.trim()).into_owned()) {
            Some(given) => {
                let same = own_text
                    .as_deref()
                    .is_some_and(|t| t.to_lowercase() == given.to_lowercase());
                (Some(given), own.filter(|_| same))
            }
            None => (own_text, own),
        };
        let mut blocks = self.parsed.blocks.clone();
        if let Some(i) = drop {
            // The title's paragraph leaves the body; an image in it stays.
            let images: Vec<Inline> = match &blocks[i] {
                Block::Para(p) => p
                    .inlines
                    .iter()
                    .filter(|x| matches!(x, Inline::Image(..)))
                    .cloned()
                    .collect(),
                Block::Table(_) | Block::Quote(_) => Vec::new(),
            };
            blocks[i] = Block::Para(Para {
                kind: Kind::Body,
                inlines: images,
            });
        }
        let images: Vec<Image> = self
            .parsed
            .pictures
            .iter()
            .enumerate()
            .map(|(i, p)| Image {
                name: format!("{image_stem}-{}.{}", i + 1, p.extension),
                bytes: p.bytes.clone(),
                source: p.part.clone(),
            })
            .collect();
        let names: Vec<String> = images.iter().map(|i| i.name.clone()).collect();
        Converted {
            title,
            markdown: markdown::render(&blocks, &names),
            images,
            report: self.parsed.report.clone(),
        }
    }
}

/// Reads and converts a .docx in one call: the title as in [`Document::convert`], images
/// named after the title's slug (`anh` when it has none).
pub fn convert(bytes: &[u8], title: Option<&str>) -> Result<Converted, DocxError> {
    let document = Document::read(bytes)?;
    let chosen = title.map(str::to_string).or_else(|| document.title());
    let slug = chosen
        .as_deref()
        .map(crate::text::slug::slugify)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "anh".to_string());
    Ok(document.convert(title, &slug))
}

#[cfg(test)]
mod tests;
