//! Image processing for articles: decode (JPEG, PNG, WebP), turn upright from EXIF, resize to
//! a few widths and encode each as lossy WebP plus a JPEG (or PNG, for images with alpha)
//! fallback. Re-encoding from pixels drops every metadata block (EXIF with GPS, XMP, IPTC).
//!
//! [`process`] is pure (bytes in, encoded bytes out); [`Cache`] keeps its results beside the
//! site so a rebuild with no new photos decodes nothing. [`crate::site::pictures`] decides
//! which images are processed and how pages show them.

mod cache;
mod check;
mod decode;
mod encode;
mod resize;
#[cfg(test)]
pub(crate) mod testdata;

pub use cache::{Cache, CACHE_DIR};
pub use check::{check_complete, inspect, size_warnings, sniff, Format, Info};

use std::path::{Path, PathBuf};

use crate::error::{Problem, ProblemKind};

/// What to make of each image. The defaults fit the `tin-hoat-dong` theme: list thumbnails
/// are 220 CSS px wide (440 for 2× screens), the article column at most 836 CSS px.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageOptions {
    /// Widths in pixels to produce, each at most the photo's own width (never enlarged).
    pub widths: Vec<u32>,
    /// Lossy WebP quality, 0–100.
    pub webp_quality: f32,
    /// libwebp's effort, 0–6: 4 (its default) makes files a few percent smaller than 2 but
    /// takes about 5× as long; each photo is encoded once, then cached.
    pub webp_method: u8,
    /// JPEG fallback quality, 1–100.
    pub jpeg_quality: u8,
    /// A source file over this many bytes gets a warning.
    pub warn_bytes: u64,
    /// A source image over this many pixels gets a warning.
    pub warn_pixels: u64,
    /// Decode big JPEGs at 1/4 or 1/8 scale (DCT scaling) when the widest output allows.
    pub scaled_decode: bool,
}

impl Default for ImageOptions {
    fn default() -> Self {
        ImageOptions {
            widths: vec![440, 840, 1680],
            webp_quality: 75.0,
            webp_method: 4,
            jpeg_quality: 80,
            warn_bytes: 20 * 1024 * 1024,
            warn_pixels: 40_000_000,
            scaled_decode: true,
        }
    }
}

impl ImageOptions {
    /// The widths to make for a photo `width` pixels wide: the configured widths up to the
    /// photo's width, sorted, or the photo's own width when it is narrower than all of them.
    pub fn widths_for(&self, width: u32) -> Vec<u32> {
        let mut widths: Vec<u32> = self
            .widths
            .iter()
            .copied()
            .filter(|&w| w > 0 && w <= width)
            .collect();
        widths.sort_unstable();
        widths.dedup();
        if widths.is_empty() {
            widths.push(width);
        }
        widths
    }
}

/// The format of a fallback file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Fallback {
    /// Opaque images.
    Jpeg,
    /// Images with transparency.
    Png,
}

impl Fallback {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Fallback::Jpeg => "jpg",
            Fallback::Png => "png",
        }
    }
}

/// One width of a processed image, encoded in memory.
#[derive(Debug, Clone)]
pub struct EncodedVariant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The lossy WebP file.
    pub webp: Vec<u8>,
    /// The JPEG or PNG file.
    pub fallback: Vec<u8>,
}

/// An image processed in memory by [`process`].
#[derive(Debug, Clone)]
pub struct Encoded {
    /// Upright width of the source, in pixels.
    pub width: u32,
    /// Upright height of the source, in pixels.
    pub height: u32,
    /// Format of the fallback files.
    pub fallback: Fallback,
    /// One entry a width, narrowest first.
    pub variants: Vec<EncodedVariant>,
    /// Warnings about the source (too big, ...).
    pub warnings: Vec<Problem>,
}

/// One width of a processed image, as files in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The lossy WebP file.
    pub webp_path: PathBuf,
    /// The JPEG or PNG file.
    pub fallback_path: PathBuf,
    /// Size of the WebP file in bytes.
    pub webp_bytes: u64,
    /// Size of the fallback file in bytes.
    pub fallback_bytes: u64,
}

/// An image processed into the cache by [`Cache::process`].
#[derive(Debug, Clone, PartialEq)]
pub struct Processed {
    /// Upright width of the source, in pixels (for `width`/`height` attributes).
    pub width: u32,
    /// Upright height of the source, in pixels.
    pub height: u32,
    /// Format of the fallback files.
    pub fallback: Fallback,
    /// One entry a width, narrowest first.
    pub variants: Vec<Variant>,
    /// Warnings about the source (too big, ...).
    pub warnings: Vec<Problem>,
    /// True when the result came from the cache and no image was decoded.
    pub cached: bool,
}

/// Why an image could not be processed. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// A format browsers or trangtin do not take (HEIC, TIFF, BMP, ...).
    #[error("{}: {format} images are not supported; save it as JPEG, PNG or WebP", file.display())]
    Unsupported {
        /// The source file.
        file: PathBuf,
        /// The format found from the file's first bytes.
        format: &'static str,
    },
    /// The file is not an image at all, or is damaged or cut short.
    #[error("{}: the image cannot be read ({message})", file.display())]
    Unreadable {
        /// The source file.
        file: PathBuf,
        /// What the decoder said.
        message: String,
    },
    /// Encoding a derived image failed.
    #[error("{}: cannot encode a {width} px {format} image ({message})", file.display())]
    Encode {
        /// The source file.
        file: PathBuf,
        /// The width being encoded.
        width: u32,
        /// `WebP`, `JPEG` or `PNG`.
        format: &'static str,
        /// What the encoder said.
        message: String,
    },
    /// Reading the source or writing the cache failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

impl MediaError {
    /// The error as a [`Problem`] for `check` and `build` to list.
    pub fn to_problem(&self) -> Problem {
        let (file, kind) = match self {
            MediaError::Unsupported { file, .. } | MediaError::Encode { file, .. } => {
                (file, ProblemKind::Input)
            }
            MediaError::Unreadable { file, .. } => (file, ProblemKind::Unreadable),
            MediaError::Io { path, .. } => (path, ProblemKind::Unreadable),
        };
        let full = self.to_string();
        let prefix = format!("{}: ", file.display());
        let message = full.strip_prefix(&prefix).unwrap_or(&full).to_string();
        Problem::error(file.clone(), message).of_kind(kind)
    }
}

/// The checks [`process`] makes before decoding pixels, for a quick `check`: the format
/// (HEIC, TIFF, BMP, ... are errors), a readable header, a JPEG that is not cut short.
/// Returns the warnings (oversized source). Damage inside the compressed data shows only
/// when decoding, so `build` may still find an error that this does not.
pub fn validate(
    source: &Path,
    bytes: &[u8],
    options: &ImageOptions,
) -> Result<Vec<Problem>, MediaError> {
    let info = inspect(source, bytes)?;
    check_complete(source, bytes, info.format)?;
    Ok(size_warnings(
        source,
        bytes.len() as u64,
        info.width,
        info.height,
        options,
    ))
}

/// Processes one image in memory: checks its format, decodes it upright (at a reduced
/// scale when the widest output allows), resizes it to `options.widths` and encodes each
/// width as WebP and JPEG/PNG. `source` only names the file in errors and warnings.
pub fn process(source: &Path, bytes: &[u8], options: &ImageOptions) -> Result<Encoded, MediaError> {
    let info = inspect(source, bytes)?;
    check_complete(source, bytes, info.format)?;
    let widths = options.widths_for(info.width);
    let widest = widths.last().copied().unwrap_or(info.width);
    let image = decode::decode(source, bytes, &info, widest, options.scaled_decode)?;
    let fallback = if image.has_alpha() {
        Fallback::Png
    } else {
        Fallback::Jpeg
    };
    let sized = resize::to_widths(source, &image, &widths, (info.width, info.height))?;
    let variants = sized
        .iter()
        .map(|img| encode::variant(source, img, fallback, options))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Encoded {
        width: info.width,
        height: info.height,
        fallback,
        variants,
        warnings: size_warnings(source, bytes.len() as u64, info.width, info.height, options),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::GenericImageView;

    fn options(widths: &[u32]) -> ImageOptions {
        ImageOptions {
            widths: widths.to_vec(),
            ..ImageOptions::default()
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        let lower: Vec<u8> = haystack.to_ascii_lowercase();
        lower.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn strips_exif_and_gps_from_every_output() {
        let source = testdata::jpeg_with_exif(640, 480, false, 1);
        assert!(contains(&source, b"exif"), "the fixture has its EXIF block");
        let encoded = process(Path::new("a.jpg"), &source, &options(&[160, 320])).unwrap();
        assert_eq!(encoded.variants.len(), 2);
        for v in &encoded.variants {
            for file in [&v.webp, &v.fallback] {
                assert!(!contains(file, b"exif"));
                assert!(!contains(file, b"ii*\0"), "no TIFF block (where GPS lives)");
                assert!(!contains(file, b"xmp"));
            }
        }
    }

    /// Stored 400×300, red left and blue right, EXIF orientation 6 (turn 90° clockwise):
    /// upright it is 300×400, red on top.
    fn assert_turned_upright(scaled_decode: bool) {
        let source = testdata::jpeg_with_exif(400, 300, true, 6);
        // 60 px out of 300: a quarter or less, so the scaled path decodes at 1/4.
        let options = ImageOptions {
            scaled_decode,
            ..options(&[60])
        };
        let encoded = process(Path::new("a.jpg"), &source, &options).unwrap();
        assert_eq!((encoded.width, encoded.height), (300, 400));
        let v = &encoded.variants[0];
        assert_eq!((v.width, v.height), (60, 80));
        let out = image::load_from_memory(&v.fallback).unwrap();
        assert_eq!(out.dimensions(), (60, 80));
        let top = out.get_pixel(30, 8);
        let bottom = out.get_pixel(30, 72);
        assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "bottom is blue: {bottom:?}"
        );
        let webp = image::load_from_memory(&v.webp).unwrap();
        assert_eq!(webp.dimensions(), (60, 80));
    }

    #[test]
    fn turns_photos_upright_from_exif() {
        assert_turned_upright(false);
    }

    #[test]
    fn turns_photos_upright_when_decoding_at_reduced_scale() {
        assert_turned_upright(true);
    }

    #[test]
    fn never_enlarges_and_keeps_one_width_for_small_images() {
        let source = testdata::jpeg_with_exif(300, 200, false, 1);
        let encoded = process(Path::new("a.jpg"), &source, &ImageOptions::default()).unwrap();
        let widths: Vec<_> = encoded.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, [300]);
        let source = testdata::jpeg_with_exif(1000, 750, false, 1);
        let encoded = process(Path::new("a.jpg"), &source, &ImageOptions::default()).unwrap();
        let widths: Vec<_> = encoded.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, [440, 840]);
    }

    #[test]
    fn keeps_transparency_with_a_png_fallback() {
        let source = testdata::png_with_alpha(200, 100);
        let encoded = process(Path::new("logo.png"), &source, &options(&[100])).unwrap();
        assert_eq!(encoded.fallback, Fallback::Png);
        let v = &encoded.variants[0];
        for file in [&v.fallback, &v.webp] {
            let out = image::load_from_memory(file).unwrap();
            assert!(out.color().has_alpha());
            assert_eq!(out.get_pixel(5, 25)[3], 0, "left half stays transparent");
            assert_eq!(out.get_pixel(95, 25)[3], 255);
        }
    }

    #[test]
    fn rejects_heic_naming_the_file() {
        let err = process(
            Path::new("content/2024/anh.HEIC"),
            &testdata::heic_header(),
            &ImageOptions::default(),
        )
        .unwrap_err();
        let problem = err.to_problem();
        assert!(problem.is_error());
        assert_eq!(problem.file, Path::new("content/2024/anh.HEIC"));
        assert_eq!(
            problem.message,
            "HEIC images are not supported; save it as JPEG, PNG or WebP"
        );
    }

    #[test]
    fn reports_a_cut_short_jpeg_as_unreadable() {
        let source = testdata::jpeg_with_exif(640, 480, false, 1);
        for scaled_decode in [false, true] {
            let options = ImageOptions {
                scaled_decode,
                ..options(&[160])
            };
            let cut = &source[..source.len() / 3];
            let err = process(Path::new("x/cut.jpg"), cut, &options).unwrap_err();
            assert!(
                matches!(&err, MediaError::Unreadable { file, .. } if file == Path::new("x/cut.jpg")),
                "{err:?}"
            );
            assert!(err
                .to_string()
                .starts_with("x/cut.jpg: the image cannot be read ("));
        }
    }

    #[test]
    fn validates_without_decoding() {
        let photo = testdata::jpeg_with_exif(640, 480, false, 1);
        let small = ImageOptions {
            warn_pixels: 100_000,
            ..ImageOptions::default()
        };
        let warnings = validate(Path::new("a.jpg"), &photo, &small).unwrap();
        assert_eq!(
            warnings[0].to_string(),
            "a.jpg: warning: the image is 640×480 px (0.3 Mpx, over 0.1 Mpx)"
        );
        let cut = &photo[..photo.len() - 100];
        let err = validate(Path::new("a.jpg"), cut, &small).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.jpg: the image cannot be read (the JPEG is cut short, with no end-of-image \
             marker; upload it again)"
        );
        assert!(validate(Path::new("h.heic"), &testdata::heic_header(), &small).is_err());
    }

    #[test]
    fn reports_a_jpeg_cut_inside_its_header() {
        let source = testdata::jpeg_with_exif(640, 480, false, 1);
        let err = process(Path::new("h.jpg"), &source[..120], &options(&[160])).unwrap_err();
        assert!(matches!(err, MediaError::Unreadable { .. }), "{err:?}");
    }
}
