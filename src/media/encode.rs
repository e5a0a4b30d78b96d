//! Encoding resized pixels: lossy WebP through libwebp (the `webp` crate), a JPEG fallback
//! through jpeg-encoder (AVX2) and a PNG fallback through the `image` crate. None of them
//! writes any metadata block.

use std::path::Path;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};

use super::decode::Pixels;
use super::{EncodedVariant, Fallback, ImageOptions, MediaError};

/// Encodes `image` as WebP and as `fallback`.
pub(super) fn variant(
    source: &Path,
    image: &Pixels,
    fallback: Fallback,
    options: &ImageOptions,
) -> Result<EncodedVariant, MediaError> {
    let error = |format, message: String| MediaError::Encode {
        file: source.to_path_buf(),
        width: image.width,
        format,
        message,
    };
    let webp =
        webp(image, options.webp_quality, options.webp_method).map_err(|m| error("WebP", m))?;
    let fallback = match fallback {
        Fallback::Jpeg => jpeg(image, options.jpeg_quality).map_err(|m| error("JPEG", m))?,
        Fallback::Png => png(image).map_err(|m| error("PNG", m))?,
    };
    Ok(EncodedVariant {
        width: image.width,
        height: image.height,
        webp,
        fallback,
    })
}

/// Lossy WebP at `quality` (0–100) with libwebp's `method` (0 fastest – 6 smallest).
pub(super) fn webp(image: &Pixels, quality: f32, method: u8) -> Result<Vec<u8>, String> {
    let encoder = if image.alpha {
        webp::Encoder::from_rgba(&image.data, image.width, image.height)
    } else {
        webp::Encoder::from_rgb(&image.data, image.width, image.height)
    };
    let mut config = webp::WebPConfig::new().map_err(|()| "libwebp refused its config")?;
    config.quality = quality;
    config.method = i32::from(method.min(6));
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| format!("{e:?}"))?;
    Ok(memory.to_vec())
}

/// Baseline JPEG at `quality` (1–100) with the standard Huffman tables, 4:2:0 chroma below
/// quality 90. Only for RGB pixels (images with alpha get a PNG). jpeg-encoder's optimized
/// tables save a quarter, but zune-jpeg 0.5.15 (the `image` crate's decoder) decodes
/// those files as flat green, so a JPEG we publish could not be read back by Rust tools;
/// the fallback is fetched only by browsers without WebP.
pub(super) fn jpeg(image: &Pixels, quality: u8) -> Result<Vec<u8>, String> {
    let (Ok(width), Ok(height)) = (u16::try_from(image.width), u16::try_from(image.height)) else {
        return Err("wider or taller than 65535 px".into());
    };
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder
        .encode(&image.data, width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// PNG with fast deflate and adaptive filters (for images with transparency).
pub(super) fn png(image: &Pixels) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&image.data, image.width, image.height, color_type(image))
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// RGBA8 or RGB8.
fn color_type(image: &Pixels) -> ExtendedColorType {
    if image.alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    }
}
