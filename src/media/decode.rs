//! Decoding a source into upright 8-bit RGB or RGBA pixels, with JPEG's DCT scaling when
//! the widest output needs no more than a quarter or an eighth of the photo.
//!
//! Measured on a 4000×3000 photo (benches/images.rs `codecs`): jpeg-decoder at 1/2 scale
//! is no faster than zune-jpeg at full size, so 1/2 is not used; thumbnails only (440 px,
//! decoded at 1/8) take 86 ms instead of 109 ms.

use std::io::Cursor;
use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use super::check::{image_format, swaps_axes, Format, Info};
use super::MediaError;

/// Upright pixels: RGB8 or RGBA8, rows packed.
#[derive(Debug, Clone)]
pub(super) struct Pixels {
    /// Width in pixels.
    pub(super) width: u32,
    /// Height in pixels.
    pub(super) height: u32,
    /// Four channels (RGBA) or three (RGB).
    pub(super) alpha: bool,
    /// The pixel rows.
    pub(super) data: Vec<u8>,
}

impl Pixels {
    /// True for RGBA pixels.
    pub(super) fn has_alpha(&self) -> bool {
        self.alpha
    }

    /// Pixels of a decoded image, RGBA when it has an alpha channel, RGB otherwise.
    fn from_dynamic(image: DynamicImage) -> Pixels {
        let (width, height) = (image.width(), image.height());
        if image.color().has_alpha() {
            let data = image.into_rgba8().into_raw();
            Pixels::new(width, height, true, data)
        } else {
            let data = image.into_rgb8().into_raw();
            Pixels::new(width, height, false, data)
        }
    }

    /// Pixels from their parts.
    pub(super) fn new(width: u32, height: u32, alpha: bool, data: Vec<u8>) -> Pixels {
        Pixels {
            width,
            height,
            alpha,
            data,
        }
    }
}

/// Decodes `bytes` upright. When `scaled` is true and `widest` is at most a quarter of the
/// photo's width, a JPEG is decoded at the smallest DCT scale that still gives at least
/// `widest` upright pixels across.
pub(super) fn decode(
    source: &Path,
    bytes: &[u8],
    info: &Info,
    widest: u32,
    scaled: bool,
) -> Result<Pixels, MediaError> {
    if scaled && info.format == Format::Jpeg && widest.saturating_mul(4) <= info.width {
        if let Some(pixels) = decode_jpeg_scaled(source, bytes, info, widest)? {
            return Ok(pixels);
        }
    }
    decode_full(source, bytes, info.format)
}

/// Decodes at full size with the `image` crate (zune-jpeg for JPEG) and turns it upright.
fn decode_full(source: &Path, bytes: &[u8], format: Format) -> Result<Pixels, MediaError> {
    let unreadable = |e: image::ImageError| unreadable(source, e.to_string());
    let reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    Ok(Pixels::from_dynamic(image))
}

/// Decodes a JPEG with jpeg-decoder's DCT scaling. `None` for pixel formats it leaves to
/// the full decoder (CMYK, 16-bit grey).
fn decode_jpeg_scaled(
    source: &Path,
    bytes: &[u8],
    info: &Info,
    widest: u32,
) -> Result<Option<Pixels>, MediaError> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    let (want_w, want_h) = stored_size_needed(info, widest);
    let (w, h) = decoder
        .scale(want_w, want_h)
        .map_err(|e| unreadable(source, e.to_string()))?;
    let data = decoder
        .decode()
        .map_err(|e| unreadable(source, e.to_string()))?;
    let format = decoder.info().map(|i| i.pixel_format);
    let rgb = match format {
        Some(jpeg_decoder::PixelFormat::RGB24) => data,
        Some(jpeg_decoder::PixelFormat::L8) => data.iter().flat_map(|&l| [l, l, l]).collect(),
        _ => return Ok(None),
    };
    let image = RgbImage::from_raw(u32::from(w), u32::from(h), rgb)
        .ok_or_else(|| unreadable(source, "decoded size does not match its header".into()))?;
    let mut image = DynamicImage::ImageRgb8(image);
    image.apply_orientation(info.orientation);
    Ok(Some(Pixels::from_dynamic(image)))
}

/// The stored (not yet turned) size to ask jpeg-decoder for so that the upright image is at
/// least `widest` pixels across.
fn stored_size_needed(info: &Info, widest: u32) -> (u16, u16) {
    let ratio = f64::from(widest) / f64::from(info.width);
    let (stored_w, stored_h) = if swaps_axes(info.orientation) {
        (info.height, info.width)
    } else {
        (info.width, info.height)
    };
    let scale = |n: u32| (f64::from(n) * ratio).ceil().min(f64::from(u16::MAX)) as u16;
    (scale(stored_w), scale(stored_h))
}

/// An unreadable-image error for `source`.
fn unreadable(source: &Path, message: String) -> MediaError {
    MediaError::Unreadable {
        file: source.to_path_buf(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_for_the_stored_size_that_covers_the_widest_output() {
        let info = Info {
            format: Format::Jpeg,
            width: 3000,
            height: 4000,
            orientation: Orientation::Rotate90,
        };
        // Stored 4000×3000, shown 3000 wide: 1500 upright pixels need half of each side.
        assert_eq!(stored_size_needed(&info, 1500), (2000, 1500));
    }
}
