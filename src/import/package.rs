//! The .docx container: a zip of XML parts. Recognizes what a clerk may hand over instead
//! (an old .doc, a password-protected file, an RTF or PDF), reads parts with a size limit,
//! and resolves relationships (`rId5` → `media/image1.png` or a web address).

use super::xml::{self, Element};
use super::DocxError;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// No part of a real document is larger than this unpacked; a larger one is a zip bomb.
const MAX_PART: u64 = 256 * 1024 * 1024;

/// The magic bytes of an OLE compound file (Word 97-2003, or an encrypted Office file).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An opened .docx: its archive and where its main document part is.
pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// `word/document.xml` as a rule.
    pub(crate) document: String,
}

/// A relationship target: a part inside the package, or an address outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Part(String),
    External(String),
}

impl<'a> Package<'a> {
    /// Opens the bytes of a .docx, or says what the file is instead.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Package<'a>, DocxError> {
        if bytes.starts_with(&OLE_MAGIC) {
            return Err(ole_error(bytes));
        }
        if bytes.starts_with(b"{\\rtf") {
            return Err(DocxError::OtherFormat("an RTF file"));
        }
        if bytes.starts_with(b"%PDF") {
            return Err(DocxError::OtherFormat("a PDF file"));
        }
        if !bytes.starts_with(b"PK") {
            return Err(DocxError::NotZip);
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| DocxError::NotZip)?;
        let mut package = Package {
            archive,
            document: String::new(),
        };
        package.document = package.main_part()?;
        Ok(package)
    }

    /// The main document part, from `_rels/.rels` (Word: `word/document.xml`).
    fn main_part(&mut self) -> Result<String, DocxError> {
        let named = self.xml("_rels/.rels").ok().flatten().and_then(|rels| {
            rels.elements()
                .find(|r| {
                    r.attr("Type")
                        .is_some_and(|t| t.ends_with("/officeDocument"))
                })
                .and_then(|r| r.attr("Target"))
                .map(|t| t.trim_start_matches('/').to_string())
        });
        for candidate in named.into_iter().chain(["word/document.xml".to_string()]) {
            if self.archive.index_for_name(&candidate).is_some() {
                return Ok(candidate);
            }
        }
        let has = |a: &Self, name: &str| a.archive.index_for_name(name).is_some();
        Err(DocxError::NotDocx(if has(self, "xl/workbook.xml") {
            "it is an Excel workbook"
        } else if has(self, "ppt/presentation.xml") {
            "it is a PowerPoint presentation"
        } else if has(self, "content.xml") {
            "it is an OpenDocument file; save it as .docx"
        } else {
            "it has no word/document.xml"
        }))
    }

    /// The bytes of a part, `None` when the package has no such part.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let damaged = |message: String| DocxError::Damaged {
            part: name.to_string(),
            message,
        };
        let file = self.archive.by_index(index).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
                DocxError::Protected
            }
            other => damaged(other.to_string()),
        })?;
        if file.encrypted() {
            return Err(DocxError::Protected);
        }
        let mut bytes = Vec::new();
        file.take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| damaged(e.to_string()))?;
        if bytes.len() as u64 > MAX_PART {
            return Err(damaged("the part is larger than 256 MB unpacked".into()));
        }
        Ok(Some(bytes))
    }

    /// A part parsed as XML, `None` when the package has no such part.
    pub(crate) fn xml(&mut self, name: &str) -> Result<Option<Element>, DocxError> {
        let Some(bytes) = self.read(name)? else {
            return Ok(None);
        };
        xml::parse(&bytes)
            .map(Some)
            .map_err(|message| DocxError::Damaged {
                part: name.to_string(),
                message,
            })
    }

    /// The relationships of a part (`word/_rels/document.xml.rels` for `word/document.xml`),
    /// by id.
    pub(crate) fn relationships(
        &mut self,
        part: &str,
    ) -> Result<HashMap<String, Target>, DocxError> {
        let (folder, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_name = if folder.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{folder}/_rels/{file}.rels")
        };
        let mut map = HashMap::new();
        let Some(rels) = self.xml(&rels_name)? else {
            return Ok(map);
        };
        for rel in rels.elements() {
            let (Some(id), Some(target)) = (rel.attr("Id"), rel.attr("Target")) else {
                continue;
            };
            let target = if rel.attr("TargetMode") == Some("External") {
                Target::External(target.to_string())
            } else {
                Target::Part(resolve(folder, target))
            };
            map.insert(id.to_string(), target);
        }
        Ok(map)
    }
}

/// A target relative to `folder` (`media/a.png` in `word` → `word/media/a.png`), `..` and
/// absolute targets (`/word/media/a.png`) included.
fn resolve(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// What an OLE compound file is: an encrypted Office file has an `EncryptedPackage`
/// stream (names are UTF-16 in the directory); anything else is taken for a .doc.
fn ole_error(bytes: &[u8]) -> DocxError {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
        DocxError::Protected
    } else {
        DocxError::OldDoc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_parts_folder() {
        assert_eq!(resolve("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve("word", "/word/media/a.png"), "word/media/a.png");
        assert_eq!(
            resolve("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
    }

    #[test]
    fn an_ole_file_is_a_doc_unless_it_holds_an_encrypted_package() {
        let mut doc = OLE_MAGIC.to_vec();
        doc.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert!(matches!(Package::open(&doc), Err(DocxError::OldDoc)));
        let mut locked = OLE_MAGIC.to_vec();
        locked.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert!(matches!(Package::open(&locked), Err(DocxError::Protected)));
    }

    #[test]
    fn other_files_are_named() {
        assert!(matches!(Package::open(b"hello"), Err(DocxError::NotZip)));
        assert!(matches!(
            Package::open(b"PK\x03\x04junk"),
            Err(DocxError::NotZip)
        ));
        assert!(matches!(
            Package::open(b"{\\rtf1 ..."),
            Err(DocxError::OtherFormat(_))
        ));
    }
}
