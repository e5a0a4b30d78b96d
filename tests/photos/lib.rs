//! Photo-like JPEGs made on the fly, like a phone's: two gradients, a few soft discs and
//! per-pixel noise like a sensor's, JPEG quality 92, with an EXIF block (orientation 1 and a
//! GPS position). Nothing binary is committed.
//!
//! - [`photo`]: sensor noise only (benches/images.rs): codecs find the full-size photo as hard
//!   as a real one (3.4 MB at 4000×3000), but a resized copy is nearly flat (15 KB of WebP at
//!   1680 px), so it tells nothing about a page's weight.
//! - [`phone_photo`]: detail at every scale as well, like a real scene, so resized copies weigh
//!   what a real photo's do too (the browser tests' page weight with 20 photos): 4.2 MB at
//!   4000×3000; resized by trangtin's media module (WebP q75 / JPEG q80), about 19 / 28 KB at
//!   440 px, 63 / 97 KB at 840 px and 240 / 370 KB at 1680 px.

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder};

/// A `width`×`height` photo-like JPEG with sensor noise; each `seed` gives other discs and
/// other noise.
pub fn photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    jpeg(width, height, &pixels(width, height, seed, 0.0))
}

/// Like [`photo`], with detail at every scale from 2 to 256 pixels (value noise, one octave
/// per doubling, equal amplitudes: the 1/f spectrum of natural scenes) that survives resizing.
pub fn phone_photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    jpeg(width, height, &pixels(width, height, seed, TEXTURE))
}

/// Amplitude of each octave of [`phone_photo`]'s detail, in levels of 0–255.
const TEXTURE: f32 = 12.0;

/// RGB pixels: gradients, discs, sensor noise, and `texture` (per-octave amplitude) of detail.
fn pixels(width: u32, height: u32, seed: u32, texture: f32) -> Vec<u8> {
    let mut rng = seed.wrapping_mul(0x9E37_79B9) | 1;
    let discs: Vec<(f32, f32, f32, [f32; 3])> = (0..6)
        .map(|k| {
            let f = |m: u32| ((seed * 7 + k * 13 + m) % 97) as f32 / 97.0;
            let (x, y, r) = (
                f(1) * width as f32,
                f(2) * height as f32,
                150.0 + f(3) * 700.0,
            );
            (x, y, r, [f(4) * 120.0, f(5) * 120.0, f(6) * 120.0])
        })
        .collect();
    let detail = if texture > 0.0 {
        Some(Detail::new(width, height, seed, texture))
    } else {
        None
    };
    let mut row_detail = vec![0.0f32; width as usize];
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        if let Some(detail) = &detail {
            detail.row(y, &mut row_detail);
        }
        for x in 0..width {
            rng ^= rng << 13;
            rng ^= rng >> 17;
            rng ^= rng << 5;
            let noise = (rng % 17) as f32 - 8.0 + row_detail[x as usize];
            let mut rgb = [
                40.0 + 150.0 * x as f32 / width as f32,
                60.0 + 120.0 * y as f32 / height as f32,
                90.0 + 60.0 * ((x + y) as f32 / 700.0).sin(),
            ];
            for (cx, cy, r, c) in &discs {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                if dx * dx + dy * dy < r * r {
                    for (v, add) in rgb.iter_mut().zip(c) {
                        *v = *v * 0.5 + add;
                    }
                }
            }
            data.extend(rgb.map(|v| (v + noise).clamp(0.0, 255.0) as u8));
        }
    }
    data
}

/// Value noise: per octave, random values on a grid of `cell`-pixel cells, interpolated.
struct Detail {
    octaves: Vec<Octave>,
}

struct Octave {
    cell: u32,
    columns: usize,
    values: Vec<f32>,
}

impl Detail {
    fn new(width: u32, height: u32, seed: u32, amplitude: f32) -> Detail {
        let mut rng = seed.wrapping_mul(0x85EB_CA6B) ^ 0x2545_F491 | 1;
        let octaves = (1..=8)
            .map(|k| {
                let cell = 1u32 << k;
                let columns = (width / cell + 2) as usize;
                let rows = (height / cell + 2) as usize;
                let values = (0..columns * rows)
                    .map(|_| {
                        rng ^= rng << 13;
                        rng ^= rng >> 17;
                        rng ^= rng << 5;
                        (rng % 2001) as f32 / 1000.0 - 1.0
                    })
                    .map(|v| v * amplitude)
                    .collect();
                Octave {
                    cell,
                    columns,
                    values,
                }
            })
            .collect();
        Detail { octaves }
    }

    /// The detail of row `y`, into `out` (one value a pixel).
    fn row(&self, y: u32, out: &mut [f32]) {
        out.fill(0.0);
        let mut line = Vec::new();
        for o in &self.octaves {
            // Interpolate between grid rows once, then along the row.
            let (gy, fy) = ((y / o.cell) as usize, (y % o.cell) as f32 / o.cell as f32);
            let (top, bottom) = (
                &o.values[gy * o.columns..(gy + 1) * o.columns],
                &o.values[(gy + 1) * o.columns..(gy + 2) * o.columns],
            );
            line.clear();
            line.extend(top.iter().zip(bottom).map(|(a, b)| a + (b - a) * fy));
            let step = 1.0 / o.cell as f32;
            for (x, v) in out.iter_mut().enumerate() {
                let gx = x / o.cell as usize;
                let fx = (x % o.cell as usize) as f32 * step;
                *v += line[gx] + (line[gx + 1] - line[gx]) * fx;
            }
        }
    }
}

/// JPEG quality 92 of RGB `data`, with an EXIF block after the start-of-image marker.
fn jpeg(width: u32, height: u32, data: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    JpegEncoder::new_with_quality(&mut plain, 92)
        .write_image(data, width, height, ExtendedColorType::Rgb8)
        .unwrap();
    let mut out = plain[..2].to_vec();
    out.extend(exif_app1());
    out.extend_from_slice(&plain[2..]);
    out
}

/// APP1 `Exif`: orientation 1 and a GPS IFD with a latitude reference.
fn exif_app1() -> Vec<u8> {
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend(0u32.to_le_bytes());
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((8 + tiff.len()) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend(tiff);
    segment
}
