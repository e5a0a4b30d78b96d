//! Test images made on the fly: photo-like JPEGs with an EXIF block (orientation and GPS),
//! PNGs with alpha, a HEIC header and a cut-short JPEG. Nothing binary is committed.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

/// RGB pixels: a gradient with noise, red on the left half and blue on the right when
/// `halves` is true (to see which way the image was turned).
pub(crate) fn photo_pixels(width: u32, height: u32, halves: bool) -> Vec<u8> {
    let mut seed = 0x9E37_79B9_u32;
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 24) as u8;
            let rgb = if halves {
                if x < width / 2 {
                    [220, 20, 20]
                } else {
                    [20, 20, 220]
                }
            } else {
                [(x * 200 / width) as u8, (y * 200 / height) as u8, 90]
            };
            data.extend(rgb.map(|c| c.saturating_add(noise)));
        }
    }
    data
}

/// A JPEG of `photo_pixels`, with an EXIF block carrying `orientation` and a GPS position.
pub(crate) fn jpeg_with_exif(width: u32, height: u32, halves: bool, orientation: u16) -> Vec<u8> {
    let mut plain = Vec::new();
    JpegEncoder::new_with_quality(&mut plain, 90)
        .write_image(
            &photo_pixels(width, height, halves),
            width,
            height,
            ExtendedColorType::Rgb8,
        )
        .unwrap();
    let mut out = plain[..2].to_vec();
    out.extend(app1_exif(orientation));
    out.extend_from_slice(&plain[2..]);
    out
}

/// An APP1 segment: `Exif\0\0`, then a little-endian TIFF block with IFD0 (orientation and a
/// pointer to the GPS IFD) and a GPS IFD (latitude 21°1'30" N).
fn app1_exif(orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    // IFD0 at 8: two entries, then the next-IFD offset; the GPS IFD follows at 38.
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, u32::from(orientation)));
    tiff.extend(entry(0x8825, 4, 1, 38));
    tiff.extend(0u32.to_le_bytes());
    // GPS IFD at 38: latitude ref and latitude (three rationals at 68).
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, 68));
    tiff.extend(0u32.to_le_bytes());
    for (num, den) in [(21u32, 1u32), (1, 1), (30, 1)] {
        tiff.extend(num.to_le_bytes());
        tiff.extend(den.to_le_bytes());
    }
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend(tiff);
    segment
}

/// One 12-byte IFD entry (value inline, little-endian).
fn entry(tag: u16, kind: u16, count: u32, value: u32) -> Vec<u8> {
    let mut e = tag.to_le_bytes().to_vec();
    e.extend(kind.to_le_bytes());
    e.extend(count.to_le_bytes());
    if kind == 3 {
        e.extend((value as u16).to_le_bytes());
        e.extend([0, 0]);
    } else {
        e.extend(value.to_le_bytes());
    }
    e
}

/// A PNG whose left half is transparent.
pub(crate) fn png_with_alpha(width: u32, height: u32) -> Vec<u8> {
    let mut data = Vec::with_capacity((width * height * 4) as usize);
    for _y in 0..height {
        for x in 0..width {
            let alpha = if x < width / 2 { 0 } else { 255 };
            data.extend([30, 160, 60, alpha]);
        }
    }
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(&data, width, height, ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// The first bytes of an iPhone HEIC file.
pub(crate) fn heic_header() -> Vec<u8> {
    let mut bytes = vec![0, 0, 0, 0x18];
    bytes.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    bytes.extend([0; 64]);
    bytes
}
