//! Checks on a source image before any pixel is decoded: its format from the first bytes,
//! its upright size and orientation from the header, and warnings about oversized photos.

use std::io::Cursor;
use std::path::Path;

use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader};

use super::{ImageOptions, MediaError};
use crate::error::Problem;

/// A format trangtin processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// PNG.
    Png,
    /// WebP (`RIFF....WEBP`).
    WebP,
}

/// What the header of an image says, read without decoding its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    /// The format.
    pub format: Format,
    /// Width once turned upright (EXIF orientation applied).
    pub width: u32,
    /// Height once turned upright.
    pub height: u32,
    /// The EXIF orientation, `NoTransforms` when there is none.
    pub orientation: Orientation,
}

/// The format of `bytes` from its magic bytes, or an error naming what it is when trangtin
/// does not take it (HEIC/HEIF, AVIF, TIFF, BMP, GIF, ...).
pub fn sniff(source: &Path, bytes: &[u8]) -> Result<Format, MediaError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(Format::WebP);
    }
    let error = |format| MediaError::Unsupported {
        file: source.to_path_buf(),
        format,
    };
    match unsupported_format(bytes) {
        Some(format) => Err(error(format)),
        None => Err(MediaError::Unreadable {
            file: source.to_path_buf(),
            message: "not a JPEG, PNG or WebP image".into(),
        }),
    }
}

/// The name of a known image format that trangtin does not process, from its magic bytes.
fn unsupported_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some(match &bytes[8..12] {
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" => "HEIC",
            b"avif" | b"avis" => "AVIF",
            _ => return None,
        });
    }
    let magic: [(&[u8], &'static str); 6] = [
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
        (b"BM", "BMP"),
        (b"GIF8", "GIF"),
        (b"\0\0\x01\0", "ICO"),
        (b"8BPS", "Photoshop (PSD)"),
    ];
    magic
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|&(_, name)| name)
}

/// Reads the header of `bytes`: format, upright size and EXIF orientation.
pub fn inspect(source: &Path, bytes: &[u8]) -> Result<Info, MediaError> {
    let format = sniff(source, bytes)?;
    let unreadable = |e: image::ImageError| MediaError::Unreadable {
        file: source.to_path_buf(),
        message: e.to_string(),
    };
    let reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (w, h) = decoder.dimensions();
    let (width, height) = if swaps_axes(orientation) {
        (h, w)
    } else {
        (w, h)
    };
    Ok(Info {
        format,
        width,
        height,
        orientation,
    })
}

/// Checks that a JPEG runs to its end-of-image marker. Decoders fill a cut-short JPEG with
/// grey instead of failing, so a half-uploaded photo would be published half grey.
pub fn check_complete(source: &Path, bytes: &[u8], format: Format) -> Result<(), MediaError> {
    if format != Format::Jpeg || jpeg_reaches_end(bytes) {
        return Ok(());
    }
    Err(MediaError::Unreadable {
        file: source.to_path_buf(),
        message: "the JPEG is cut short, with no end-of-image marker; upload it again".into(),
    })
}

/// Walks a JPEG's segments and entropy-coded scans until its EOI marker. Data after EOI
/// (a phone's motion-photo video, say) is allowed; an EOI inside a segment (an EXIF
/// thumbnail's) does not count.
fn jpeg_reaches_end(bytes: &[u8]) -> bool {
    let mut i = 2; // after SOI
    while i + 1 < bytes.len() {
        if bytes[i] != 0xFF {
            // Entropy-coded data: skip to the next marker that is not a stuffed byte or RSTn.
            i += 1;
            continue;
        }
        let marker = bytes[i + 1];
        match marker {
            0xD9 => return true,
            0x00 | 0xFF | 0xD0..=0xD7 | 0x01 => i += if marker == 0xFF { 1 } else { 2 },
            _ => {
                let Some(len) = bytes.get(i + 2..i + 4) else {
                    return false;
                };
                i += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
            }
        }
    }
    false
}

/// The `image` crate's name for a format.
pub(super) fn image_format(format: Format) -> image::ImageFormat {
    match format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::WebP => image::ImageFormat::WebP,
    }
}

/// True when `orientation` turns the image a quarter turn (width and height swap).
pub(super) fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Warnings for a source of `len` bytes, `width`×`height` pixels upright: over
/// `options.warn_bytes` or `options.warn_pixels`.
pub fn size_warnings(
    source: &Path,
    len: u64,
    width: u32,
    height: u32,
    options: &ImageOptions,
) -> Vec<Problem> {
    let mut warnings = Vec::new();
    if len > options.warn_bytes {
        warnings.push(Problem::warning(
            source,
            format!(
                "the image is {:.1} MB (over {:.0} MB); a smaller export uploads and builds faster",
                len as f64 / 1e6,
                options.warn_bytes as f64 / 1e6
            ),
        ));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > options.warn_pixels {
        warnings.push(Problem::warning(
            source,
            format!(
                "the image is {}×{} px ({:.1} Mpx, over {:.1} Mpx)",
                width,
                height,
                pixels as f64 / 1e6,
                options.warn_pixels as f64 / 1e6
            ),
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name() -> &'static Path {
        Path::new("content/a/anh.heic")
    }

    #[test]
    fn names_heic_by_its_brand() {
        let mut bytes = vec![0, 0, 0, 0x18];
        bytes.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        let err = sniff(name(), &bytes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "content/a/anh.heic: HEIC images are not supported; save it as JPEG, PNG or WebP"
        );
        let mut mif1 = vec![0, 0, 0, 0x18];
        mif1.extend_from_slice(b"ftypmif1\0\0\0\0");
        assert!(matches!(
            sniff(name(), &mif1),
            Err(MediaError::Unsupported { format: "HEIC", .. })
        ));
    }

    #[test]
    fn names_tiff_and_bmp() {
        for (bytes, format) in [(&b"II*\0rest"[..], "TIFF"), (b"BM\0\0\0\0", "BMP")] {
            match sniff(name(), bytes) {
                Err(MediaError::Unsupported { format: f, .. }) => assert_eq!(f, format),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn calls_text_unreadable() {
        let err = sniff(Path::new("x.jpg"), b"hello").unwrap_err();
        let problem = err.to_problem();
        assert_eq!(problem.file, Path::new("x.jpg"));
        assert_eq!(
            problem.message,
            "the image cannot be read (not a JPEG, PNG or WebP image)"
        );
    }

    #[test]
    fn finds_the_end_of_a_jpeg_past_thumbnails_and_stuffed_bytes() {
        // SOI, APP1 holding a thumbnail's EOI, SOS, data with FF00 and RST0, EOI.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD9, 0x00, 0x00];
        jpeg.extend([
            0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56,
        ]);
        assert!(!jpeg_reaches_end(&jpeg));
        jpeg.extend([0xFF, 0xD9, 0x00, 0x00, 0x00, 0x18]);
        assert!(jpeg_reaches_end(&jpeg));
    }

    #[test]
    fn warns_about_big_files_and_many_pixels() {
        let options = ImageOptions::default();
        let warnings = size_warnings(Path::new("a.jpg"), 25_000_000, 8000, 6000, &options);
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(|w| !w.is_error()));
        assert_eq!(
            warnings[1].to_string(),
            "a.jpg: warning: the image is 8000×6000 px (48.0 Mpx, over 40.0 Mpx)"
        );
        assert!(size_warnings(Path::new("a.jpg"), 4_000_000, 4000, 3000, &options).is_empty());
    }
}
