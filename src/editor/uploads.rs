//! Uploaded files: what they are, by their first bytes and not by their name (JPEG, PNG,
//! WebP, GIF; PDF; Word and Excel files as zip archives holding their main part), how big they
//! may be, and the safe name they get beside the article (`Ảnh 1.JPG` → `anh-1.jpg`).

use std::io::Read;

/// The largest image accepted.
pub const IMAGE_LIMIT: usize = 25 * 1024 * 1024;
/// The largest attachment (PDF, DOCX, XLSX) accepted.
pub const ATTACHMENT_LIMIT: usize = 20 * 1024 * 1024;

/// What an uploaded file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A JPEG photo.
    Jpeg,
    /// A PNG image.
    Png,
    /// A WebP image.
    Webp,
    /// A GIF image.
    Gif,
    /// A PDF document.
    Pdf,
    /// A Word document.
    Docx,
    /// An Excel workbook.
    Xlsx,
}

impl Kind {
    /// The file extension it is saved with.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Webp => "webp",
            Kind::Gif => "gif",
            Kind::Pdf => "pdf",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
        }
    }

    /// Whether it is an image (shown in the article) rather than an attachment (linked).
    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png | Kind::Webp | Kind::Gif)
    }

    /// The most bytes accepted for it.
    pub fn limit(self) -> usize {
        if self.is_image() {
            IMAGE_LIMIT
        } else {
            ATTACHMENT_LIMIT
        }
    }
}

/// Why an upload is refused, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Larger than its kind allows (the limit in MB).
    TooLarge(usize),
    /// A HEIC/HEIF photo (iPhone's default format).
    Heic,
    /// Not a kind the editor accepts.
    Unknown,
    /// Empty.
    Empty,
}

impl Refused {
    /// What to tell the clerk.
    pub fn message(&self) -> String {
        match self {
            Refused::TooLarge(mb) => format!("Tệp quá lớn: giới hạn là {mb} MB."),
            Refused::Heic => "Ảnh HEIC (định dạng mặc định của iPhone) chưa được hỗ trợ. \
                              Trên iPhone, vào Cài đặt → Camera → Định dạng → chọn \
                              “Tương thích nhất” để chụp JPEG, hoặc gửi ảnh qua Zalo/email \
                              (ảnh được chuyển sang JPEG) rồi tải lên lại."
                .into(),
            Refused::Unknown => "Loại tệp này không được nhận: chỉ nhận ảnh JPEG, PNG, WebP, GIF \
                                 và tệp đính kèm PDF, Word (.docx), Excel (.xlsx)."
                .into(),
            Refused::Empty => "Tệp rỗng.".into(),
        }
    }
}

/// What `bytes` are, from their content.
pub fn sniff(bytes: &[u8]) -> Result<Kind, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    let kind = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Kind::Png
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Kind::Webp
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Kind::Gif
    } else if bytes.starts_with(b"%PDF-") {
        Kind::Pdf
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if [
            b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif",
        ]
        .iter()
        .any(|b| brand == *b)
        {
            return Err(Refused::Heic);
        }
        return Err(Refused::Unknown);
    } else if bytes.starts_with(b"PK\x03\x04") {
        return office_kind(bytes).ok_or(Refused::Unknown);
    } else {
        return Err(Refused::Unknown);
    };
    Ok(kind)
}

/// A zip archive is a Word document when it holds `word/document.xml`, a workbook when it
/// holds `xl/workbook.xml`, and neither otherwise.
fn office_kind(bytes: &[u8]) -> Option<Kind> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let has = |archive: &mut zip::ZipArchive<_>, name: &str| {
        archive
            .by_name(name)
            .map(|mut f| f.read(&mut [0u8; 1]).is_ok())
            .unwrap_or(false)
    };
    if has(&mut archive, "word/document.xml") {
        Some(Kind::Docx)
    } else if has(&mut archive, "xl/workbook.xml") {
        Some(Kind::Xlsx)
    } else {
        None
    }
}

/// Checks an upload: its kind, and its size against that kind's limit.
pub fn check(bytes: &[u8]) -> Result<Kind, Refused> {
    let kind = sniff(bytes)?;
    if bytes.len() > kind.limit() {
        return Err(Refused::TooLarge(kind.limit() / (1024 * 1024)));
    }
    Ok(kind)
}

/// The stem a file is saved under: the slug of the name the browser gave (without folders
/// or extension), or `tep` when nothing is left of it.
pub fn stem(client_name: &str) -> String {
    let name = client_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let base = match name.rsplit_once('.') {
        Some((base, _)) if !base.is_empty() => base,
        _ => name,
    };
    let slug = crate::text::slug::slugify(base);
    let slug: String = slug.chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "tep".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(name: &str) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut writer, b"<x/>").unwrap();
        writer.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn kinds_come_from_the_content() {
        assert_eq!(sniff(b"\xff\xd8\xff\xe0rest"), Ok(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Ok(Kind::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(Kind::Webp));
        assert_eq!(sniff(b"GIF89a..."), Ok(Kind::Gif));
        assert_eq!(sniff(b"%PDF-1.7\n"), Ok(Kind::Pdf));
        assert_eq!(sniff(&zip_with("word/document.xml")), Ok(Kind::Docx));
        assert_eq!(sniff(&zip_with("xl/workbook.xml")), Ok(Kind::Xlsx));
        assert_eq!(sniff(&zip_with("other.txt")), Err(Refused::Unknown));
        assert_eq!(sniff(b"<script>alert(1)</script>"), Err(Refused::Unknown));
        assert_eq!(sniff(b"MZ\x90\0"), Err(Refused::Unknown));
        assert_eq!(sniff(b""), Err(Refused::Empty));
    }

    #[test]
    fn heic_is_refused_with_what_to_do() {
        let err = sniff(b"\0\0\0\x18ftypheic\0\0\0\0").unwrap_err();
        assert_eq!(err, Refused::Heic);
        assert!(err.message().contains("Tương thích nhất"));
    }

    #[test]
    fn attachments_have_a_smaller_limit_than_images() {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.resize(ATTACHMENT_LIMIT + 1, b' ');
        assert_eq!(check(&pdf), Err(Refused::TooLarge(20)));
        let mut jpeg = b"\xff\xd8\xff".to_vec();
        jpeg.resize(ATTACHMENT_LIMIT + 1, 0);
        assert_eq!(check(&jpeg), Ok(Kind::Jpeg));
    }

    #[test]
    fn names_are_slugged_and_lose_their_folders() {
        assert_eq!(stem("Ảnh 1.JPG"), "anh-1");
        assert_eq!(stem("../../etc/passwd"), "passwd");
        assert_eq!(stem("C:\\Users\\Lan\\Báo cáo Q3.pdf"), "bao-cao-q3");
        assert_eq!(stem("/abs/..."), "tep");
        assert_eq!(stem(""), "tep");
    }
}
